"""Provides the words of the graph explorer: a node's one-line label, and how its gradient adds up.

`node_label` is one row of the tree: op, forward value, gradient, and what the
node is (`dot  data 0.4132  grad -0.0271  ·  lm_head[2]·x@pos1`).
`GradientBreakdown` is the chain rule read backwards for one node: each use of
it sends down local derivative × the user's gradient, and those shares add up
to its gradient. Both only format the plain records `engine.graph` hands out.
"""

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text

from microgpt_engine.insight.graph import EdgeRecord, NodeRecord
from microgpt_tui.core.labels import decimal
from microgpt_tui.language import _, ngettext
from microgpt_tui.styled_text import styled
from microgpt_tui.texts import node_kind

OP = "bold #87d7ff"
NAME = "#ffaf5f"
DIM = "grey62"
GOOD = "bold #5fd75f"
BAD = "bold #ff5f5f"


def number(x: float) -> str:
    """Four decimals, or three figures of a plain decimal when that would show only zeros (0.0000123)."""
    if x != 0 and abs(x) < 5e-5 or abs(x) >= 1e5:
        return decimal(x, 3)
    return f"{x:.4f}"


def node_label(node: NodeRecord, share: float | None = None) -> Text:
    """The tree row of a NodeRecord; `share`: what this node sends to the one it is listed under."""
    text = Text(no_wrap=True, overflow="ellipsis")
    named = not node.label.startswith(node.op)  # "lm_head[2]·x@pos1" says more than "dot"
    text.append((node.op if named else node.label).ljust(5), style=OP)  # the short ops line up
    if share is not None:
        text.append("  " + _("sends") + " ", style=DIM).append(number(share).rjust(7), style="bold")
    text.append("  data ", style=DIM).append(number(node.data).rjust(7))
    text.append("  grad ", style=DIM).append(number(node.grad).rjust(7))
    if named:
        text.append("  ·  ", style=DIM).append(node.label, style=NAME)
    return text


def op_note(node: NodeRecord) -> str:
    """ "  (op)" after a label that does not already say it."""
    return "" if node.label.startswith(node.op) else f"  ({node.op})"


def shares_agree(total: float, grad: float) -> bool:
    """The sum of the shares equals the gradient, up to float rounding."""
    return abs(total - grad) <= 1e-9 * max(1.0, abs(grad))


class GradientBreakdown:
    """Where one node's gradient comes from, and the way it reaches the loss.

    Args:
        node: the NodeRecord explained.
        edges: its gradient_breakdown (EdgeRecords, one per use).
        path: NodeRecords from the node up to the loss (path_to_loss).
        is_loss: the node is the loss (backward starts there with gradient 1).
        limit: at most this many uses are listed (the sum is over all of them).
    """

    def __init__(
        self,
        node: NodeRecord,
        edges: Sequence[EdgeRecord],
        path: Sequence[NodeRecord],
        is_loss: bool = False,
        limit: int = 10,
    ) -> None:
        self.node, self.edges, self.path = node, edges, path
        self.is_loss, self.limit = is_loss, limit

    def heading(self) -> Text:
        text = Text()
        text.append(self.node.label, style=f"bold {NAME}").append(op_note(self.node) + "\n", style=DIM)
        text.append(node_kind(self.node.op, self.node.label) + "\n", style=f"italic {DIM}")
        text.append("data ", style=DIM).append(number(self.node.data))
        text.append("   grad ", style=DIM).append(number(self.node.grad), style="bold")
        return text

    def uses(self) -> list[Text]:
        """One entry per use: who used it, then local derivative × the user's grad = its share."""
        n = len(self.edges)
        text = Text(
            "\n"
            + ngettext(
                "Used {n} time; each use sends back\nlocal derivative × the user's grad = a share:",
                "Used {n} times; each use sends back\nlocal derivative × the user's grad = a share:",
                n,
            ).format(n=n)
            + "\n",
            style=DIM,
        )
        for i, edge in enumerate(self.edges[: self.limit], 1):
            text.append(f"{i:>2}. ", style=DIM).append(edge.node.label, style=NAME).append(
                op_note(edge.node) + "\n", style=DIM
            )
            text.append("    ").append(number(edge.local_grad)).append(" × ", style=DIM).append(
                number(edge.parent_grad)
            )
            text.append(" = ", style=DIM).append(number(edge.contribution), style="bold").append("\n")
        total = sum(edge.contribution for edge in self.edges)
        footer = Text()
        if n > self.limit:
            footer.append(
                _("… {more} more uses (the sum counts them all)").format(more=n - self.limit) + "\n", style=DIM
            )
        footer.append(styled(_("sum of the {n} shares {total}"), DIM, n=n, total=(number(total), "bold")))
        ok = shares_agree(total, self.node.grad)
        footer.append(" = grad ✓" if ok else f" ≠ grad {number(self.node.grad)}", style=GOOD if ok else BAD)
        return [text, footer]

    def route(self) -> Text:
        text = Text("\n" + _("How the loss reaches it (the biggest share at each step up):") + "\n", style=DIM)
        for i, node in enumerate(self.path):
            text.append("  " if i == 0 else "→ ", style=DIM).append(node.label, style=NAME if i == 0 else None)
            text.append(op_note(node) + "\n", style=DIM)
        text.rstrip()
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts = [self.heading()]
        if self.is_loss:
            parts.append(
                Text(
                    "\n" + _("The loss: backward starts here with gradient 1.0 and sends it down to every input."),
                    style=DIM,
                )
            )
        elif not self.edges:
            parts.append(
                Text(
                    "\n" + _("Nothing in this step used it: the loss does not depend on it, so its gradient is 0."),
                    style=DIM,
                )
            )
        else:
            parts += self.uses()
            parts.append(self.route())
        yield Group(*parts)
