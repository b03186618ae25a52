"""Provides `MatrixLens`: the matrix view's state (which matrix, which quantity, which cell) and its view.

The view draws one matrix of the latest step's state (`StepState`): the
weights, the step's gradient, its update Δ = new − old, or Adam's m or v. When
the trainer stands still the view reads it directly; while a run trains, the
worker hands over a copy after its batch's last step, only while this view is
open (`wants_state`). The nudge check runs on the UI thread, on copies, and
only when the trainer stands still.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from microgpt_engine import Trainer
from microgpt_engine.insight.matrices import Nudge, StepState, histogram, largest, matrix_of, nudge
from microgpt_engine.insight.timetravel import unflatten
from microgpt_engine.ops import Weights
from microgpt_tui.core.labels import decimal, visible
from microgpt_tui.core.views import Change, MatrixOpen
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

KINDS = ("weights", "grad", "delta", "m", "v")
KIND_TITLES = {
    "weights": N_("weights (after the update)"),
    "grad": N_("gradient d loss / d w (the step's)"),
    "delta": N_("update Δ = new − old"),
    "m": N_("Adam m (running mean of the gradient)"),
    "v": N_("Adam v (running mean of the squared gradient)"),
}
KIND_NAMES = {"delta": N_("delta"), "m": "m", "v": "v"}  # (the cursor line of the quantities beside the weight)
TOP_CELLS = 5


@dataclass(frozen=True)
class MatrixView:
    """One matrix as the heatmap draws it, with its scale, histogram and largest-gradient cells."""

    name: str
    kind: str
    step: int
    cells: tuple[tuple[float, ...], ...] | None  # None: this quantity is not at hand (see message)
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    cursor: tuple[int, int]
    lo: float = 0.0  # the diverging scale's range (symmetric about 0)
    hi: float = 0.0
    counts: tuple[int, ...] = ()  # histogram over [lo, hi]
    top_grad: tuple[tuple[int, int, float], ...] = ()  # (row, col, gradient), largest |gradient| first
    value: float | None = None  # the cursor cell's value of this quantity
    weight: float | None = None  # ... its weight and its gradient
    grad: float | None = None
    nudge: Nudge | None = None  # the last nudge check (of the cursor cell)
    message: str = ""


def step_state(trainer: Trainer, before: tuple[int, Weights] | None, doc: str = "") -> StepState:
    """The trainer's state now, copied (on whichever thread the trainer was stepped)."""
    model, step = trainer.model, trainer.step_count
    grads = None
    if trainer.last_ops is not None and not trainer.diverged:  # (a fork or a restore clears last_ops)
        grads = tuple(trainer.last_ops.param_grads(list(model.shapes)))
    old = None
    if before is not None and before[0] == step:
        old = tuple(w for rows in before[1].values() for row in rows for w in row)
    opt = trainer.optimizer
    return StepState(step, tuple(model.flat_weights()), old, grads, tuple(opt.m), tuple(opt.v), doc)


def row_labels(name: str, rows: int, vocab_labels: tuple[str, ...]) -> tuple[str, ...]:
    """wte and lm_head rows are characters, wpe rows positions; other rows their index."""
    if name in ("wte", "lm_head"):
        return tuple(visible(label) for label in vocab_labels[:rows])
    if name == "wpe":
        return tuple(f"p{r}" for r in range(rows))
    return tuple(str(r) for r in range(rows))


