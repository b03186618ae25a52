"""Chapter 4, autograd: a weight's gradient is the sum of what each of its uses sends back, and the nudge check
(the loss at w ± h) agrees with it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape

from microgpt_engine import GPT
from microgpt_engine.insight.matrices import nudge
from microgpt_tui.core.labels import visible
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Question, Reveal, Say
from microgpt_tui.language import N_, _, ngettext


def intro(live: Live) -> str:
    return _(
        "To learn, every weight needs its gradient: how much the loss moves when the weight moves. The forward "
        "pass builds a graph, every +, ×, exp and log a node that keeps its inputs and its local derivative. "
        "backward() starts at the loss (gradient 1) and walks back: each node sends its inputs local derivative × "
        "its own gradient (the chain rule). A weight used in several places adds up what each use sends."
    )


def graph_size(live: Live) -> str:
    record = live.latest
    if record is None:
        return _("No step has been taken yet: space takes one.")
    if record.graph_nodes:
        said = _(
            "Step {step:,} on “{doc}”: its graph had {nodes:,} nodes (the fused engine's: a node per dot product, "
            "softmax, …); backward gave each of the {params:,} weights its gradient. Weights the document never used "
            "(the rows of characters it lacks) get 0."
        )
    else:
        said = _(  # (the plain engine counts no nodes while it steps)
            "Step {step:,} on “{doc}”: backward gave each of the {params:,} weights its gradient. Weights the document "
            "never used (the rows of characters it lacks) get 0."
        )
    return said.format(step=record.step, doc=live.q(record.doc), nodes=record.graph_nodes, params=live.model.num_params)


OPENED = N_(
    "The matrix view (m): one matrix, a cell per weight. m there cycles what the cells show: the weights, the "
    "step's gradient, the update Δ, Adam's m and v; [ ] change the matrix."
)


@dataclass(frozen=True)
class Weight:
    name: str
    row: int
    col: int
    grad: float
    uses: tuple[tuple[int | None, float], ...]  # (position, contribution) per use, in node order


def largest_weight(live: Live) -> Weight | None:
    """The matrix view's matrix's weight with the largest |gradient| of the last step, and its uses in the graph."""
    graph = live.graph()
    if graph is None:
        return None
    name = live.rules.matrix_name
    rows, cols = live.model.shapes[name]
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    ids = {cell: graph.param_id(name, *cell) for cell in cells}
    row, col = max(cells, key=lambda cell: abs(graph.grad(ids[cell])))
    uses = tuple((e.node.pos, e.contribution) for e in graph.gradient_breakdown(ids[(row, col)]))
    return Weight(name, row, col, graph.grad(ids[(row, col)]), uses)


def weight_label(live: Live, weight: Weight) -> str:
    """wte[◆, 14]: a row of wte or lm_head is a token, named as the matrix view names it."""
    row = visible(live.tokenizer.label(weight.row)) if weight.name in ("wte", "lm_head") else str(weight.row)
    return escape(f"{weight.name}[{row}, {weight.col}]")  # ("wte[a, 3]" would read as a markup tag)


def where(positions: tuple[int, ...], n: int) -> str:
    if positions == tuple(range(n)):
        return _("every position, 0 to {last}").format(last=n - 1)
    listed = ", ".join(map(str, positions))
    return ngettext("position {positions}", "positions {positions}", len(positions)).format(positions=listed)


def source_question(live: Live) -> Question:
    weight, record = largest_weight(live), live.latest
    if weight is None or record is None:
        return Question(
            _("No step's graph is at hand (take a step, paused). Where would a weight's gradient come from?"),
            (_("from the graph"),),
            lambda live: Reveal(0, _("From the last step's graph: press space, then come back to this question.")),
        )
    n = len(record.positions)
    used = tuple(sorted({pos for pos, _ in weight.uses if pos is not None}))
    inputs = record.tokens[:n]
    row_token = tuple(p for p in range(n) if inputs[p] == weight.row) if weight.name == "wte" else ()
    options = [used, tuple(range(n)), (0,), row_token[:1], (n - 1,)]
    choices = sorted({o for o in options if o}, key=lambda o: (len(o), o))[:4]
    if used not in choices:
        choices[-1] = used
    label = weight_label(live, weight)

    def settle(live: Live) -> Reveal:
        each = [_("{value:+.5f} (pos {pos})").format(value=c, pos=p) for p, c in weight.uses[:6]]
        parts = " + ".join(each) + (" + …" if len(weight.uses) > 6 else "")
        total = sum(c for _, c in weight.uses)
        said = ngettext(
            "The graph of step {step:,}: {label} is read once, at {where}. What each use sent back: {parts} = "
            "{total:+.5f}, its gradient (autograd's: {grad:+.5f}).",
            "The graph of step {step:,}: {label} is read {count} times, at {where}. What each use sent back: "
            "{parts} = {total:+.5f}, its gradient (autograd's: {grad:+.5f}).",
            len(weight.uses),
        )
        return Reveal(
            choices.index(used),
            said.format(
                step=record.step,
                label=label,
                count=len(weight.uses),
                where=where(used, n),
                parts=parts,
                total=total,
                grad=weight.grad,
            ),
        )

    return Question(
        _(
            "{label} has the largest |gradient| of {matrix} at step {step:,} on “{doc}” ({n} positions). Where "
            "does its gradient come from?"
        ).format(label=label, matrix=weight.name, step=record.step, doc=live.q(record.doc), n=n),
        tuple(where(o, n) for o in choices),
        settle,
    )


def nudged(live: Live) -> str:
    weight, record, weights = largest_weight(live), live.latest, live.before_weights()
    if weight is None or record is None or weights is None:
        return _("The nudge check needs the last step's graph and its weights: take a step, paused, then n.")
    model = live.model
    before = GPT(model.config, model.vocab_size, weights=weights)
    check = nudge(weights, before, live.tokenizer, record.doc, weight.name, weight.row, weight.col, weight.grad)
    return _(
        "The nudge on {label}, from the weights step {step:,} started at: L(w + h) = {plus:.8f}, L(w − h) = "
        "{minus:.8f} with h = {h:g}, so the slope is {estimate:+.6f}; autograd said {gradient:+.6f} (they differ "
        "by {error:.1e} of their size). esc closes the view."
    ).format(
        label=weight_label(live, weight),
        step=record.step,
        plus=check.loss_plus,
        minus=check.loss_minus,
        h=check.h,
        estimate=check.estimate,
        gradient=check.gradient,
        error=check.relative_error,
    )


CHAPTER = Chapter(
    "autograd",
    "Autograd",
    "a weight's gradient: the sum of its uses, checked by the nudge",
    (
        Say(intro),
        Press("space", ("step",), lambda live: _("Press space: one training step, its graph built and walked back.")),
        Say(graph_size),
        Open("matrix", "m", lambda live: _(OPENED)),
        Press("g", ("matrix_largest",), lambda live: _("Press g: the cursor goes to the largest |gradient| here.")),
        Ask(source_question),
        Press(
            "n",
            ("matrix_nudge",),
            lambda live: _(
                "Press n, the nudge check: this weight moved by ±h, the document run again; the slope of the "
                "loss, (L(w+h) − L(w−h)) / 2h, should equal autograd's gradient."
            ),
        ),
        Say(nudged),
    ),
    lines=("# Autograd: a scalar", "child.grad += local_grad * node.grad"),
)
