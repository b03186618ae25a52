"""Provides `RunHistory`: every finished step of a run, stored once, and the views a viewer needs of it.

One step keeps a handful of numbers: its loss, learning rate and time, the
loss EMA and trailing mean as of that step, its document, and ten summary
numbers of each weight matrix (`STAT_FIELDS`). They live in flat
`array('d')`s (8 bytes a float, where a Python float in a list costs 32):
about 780 bytes a step for the default model. Everything else is a read-only
view of these arrays:

- the status line's loss, EMA and trailing mean (`last_loss`, `ema`, `mean`);
- the loss plot's curves, downsampled to a few hundred points (`series`);
- the parameter table's numbers and trends at any step (`params`, `log_ratio`, `grad_norms`);
- time travel's per-step summary (`summary`) and the CSV rows (`rows`);
- a fork: `fork(step)` cuts the later steps off and returns them as a history of their own.

Pure Python, no UI imports. Every method is O(1) per step except `series`
and `rows`, which are O(steps) and run a few times a second at most.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..records import ParamStats, StepRecord

# The per-matrix numbers kept for every step (name, rows and cols are fixed per matrix).
STAT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ParamStats) if f.name not in ("name", "rows", "cols"))


def log10_or_none(x: float) -> float | None:
    """log10(x) for x > 0; None for 0 (an update of exactly nothing has no ratio)."""
    return math.log10(x) if x > 0 else None


def total_grad_norm(params: Sequence[ParamStats]) -> float:
    """The L2 norm of the whole gradient, from each matrix's own norm (hypot: no overflow)."""
    return math.hypot(*(p.grad_norm for p in params))


def downsample(values: Sequence[float], max_points: int, start: int = 1) -> tuple[list[float], list[float]]:
    """Bucket means of `values` so a plot gets at most `max_points` points.

    Returns (xs, ys): xs are the mean step numbers of each bucket (steps count
    from `start`), so the curve stays where it was, only smoother. Short series
    come back unchanged. A plotting library's cost grows with its points; the
    eye cannot see more than about two per character cell anyway.
    """
    n = len(values)
    if max_points < 1 or n == 0:
        return [], []
    if n <= max_points:
        return [start + i for i in range(n)], list(values)
    xs, ys = [], []
    for b in range(max_points):
        lo, hi = b * n // max_points, (b + 1) * n // max_points
        if hi <= lo:
            continue
        chunk = values[lo:hi]
        xs.append(start + (lo + hi - 1) / 2)
        ys.append(sum(chunk) / len(chunk))
    return xs, ys


@dataclass(frozen=True)
class StepSummary:
    """What the history keeps of one step (the full record is a replay away)."""

    step: int  # 1-based, as in StepRecord
    doc: str
    loss: float
    lr: float
    params: list[ParamStats]


@dataclass(frozen=True)
class LoggedStep:
    """One CSV row's worth of a step (duck-typed like StepRecord for `export.row`)."""

    step: int
    doc: str
    loss: float
    lr: float
    ms: float
    params: list[ParamStats]


