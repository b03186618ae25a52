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


def intro(live: Live) -> str:
    return (
        "To learn, every weight needs its gradient: how much the loss moves when the weight moves. The forward "
        "pass builds a graph, every +, ×, exp and log a node that keeps its inputs and its local derivative. "
        "backward() starts at the loss (gradient 1) and walks back: each node sends its inputs local derivative × "
        "its own gradient (the chain rule). A weight used in several places adds up what each use sends."
    )


def graph_size(live: Live) -> str:
    record = live.latest
    if record is None:
        return "No step has been taken yet: space takes one."
    nodes = (
        f"{record.graph_nodes:,} nodes (the fused engine's: a node per dot product, softmax, …); "
        if (record.graph_nodes)
        else ""
    )
    return (
        f"Step {record.step:,} on “{live.q(record.doc)}”: its graph had {nodes}backward gave each of the "
        f"{live.model.num_params:,} weights its gradient. Weights the name never used (the rows of characters "
        "it lacks) get 0."
    )


OPENED = (
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
        return f"every position, 0 to {n - 1}"
    return ("position " if len(positions) == 1 else "positions ") + ", ".join(map(str, positions))


def source_question(live: Live) -> Question:
    weight, record = largest_weight(live), live.latest
    if weight is None or record is None:
        return Question(
            "No step's graph is at hand (take a step, paused). Where would a weight's gradient come from?",
            ("from the graph",),
            lambda live: Reveal(0, "From the last step's graph: press space, then come back to this question."),
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
        parts = " + ".join(f"{c:+.5f} (pos {p})" for p, c in weight.uses[:6]) + (" + …" if len(weight.uses) > 6 else "")
        total = sum(c for _, c in weight.uses)
        return Reveal(
            choices.index(used),
            f"The graph of step {record.step:,}: {label} is read "
            f"{'once' if len(weight.uses) == 1 else f'{len(weight.uses)} times'}, at {where(used, n)}. What each use "
            f"sent back: {parts} = "
            f"{total:+.5f}, its gradient (autograd's: {weight.grad:+.5f}).",
        )

    return Question(
        f"{label} has the largest |gradient| of {weight.name} at step {record.step:,} on “{live.q(record.doc)}” "
        f"({n} positions). Where does its gradient come from?",
        tuple(where(o, n) for o in choices),
        settle,
    )


def nudged(live: Live) -> str:
    weight, record, weights = largest_weight(live), live.latest, live.before_weights()
    if weight is None or record is None or weights is None:
        return "The nudge check needs the last step's graph and its weights: take a step, paused, then n."
    model = live.model
    before = GPT(model.config, model.vocab_size, weights=weights)
    check = nudge(weights, before, live.tokenizer, record.doc, weight.name, weight.row, weight.col, weight.grad)
    return (
        f"The nudge on {weight_label(live, weight)}, from the weights step {record.step:,} started "
        f"at: L(w + h) = {check.loss_plus:.8f}, L(w − h) = {check.loss_minus:.8f} with h = {check.h:g}, so the "
        f"slope is {check.estimate:+.6f}; autograd said {check.gradient:+.6f} (they differ by "
        f"{check.relative_error:.1e} of their size). esc closes the view."
    )


CHAPTER = Chapter(
    "autograd",
    "Autograd",
    "a weight's gradient: the sum of its uses, checked by the nudge",
    (
        Say(intro),
        Press("space", ("step",), lambda live: "Press space: one training step, its graph built and walked back."),
        Say(graph_size),
        Open("matrix", "m", lambda live: OPENED),
        Press("g", ("matrix_largest",), lambda live: "Press g: the cursor goes to the largest |gradient| here."),
        Ask(source_question),
        Press(
            "n",
            ("matrix_nudge",),
            lambda live: (
                "Press n, the nudge check: this weight moved by ±h, the name run again; the slope of the "
                "loss, (L(w+h) − L(w−h)) / 2h, should equal autograd's gradient."
            ),
        ),
        Say(nudged),
    ),
    lines=("# Autograd: a scalar", "child.grad += local_grad * node.grad"),
)
