"""Provides `GraphScreen`: explore the last training step's autograd graph.

The tree starts at the loss; l, o and w choose another root (the loss, one
logit at a position, one weight). The panel on the right explains the node
under the cursor: how its gradient adds up from its uses, and the way the loss
reaches it. Every number comes from the engine's graph (insight/graph.py's
`GraphView` on the fused tape, value_graph.py's `ValueGraph` on the plain
`Value`s, the same questions for both); this screen only lays them out.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static, Tree
from textual.widgets.option_list import Option

from microgpt_engine.insight.graph import StepGraph
from microgpt_tui.core.labels import visible, visible_text
from microgpt_tui.core.typed import whole_number
from microgpt_tui.features.graph.text import GradientBreakdown, number
from microgpt_tui.features.graph.tree import Entry, GraphTree
from microgpt_tui.language import N_, _
from microgpt_tui.styled_text import styled
from microgpt_tui.widgets.footer import KeysFooter

POSITION = Binding.Group("pos", compact=True)
# How each engine's graph is cut into nodes (the title says which one is shown).
ENGINE_NOTE = {
    "fused": N_("fused engine: a node per dot product, softmax output, RMS scale, cross-entropy"),
    "plain": N_("plain engine: one Value per + * ** exp log relu"),
}
THE_LOSS = N_("the loss")
WEIGHT = re.compile(r"^\s*([\w.]+)\s*\[\s*([^,\]]+?)\s*,\s*(-?\d+)\s*\]\s*$")


def parse_weight(text: str, shapes: Mapping[str, tuple[int, int]], vocab: Sequence[str]) -> tuple[str, int, int]:
    """(matrix, row, col) from "wte[5,3]", or "wte[a,3]" for the row of token a (wte[bos,3]: BOS's).

    Raises ValueError with a message a learner can act on.
    """
    match = WEIGHT.match(text)
    if not match:
        raise ValueError(
            _("“{typed}” is not a weight: write matrix[row,col], e.g. wte[5,3] or layer0.attn_wq[0,1]").format(
                typed=visible_text(text.strip()[:40])
            )
        )
    name, row_text, col_text = match.groups()
    if name not in shapes:
        raise ValueError(
            _("no weight matrix named {name!r}; there are {names}").format(name=name, names=", ".join(shapes))
        )
    rows, cols = shapes[name]
    if whole_number(row_text, -(2**62), 2**62) is not None:
        row = int(row_text)
    elif name in ("wte", "lm_head") and (row_text in vocab or row_text.lower() == "bos"):
        row = vocab.index("◆" if row_text.lower() == "bos" else row_text)  # a token's own row
    else:
        template = (
            N_("row {row!r} of {name}: give a number 0..{last} or a character")
            if name in ("wte", "lm_head")
            else N_("row {row!r} of {name}: give a number 0..{last}")
        )
        raise ValueError(_(template).format(row=row_text[:20], name=name, last=rows - 1))
    col = whole_number(col_text, -(2**62), 2**62)
    if col is None:
        raise ValueError(
            _("column {col!r} of {name}: give a number 0..{last}").format(col=col_text[:20], name=name, last=cols - 1)
        )
    if not (0 <= row < rows and 0 <= col < cols):
        raise ValueError(
            _("{name} is {rows}×{cols}: there is no [{row},{col}]").format(
                name=name, rows=rows, cols=cols, row=row, col=col
            )
        )
    return name, row, col


class GraphScreen(ModalScreen[None]):
    """The autograd graph of the last step, as a tree, with the gradient of the node under the cursor explained."""

    BINDINGS = [
        Binding(
            "escape",
            "close",
            N_("close"),
            tooltip=N_("Back to the main screen (or out of the weight box / token list)"),
            id="graph.close",
        ),
        Binding("l", "root_loss", N_("root: loss"), tooltip=N_("Show the graph from the loss down"), id="graph.loss"),
        Binding(
            "o",
            "pick_logit",
            N_("root: logit"),
            tooltip=N_("Choose one logit at the selected position as the root"),
            id="graph.logit",
        ),
        Binding(
            "w",
            "pick_weight",
            N_("root: weight"),
            tooltip=N_("Type a weight, e.g. wte[a,3], to see how its gradient adds up"),
            id="graph.weight",
        ),
        # priority: the tree would take ← → to scroll sideways
        Binding(
            "left",
            "position(-1)",
            N_("pos ←"),
            priority=True,
            tooltip=N_("The previous position (for the logit root)"),
            id="graph.pos_left",
            group=POSITION,
        ),
        Binding(
            "right",
            "position(1)",
            N_("pos →"),
            priority=True,
            tooltip=N_("The next position (for the logit root)"),
            id="graph.pos_right",
            group=POSITION,
        ),
    ]

    def __init__(
        self,
        graph: StepGraph,
        vocab: Sequence[str],
        tokens: Sequence[int],
        shapes: Mapping[str, tuple[int, int]],
        position: int = 0,
        **kwargs: Any,
    ) -> None:
        """graph: a GraphView; vocab: a label per token id; tokens: the step's document as
        token ids ([BOS] + characters + [BOS]); shapes: matrix name -> (rows, cols)."""
        super().__init__(**kwargs)
        self.graph: StepGraph | None = graph  # (None once closed: see on_unmount)
        self.vocab, self.tokens, self.shapes = vocab, tokens, shapes
        self.position = min(max(position, 0), graph.num_positions - 1)
        self.root: tuple[str, dict[str, object]] = (THE_LOSS, {})  # what the root is: a sentence and its fields

    def compose(self) -> ComposeResult:
        yield Static(id="graph-title")
        with Horizontal(id="graph-body"):
            yield GraphTree(self.step_graph, id="graph-tree")
            with Vertical(id="graph-side"):
                yield Static(id="graph-help")
                yield Input(placeholder=_("a weight, e.g. wte[a,3]"), id="graph-weight")
                yield Static(id="graph-error")
                yield OptionList(id="graph-logits")
                with VerticalScroll(id="graph-explain"):
                    yield Static(id="graph-breakdown")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#graph-logits").display = False
        self.query_one("#graph-error").display = False
        self.show_root(self.step_graph.loss_id, "inputs", THE_LOSS)
        self.query_one(GraphTree).focus()

    def retranslate(self) -> None:
        """Draw the title, the help and the node explained again in the language now chosen."""
        if self.graph is None:
            return
        self.query_one("#graph-weight", Input).placeholder = _("a weight, e.g. wte[a,3]")
        self.show_title()
        tree = self.query_one(GraphTree)
        node = tree.cursor_node
        if node is not None and isinstance(node.data, Entry):
            self.explain(node.data.id)
        logits = self.query_one("#graph-logits", OptionList)
        if logits.display:
            logits.border_title = _("logits at position {position}").format(position=self.position)

    def on_unmount(self) -> None:
        """Let go of the graph as the screen closes: a closed screen is cyclic garbage that waits for a full
        collection, and a plain step's graph kept alive with it (~400,000 objects) would make that collection
        walk it too (a stall that grew by ~80 ms with every g). The tree lets go of it the same way."""
        self.graph = None

    @property
    def step_graph(self) -> StepGraph:
        """The graph shown, while the screen is open."""
        assert self.graph is not None
        return self.graph

    # -- what is shown ------------------------------------------------------------

    def context(self) -> tuple[str, int]:
        """The document up to the selected position, and the token that came next."""
        seen = "".join(visible(self.vocab[t]) for t in self.tokens[: self.position + 1])
        target = self.tokens[self.position + 1]
        return seen, target

    def show_title(self) -> None:
        g = self.step_graph
        doc = visible_text("".join(self.vocab[t] for t in self.tokens[1:-1]))
        title = Text(no_wrap=True, overflow="ellipsis")
        root, fields = self.root
        title.append(
            styled(
                _("{name} of step {step} on “{doc}” · {nodes:,} nodes · root: {root}"),
                name=(_("autograd graph"), "bold"),
                step=g.step,
                doc=doc,
                nodes=len(g),
                root=(_(root).format(**fields), "bold #ffaf5f"),
            )
        )
        title.append(f" · {_(ENGINE_NOTE[g.engine])}", style="grey62")
        seen, target = self.context()
        help_text = Text()
        help_text.append(styled(_("{key} open a node, ↑↓ move"), key=("enter/space", "bold"))).append("\n")
        help_text.append(styled(_("{key} root at the loss"), key=("l", "bold"))).append("\n")
        help_text.append(
            styled(
                _("{key} a logit at position {position} (←→) after {seen}, next {next}"),
                key=("o", "bold"),
                position=self.position,
                seen=(seen, "bold"),
                next=(visible(self.vocab[target]), "bold #5fd75f"),
            )
        ).append("\n")
        help_text.append(styled(_("{key} a weight (type it, enter)"), key=("w", "bold")))
        self.query_one("#graph-title", Static).update(title)
        self.query_one("#graph-help", Static).update(help_text)

    def show_root(self, node_id: int, direction: str, name: str, **fields: object) -> None:
        """Show the graph from `node_id`; `name` (marked, its `fields` filled where drawn) says what it is."""
        self.root = (name, fields)
        self.query_one(GraphTree).show(node_id, direction)
        self.show_title()
        self.explain(node_id)

    def explain(self, node_id: int) -> None:
        """The side panel: how the gradient of node_id adds up and how the loss reaches it."""
        g = self.step_graph
        breakdown = GradientBreakdown(
            g.node(node_id),
            g.gradient_breakdown(node_id),
            [g.node(i) for i in g.path_to_loss(node_id)],
            is_loss=node_id == g.loss_id,
        )
        self.query_one("#graph-breakdown", Static).update(breakdown)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if isinstance(event.node.data, Entry):
            self.explain(event.node.data.id)

    # -- choosing the root ----------------------------------------------------------

    def action_root_loss(self) -> None:
        self.show_root(self.step_graph.loss_id, "inputs", THE_LOSS)
        self.query_one(GraphTree).focus()

    def logit_options(self) -> list[Option]:
        """The vocabulary at the selected position: the true next token first, then by logit."""
        graph = self.step_graph
        ids = graph.logit_ids(self.position)
        target = self.context()[1]
        order = sorted(range(len(ids)), key=lambda t: (t != target, -graph.node(ids[t]).data))
        options = []
        for t in order:
            prompt = Text(no_wrap=True)
            label = visible(self.vocab[t])
            prompt.append(label + " " * max(0, 2 - cell_len(label)), style="bold")  # (by cells: 字 is two)
            prompt.append(f" logit {number(graph.node(ids[t]).data)}", style="grey62")
            if t == target:
                prompt.append("  " + _("the true next token"), style="#5fd75f")
            options.append(Option(prompt, id=str(t)))
        return options

    def action_pick_logit(self) -> None:
        logits = self.query_one("#graph-logits", OptionList)
        logits.set_options(self.logit_options())
        logits.border_title = _("logits at position {position}").format(position=self.position)
        logits.display = True
        # Highlight and focus only once the list has laid out its new options:
        # a page key arriving before that finds no line index (KeyError in OptionList).
        self.call_after_refresh(self._focus_logits, logits)

    @staticmethod
    def _focus_logits(logits: OptionList) -> None:
        logits.highlighted = 0
        logits.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None  # (each logit's option has its token id)
        token = int(event.option.id)
        event.option_list.display = False
        node_id = self.step_graph.logit_ids(self.position)[token]
        self.show_root(
            node_id,
            "inputs",
            N_("the logit of {token} at position {position}"),
            token=visible(self.vocab[token]),
            position=self.position,
        )
        self.query_one(GraphTree).focus()

    def action_pick_weight(self) -> None:
        self.query_one("#graph-weight", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        error = self.query_one("#graph-error", Static)
        try:
            name, row, col = parse_weight(event.value, self.shapes, self.vocab)
        except ValueError as exc:
            error.update(Text(str(exc), style="bold #ff5f5f"))
            error.display = True
            return
        error.display = False
        weight = f"{name}[{row},{col}]"
        node_id = self.step_graph.param_id(name, row, col)
        if name in ("wte", "lm_head"):
            token = visible(self.vocab[row])
            self.show_root(
                node_id,
                "uses",
                N_("{weight} (the row of {token}), its uses up to the loss"),
                weight=weight,
                token=token,
            )
        else:
            self.show_root(node_id, "uses", N_("{weight}, its uses up to the loss"), weight=weight)
        self.query_one(GraphTree).focus()

    def action_position(self, delta: int) -> None:
        self.position = min(max(self.position + delta, 0), self.step_graph.num_positions - 1)
        self.show_title()
        logits = self.query_one("#graph-logits", OptionList)
        if logits.display:
            self.action_pick_logit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("root_loss", "pick_logit", "pick_weight", "position") and isinstance(self.focused, Input):
            return False  # typing: the letters go into the box
        return True

    def action_close(self) -> None:
        if isinstance(self.focused, (Input, OptionList)):
            self.query_one("#graph-logits").display = False
            self.query_one(GraphTree).focus()
        else:
            self.dismiss()