class RunHistory:
    """The steps start+1 .. now of one run, in order; append each finished step once."""

    def __init__(self, shapes: dict[str, tuple[int, int]], start: int = 0, beta: float = 0.95, window: int = 50):
        if not 0 <= beta < 1:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        self.shapes = dict(shapes)
        self.start = start  # the step before the first one kept (a loaded checkpoint's)
        self.beta, self.window = beta, window
        self._names = list(shapes)
        self._width = len(STAT_FIELDS) * len(self._names)  # stats floats per step
        self._docs: list[str] = []
        self._losses = array("d")
        self._lrs = array("d")
        self._ms = array("d")
        self._emas = array("d")  # the loss EMA before bias correction, as of each step
        self._means = array("d")  # trailing mean of the last `window` losses, as of each step
        self._stats = array("d")

    # --- Recording ----------------------------------------------------------

    @property
    def now(self) -> int:
        """The last step kept (start when there is none)."""
        return self.start + len(self._losses)

    def __len__(self) -> int:
        return len(self._losses)

    def append(self, record: StepRecord) -> None:
        """Keep one finished step; a diverged step changed nothing and is not kept."""
        if record.diverged:
            return
        if record.step != self.now + 1:
            raise ValueError(f"the history is at step {self.now}, but this record is step {record.step}")
        self._derive(record.loss)
        self._docs.append(record.doc)
        self._losses.append(record.loss)
        self._lrs.append(record.lr)
        self._ms.append(record.ms)
        for p in record.params:
            self._stats.extend(float(getattr(p, f)) for f in STAT_FIELDS)

    def _derive(self, loss: float) -> None:
        """The EMA and trailing mean as of a new step's `loss` (before the loss itself is appended)."""
        n = len(self._losses) + 1
        self._emas.append(self.beta * (self._emas[-1] if self._emas else 0.0) + (1 - self.beta) * loss)
        window = self._losses[-(self.window - 1) :] if self.window > 1 else ()
        self._means.append((sum(window) + loss) / min(n, self.window))

    def to_json(self) -> dict[str, Any]:
        """The kept numbers as plain JSON (the EMA and means are derived again on loading)."""
        return {
            "start": self.start,
            "beta": self.beta,
            "window": self.window,
            "docs": list(self._docs),
            "loss": list(self._losses),
            "lr": list(self._lrs),
            "ms": list(self._ms),
            "stats": list(self._stats),
        }

    @classmethod
    def from_json(cls, shapes: dict[str, tuple[int, int]], data: object, now: int) -> RunHistory:
        """A history saved by `to_json` that ends at step `now`; untrusted input: ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("the history is not an object")
        start, beta, window = data.get("start"), data.get("beta"), data.get("window")
        if not (isinstance(start, int) and not isinstance(start, bool) and 0 <= start <= now):
            raise ValueError(f"the history's start {start!r} is not a step from 0 to {now}")
        if not isinstance(beta, float) or not isinstance(window, int) or isinstance(window, bool):
            raise ValueError("the history's beta and window are not numbers")
        history = cls(shapes, start, beta, window)
        n = now - start
        columns = {"loss": n, "lr": n, "ms": n, "stats": n * history._width}
        for name, length in columns.items():
            values = data.get(name)
            if not isinstance(values, list) or len(values) != length:
                raise ValueError(f"the history's {name} does not hold {length:,} numbers")
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
                raise ValueError(f"the history's {name} holds something that is not a finite number")
        docs = data.get("docs")
        if not isinstance(docs, list) or len(docs) != n or not all(isinstance(d, str) for d in docs):
            raise ValueError(f"the history's docs are not {n:,} strings")
        for loss in data["loss"]:
            history._derive(float(loss))
            history._losses.append(float(loss))
        history._docs = list(docs)
        history._lrs, history._ms = array("d", data["lr"]), array("d", data["ms"])
        history._stats = array("d", data["stats"])
        return history

    def fork(self, step: int) -> RunHistory:
        """Cut the steps after `step` off; they come back as a history of their own (the branch)."""
        if not self.start <= step <= self.now:
            raise IndexError(f"the history holds steps {self.start}..{self.now}, not {step}")
        k = step - self.start
        branch = RunHistory(self.shapes, step, self.beta, self.window)
        branch._docs, branch._stats = self._docs[k:], self._stats[k * self._width :]
        del self._docs[k:], self._stats[k * self._width :]
        for name in ("_losses", "_lrs", "_ms", "_emas", "_means"):
            column = getattr(self, name)
            setattr(branch, name, column[k:])
            del column[k:]
        return branch

    # --- Reading ------------------------------------------------------------

    def _index(self, step: int) -> int:
        if not self.start < step <= self.now:
            raise IndexError(f"the history holds steps {self.start + 1}..{self.now}, not {step}")
        return step - self.start - 1

    def loss(self, step: int) -> float:
        return self._losses[self._index(step)]

    def lr(self, step: int) -> float:
        """The learning rate step `step` was taken with."""
        return self._lrs[self._index(step)]

    @property
    def losses(self) -> list[float]:
        """Every kept step's loss, step start+1 first."""
        return list(self._losses)

    @property
    def last_loss(self) -> float | None:
        return self._losses[-1] if self._losses else None

    @property
    def ema(self) -> float | None:
        """Bias-corrected exponential moving average of the loss (None before any step).

        Bias-corrected as Adam's moments are, so it starts at the first loss
        instead of creeping up from zero.
        """
        n = len(self._emas)
        return self._emas[-1] / (1 - self.beta**n) if n else None

    @property
    def mean(self) -> float | None:
        """The trailing mean of the last `window` losses (None before any step)."""
        return self._means[-1] if self._means else None

    def trailing_means(self) -> Sequence[float]:
        """The trailing mean as of every kept step (read-only: the history's own column)."""
        return self._means

    def series(self, max_points: int) -> tuple[list[float], list[float], list[float], list[float]]:
        """(xs, losses, xs_mean, means), each downsampled to at most max_points."""
        xs, losses = downsample(self._losses, max_points, self.start + 1)
        xm, means = downsample(self._means, max_points, self.start + 1)
        return xs, losses, xm, means

    def params(self, step: int) -> list[ParamStats]:
        """Each matrix's summary numbers after `step`."""
        k, n = self._index(step), len(STAT_FIELDS)
        values = self._stats[k * self._width : (k + 1) * self._width]
        return [
            ParamStats(name, *self.shapes[name], *values[j * n : (j + 1) * n]) for j, name in enumerate(self._names)
        ]

    def _stat(self, k: int, matrix: int, field: int) -> float:
        return self._stats[k * self._width + matrix * len(STAT_FIELDS) + field]

    def log_ratio(self, name: str, step: int) -> float | None:
        """log10 of matrix `name`'s update:data ratio at the last step up to `step` that moved it."""
        j, field = self._names.index(name), STAT_FIELDS.index("update_ratio")
        for k in range(self._index(step), -1, -1):
            value = log10_or_none(self._stat(k, j, field))
            if value is not None:
                return value
        return None

    def grad_norms(self, name: str, step: int, length: int) -> list[float]:
        """Matrix `name`'s gradient norms of the last `length` steps up to `step`, oldest first."""
        j, field = self._names.index(name), STAT_FIELDS.index("grad_norm")
        end = self._index(step) + 1
        return [self._stat(k, j, field) for k in range(max(0, end - length), end)]

    def summary(self, step: int) -> StepSummary:
        """The kept numbers of step `step` (1-based: the step-th update)."""
        k = self._index(step)
        return StepSummary(step, self._docs[k], self._losses[k], self._lrs[k], self.params(step))

    def rows(self) -> Iterator[LoggedStep]:
        """Every kept step as a CSV row's worth, oldest first."""
        for step in range(self.start + 1, self.now + 1):
            k = step - self.start - 1
            yield LoggedStep(step, self._docs[k], self._losses[k], self._lrs[k], self._ms[k], self.params(step))

    def nbytes(self) -> int:
        """Memory held by the history's numbers (the documents are shared with the trainer)."""
        columns = (self._losses, self._lrs, self._ms, self._emas, self._means, self._stats)
        return sum(a.itemsize * len(a) for a in columns) + 8 * len(self._docs)
