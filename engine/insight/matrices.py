"""Provides what the matrix view shows of one weight matrix: its cells, a histogram, and the nudge check.

A step's state is flat (every matrix in `GPT.matrix_shapes` order, row by
row): the weights after the update and before it, the gradient autograd
computed, and Adam's running averages m and v. `matrix_of` cuts one matrix
out of such a list; the update Δ is new − old, cell by cell.

The nudge check shows that a gradient is a slope: move one weight by +h and
by −h, recompute the same document's loss each time on plain floats (no
graph), and (L(w+h) − L(w−h)) / 2h is the derivative autograd computed, up to
h² and rounding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import GPT
from ..ops import Weights
from ..tokenizer import Tokenizer
from ..train import evaluate_tokens

NUDGE_H = 1e-5  # small enough for h² to vanish, large enough for rounding (~1e-16 L / h) to stay tiny


@dataclass(frozen=True)
class StepState:
    """One step's numbers, flat: what the matrix view draws (all of one step, copied)."""

    step: int  # updates applied: the weights are after this step's update
    weights: tuple[float, ...]
    before: tuple[float, ...] | None  # the weights the step started from (None: not kept)
    grads: tuple[float, ...] | None  # the step's gradient, at `before` (None: no graph to read)
    m: tuple[float, ...]
    v: tuple[float, ...]
    doc: str = ""  # the document the step trained on (the nudge check's loss is on it)


@dataclass(frozen=True)
class Nudge:
    """The loss with one weight moved by ±h, the slope it gives, and the gradient autograd computed."""

    name: str
    row: int
    col: int
    h: float
    loss_plus: float
    loss_minus: float
    gradient: float

    @property
    def estimate(self) -> float:
        return (self.loss_plus - self.loss_minus) / (2 * self.h)

    @property
    def relative_error(self) -> float:
        scale = max(abs(self.gradient), abs(self.estimate))
        return abs(self.estimate - self.gradient) / scale if scale else 0.0


def offsets(shapes: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Where each matrix starts in a flat list of every weight."""
    where, at = {}, 0
    for name, (rows, cols) in shapes.items():
        where[name] = at
        at += rows * cols
    return where


def matrix_of(shapes: dict[str, tuple[int, int]], flat: Sequence[float], name: str) -> list[list[float]]:
    """Matrix `name` cut out of a flat list, as rows."""
    rows, cols = shapes[name]
    start = offsets(shapes)[name]
    return [list(flat[start + r * cols : start + (r + 1) * cols]) for r in range(rows)]


def histogram(values: Sequence[float], bins: int = 11) -> tuple[float, float, list[int]]:
    """(lo, hi, counts): `bins` equal bins over [lo, hi], symmetric about 0 (hi = max |value|).

    Values that are not finite (a run that blew up) fall in no bin. Each value is divided by `hi`
    before anything is added to it: `(v + hi)` overflows to inf for weights of 1e308."""
    finite = [v for v in values if math.isfinite(v)]
    hi = max((abs(v) for v in finite), default=0.0) or 1.0
    counts = [0] * bins
    for v in finite:
        counts[min(bins - 1, int((v / hi + 1) / 2 * bins))] += 1
    return -hi, hi, counts


def largest(rows: Sequence[Sequence[float]], n: int = 5) -> list[tuple[int, int, float]]:
    """The `n` cells of largest |value|: (row, col, value), largest first."""
    cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row)]
    return sorted(cells, key=lambda cell: (-abs(cell[2]), cell[0], cell[1]))[:n]


def nudge(
    model_weights: Weights,
    model: GPT,
    tokenizer: Tokenizer,
    doc: str,
    name: str,
    row: int,
    col: int,
    gradient: float,
    h: float = NUDGE_H,
) -> Nudge:
    """The loss on `doc` with weight `name`[row][col] at w + h and at w − h (no graph; the weights are copies)."""
    tokens = tokenizer.document(doc[: model.config.block_size])
    losses = []
    for sign in (1, -1):
        weights = {n: [r[:] for r in rows] for n, rows in model_weights.items()}
        weights[name][row][col] += sign * h
        nudged = GPT(model.config, model.vocab_size, weights=weights)
        losses.append(evaluate_tokens(nudged, tokenizer, tokens).loss)
    return Nudge(name, row, col, h, losses[0], losses[1], gradient)