class MatrixLens:
    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.open = False
        self.name = "wte"
        self.kind = "weights"
        self.cursor = (0, 0)
        self.handed: StepState | None = None  # the training run's last hand-over
        self.last_nudge: Nudge | None = None
        self._state: tuple[tuple, StepState] | None = None

    @property
    def wants_state(self) -> bool:
        return self.open

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.session.trainer.model.shapes)

    def reset(self) -> None:
        """Another run is live: forget this one's state (the selected matrix stays if the new run has it)."""
        self.handed, self.last_nudge, self._state = None, None, None
        if self.name not in self.names:
            self.name = self.names[0]
        self.cursor = (0, 0)

    # -- the intents -----------------------------------------------------------------

    def open_view(self, name: str | None = None) -> Change:
        """A weight matrix as a heatmap (the selected row of the parameter table, or `name`)."""
        if name is not None:
            self.select(name)
        self.open = True
        return Change(ask=MatrixOpen())

    def close(self) -> Change:
        self.open = False
        return Change()

    def select_by(self, delta: int) -> Change:
        """The parameter table's selected row (and the matrix view's matrix) `delta` rows down."""
        self.select_next(delta)
        return Change()

    def next_kind(self) -> Change:
        """Cycle what the view shows: weights, gradient, update Δ, Adam m, Adam v."""
        self.cycle_kind()
        return Change()

    def move_by(self, d_row: int, d_col: int) -> Change:
        self.move(d_row, d_col)
        return Change()

    def to_largest(self) -> Change:
        """The cursor to the cell with the largest |gradient| of the step (nothing without a gradient)."""
        state = self.state()
        if state is not None and state.grads is not None:
            top = largest(matrix_of(self.session.trainer.model.shapes, state.grads, self.name), 1)
            if top:
                self.cursor = (top[0][0], top[0][1])
        return Change()

    def nudge_check(self) -> Change:
        """The nudge check at the cursor: ±h on the weight, the loss again, the slope."""
        return self.session.say(self.nudge())

    # -- the state ---------------------------------------------------------------------

    def select(self, name: str) -> None:
        if name not in self.names:
            raise ValueError(f"no matrix {name!r}: {', '.join(self.names)}")
        if name != self.name:
            self.name, self.cursor, self.last_nudge = name, (0, 0), None

    def select_next(self, delta: int) -> None:
        self.select(self.names[(self.names.index(self.name) + delta) % len(self.names)])

    def cycle_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]

    def move(self, d_row: int, d_col: int) -> None:
        rows, cols = self.session.trainer.model.shapes[self.name]
        r, c = self.cursor
        self.cursor = (min(max(r + d_row, 0), rows - 1), min(max(c + d_col, 0), cols - 1))

    def state(self) -> StepState | None:
        """The latest step's state: handed over while training, else the trainer's own (memoised)."""
        session = self.session
        if self.rules.training:
            return self.handed
        before = session.time.before
        latest = self.rules.latest
        doc = latest.doc if latest is not None and latest.step == session.trainer.step_count else ""
        key = (
            session.trainer.step_count,
            session.version,
            before[0] if before is not None else None,
            id(session.trainer.last_ops),
        )
        if self._state is None or self._state[0] != key:
            self._state = (key, step_state(session.trainer, before, doc))
        return self._state[1]

    def quantity(self, state: StepState) -> tuple[list[list[float]] | None, str]:
        shapes = self.session.trainer.model.shapes
        kind = self.kind
        if kind == "weights":
            return matrix_of(shapes, state.weights, self.name), ""
        if kind == "m":
            return matrix_of(shapes, state.m, self.name), ""
        if kind == "v":
            return matrix_of(shapes, state.v, self.name), ""
        if kind == "grad":
            if state.grads is None:
                return None, _("no gradient at hand: take a step (space) that does not diverge")
            return matrix_of(shapes, state.grads, self.name), ""
        if state.before is None:
            return None, _("no update at hand: take a step (space)")  # (every step hands over the weights before it)
        new, old = matrix_of(shapes, state.weights, self.name), matrix_of(shapes, state.before, self.name)
        return [[a - b for a, b in zip(rn, ro)] for rn, ro in zip(new, old)], ""

    def view(self) -> MatrixView:
        session = self.session
        rows, cols = session.trainer.model.shapes[self.name]
        labels = row_labels(self.name, rows, session.vocab_labels), tuple(str(c) for c in range(cols))
        state = self.state()
        if state is None:
            return MatrixView(self.name, self.kind, 0, None, *labels, self.cursor, message=_("waiting for training"))
        cells, message = self.quantity(state)
        shapes = session.trainer.model.shapes
        grads = matrix_of(shapes, state.grads, self.name) if state.grads is not None else None
        weights = matrix_of(shapes, state.weights, self.name)
        r, c = self.cursor
        nudged = self.last_nudge
        if nudged is not None and (nudged.name, nudged.row, nudged.col) != (self.name, r, c):
            nudged = None
        if cells is None:
            return MatrixView(self.name, self.kind, state.step, None, *labels, self.cursor, message=message)
        lo, hi, counts = histogram([v for row in cells for v in row])
        return MatrixView(
            self.name,
            self.kind,
            state.step,
            tuple(tuple(row) for row in cells),
            *labels,
            self.cursor,
            lo,
            hi,
            tuple(counts),
            tuple(largest(grads, TOP_CELLS)) if grads is not None else (),
            cells[r][c],
            weights[r][c],
            grads[r][c] if grads is not None else None,
            nudged,
        )

    def nudge(self) -> str:
        """The nudge check at the cursor: the loss on the step's document with the weight ± h. Returns the note."""
        if self.rules.training:
            return _("pause training (r) for the nudge check")
        state = self.state()
        if state is None or state.grads is None or state.before is None or not state.doc:
            return _("the nudge check needs the last step's gradient: take a step with space first")
        r, c = self.cursor
        trainer = self.session.trainer
        shapes = trainer.model.shapes
        grad = matrix_of(shapes, state.grads, self.name)[r][c]
        check = nudge(
            unflatten(shapes, list(state.before)), trainer.model, trainer.tokenizer, state.doc, self.name, r, c, grad
        )
        self.last_nudge = check
        return _(
            "nudge {name}[{row}][{col}] by ±{h:g}: (L(w+h) − L(w−h)) / 2h = {estimate}, autograd {gradient} "
            "(relative difference {difference})"
        ).format(
            name=self.name,
            row=r,
            col=c,
            h=check.h,
            estimate=decimal(check.estimate, 7, sign=True),
            gradient=decimal(grad, 7, sign=True),
            difference=decimal(check.relative_error, 2),
        )
