"""Provides `RunHistory`: every finished step of a run, stored once, and the views a viewer needs of it.

One step keeps a handful of numbers: its loss, learning rate and time, the
loss EMA and trailing mean as of that step, its document, and ten summary
numbers of each weight matrix (`STAT_FIELDS`). They live in flat
`array('d')`s (8 bytes a float, where a Python float in a list costs 32):
about 780 bytes a step for the default model. The memory has a ceiling: the
newest `recent` steps are kept whole, and once more than `cap` rows are kept
the older ones are thinned to every 2nd (then 4th, ...) step, counted from the
first, so a run of any length keeps at most `cap` rows (`bench/history_bench.py`
prints the figure for 1,000,000 steps). Each row records its step (`steps`); the
status line's loss, EMA and trailing mean stay exact, as they are computed as
each step arrives. Everything else is a read-only view of these arrays:

- the status line's loss, EMA and trailing mean (`last_loss`, `ema`, `mean`);
- the loss plot's curves, downsampled to a few hundred points (`series`);
- the parameter table's numbers and trends at any step (`params`, `log_ratio`, `grad_norms`);
- time travel's per-step summary (`summary`) and the CSV rows (`rows`);
  a step that was thinned away reads the kept row at or before it (`kept`, `holds`);
- a fork: `fork(step)` cuts the later steps off and returns them as a history of their own.

Pure Python, no UI imports. Every method is O(1) per step except `series`
and `rows`, which are O(steps) and run a few times a second at most.
"""

from __future__ import annotations

import copy
import math
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from ..records import ParamStats, StepRecord

# The per-matrix numbers kept for every step (name, rows and cols are fixed per matrix).
STAT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ParamStats) if f.name not in ("name", "rows", "cols"))
_stats_of = attrgetter(*STAT_FIELDS)  # (one call a matrix: append runs every step of every run)


def log10_or_none(x: float) -> float | None:
    """log10(x) for x > 0; None for 0 (an update of exactly nothing has no ratio)."""
    return math.log10(x) if x > 0 else None


def total_grad_norm(params: Sequence[ParamStats]) -> float:
    """The L2 norm of the whole gradient, from each matrix's own norm (hypot: no overflow)."""
    return math.hypot(*(p.grad_norm for p in params))


def downsample(
    values: Sequence[float], max_points: int, start: int = 1, steps: Sequence[int] | None = None
) -> tuple[list[float], list[float]]:
    """Bucket means of `values` so a plot gets at most `max_points` points.

    Returns (xs, ys): xs are the mean step numbers of each bucket (steps count
    from `start`, or are `steps`, one per value, when a history was thinned),
    so the curve stays where it was, only smoother. Short series come back
    unchanged. A plotting library's cost grows with its points; the eye cannot
    see more than about two per character cell anyway.
    """
    n = len(values)
    if max_points < 1 or n == 0:
        return [], []
    if n <= max_points:
        return [start + i if steps is None else steps[i] for i in range(n)], list(values)
    xs, ys = [], []
    for b in range(max_points):
        lo, hi = b * n // max_points, (b + 1) * n // max_points
        if hi <= lo:
            continue
        chunk = values[lo:hi]
        xs.append(start + (lo + hi - 1) / 2 if steps is None else sum(steps[lo:hi]) / (hi - lo))
        ys.append(sum(chunk) / len(chunk))
    return xs, ys


def _finite_numbers(values: list[Any]) -> bool:
    """Every value is a finite int or float (never a bool). What JSON gives is checked by type first, in C: a
    saved run of 50,000 steps holds millions of stats, which a check value by value took seconds to read."""
    if set(map(type, values)) <= {int, float}:
        return all(map(math.isfinite, values))
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)


@dataclass(frozen=True)
class StepSummary:
    """What the history keeps of one step (the full record is a replay away)."""

    step: int  # 1-based, as in StepRecord (the kept step read, for a step thinned away)
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


# The default ceiling: the newest 50,000 steps whole, at most 100,000 rows in all.
# A step's loss is a mean of -log p, and the smallest p above 0 is 5e-324, so every finite loss lies
# in [0, 745): a saved loss outside it (1e308, say) is no loss, and would overflow the views' sums.
MAX_LOSS = -math.log(5e-324)
LOSS_COLUMNS = ("loss", "ema", "mean")
RECENT = 50_000
CAP = 100_000


class RunHistory:
    """The steps start+1 .. now of one run, in order; append each finished step once."""

    def __init__(
        self,
        shapes: dict[str, tuple[int, int]],
        start: int = 0,
        beta: float = 0.95,
        window: int = 50,
        recent: int = RECENT,
        cap: int = CAP,
    ):
        if not 0 <= beta < 1:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        if recent < window or cap < recent + 2:
            raise ValueError(f"need window <= recent and recent + 2 <= cap, got {window}, {recent}, {cap}")
        self.shapes = dict(shapes)
        self.start = start  # the step before the first one kept (a loaded checkpoint's)
        self.beta, self.window = beta, window
        self.recent, self.cap = recent, cap  # (the trailing mean needs the last `window` losses whole)
        self.stride = 1  # the older rows are the steps start+1, start+1+stride, ...
        self._steps = array("q")  # the step of each kept row
        self._now = start
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
        """The last step of the run (start when there is none).

        The newest step is never thinned; only a fork at a thinned step leaves
        `now` past the last row (its numbers are the kept step's before it).
        """
        return self._now

    def __len__(self) -> int:
        """The rows kept (fewer than now - start once the history was thinned)."""
        return len(self._losses)

    @property
    def steps(self) -> Sequence[int]:
        """The step of each kept row, oldest first (read-only: the history's own column)."""
        return self._steps

    def append(self, record: StepRecord) -> None:
        """Keep one finished step; a diverged step changed nothing and is not kept."""
        if record.diverged:
            return
        if record.step != self.now + 1:
            raise ValueError(f"the history is at step {self.now}, but this record is step {record.step}")
        self._derive(record.loss)
        self._steps.append(record.step)
        self._now = record.step
        self._docs.append(record.doc)
        self._losses.append(record.loss)
        self._lrs.append(record.lr)
        self._ms.append(record.ms)
        stats = self._stats
        for p in record.params:
            stats.extend(map(float, _stats_of(p)))
        if len(self._losses) > self.cap:
            self._thin()

    def _thin(self) -> None:
        """Thin the rows older than the `recent` newest steps until half the room above them is free.

        Freeing half the room (not one row) makes thinning happen once every
        (cap - recent) / 2 steps, so its O(cap) cost is O(1) a step.
        """
        old = bisect_right(self._steps, self.now - self.recent)  # rows [0, old) are the older ones
        target = (self.cap - self.recent) // 2
        while True:
            keep = [k for k in range(old) if (self._steps[k] - self.start - 1) % self.stride == 0]
            if len(keep) <= target:
                break
            self.stride *= 2
        keep.extend(range(old, len(self._steps)))
        w = self._width
        self._docs = [self._docs[k] for k in keep]
        stats, old_stats = array("d"), self._stats
        for k in keep:  # (a row's slice at a time: a saved 50,000-step run has millions of stats)
            stats.extend(old_stats[k * w : (k + 1) * w])
        self._stats = stats
        for name in ("_steps", "_losses", "_lrs", "_ms", "_emas", "_means"):
            column = getattr(self, name)
            setattr(self, name, array(column.typecode, map(column.__getitem__, keep)))

    def _derive(self, loss: float) -> None:
        """The EMA and trailing mean as of a new step's `loss` (before the loss itself is appended)."""
        n = len(self._losses) + 1
        self._emas.append(self.beta * (self._emas[-1] if self._emas else 0.0) + (1 - self.beta) * loss)
        window = self._losses[-(self.window - 1) :] if self.window > 1 else ()
        self._means.append((sum(window) + loss) / min(n, self.window))

    @property
    def values_per_row(self) -> int:
        """How many JSON values a kept row costs in `to_json` (its stats, step, loss, lr, ms, EMA, mean, doc)."""
        return self._width + 7

    def to_json(self, max_rows: int | None = None) -> dict[str, Any]:
        """The kept numbers as plain JSON (the EMA and means are derived again on loading).

        A thinned history also saves its steps, stride, EMA and means: they
        cannot be derived again from the rows it kept. `max_rows`: at most that
        many rows, the older ones thinned the way `append` thins them (what a
        checkpoint can carry and still load; the history itself is unchanged).
        """
        if max_rows is not None and len(self) > max_rows:
            smaller = copy.copy(self)  # (_thin rebinds every column: the copy's thinning leaves these alone)
            smaller.recent, smaller.cap = max(self.window, max_rows // 2), max_rows
            smaller._thin()
            return smaller.to_json()
        data: dict[str, Any] = {
            "start": self.start,
            "beta": self.beta,
            "window": self.window,
            "docs": list(self._docs),
            "loss": list(self._losses),
            "lr": list(self._lrs),
            "ms": list(self._ms),
            "stats": list(self._stats),
        }
        if len(self) != self.now - self.start or (self._steps and self._steps[-1] != self.now):
            data.update(steps=list(self._steps), stride=self.stride, ema=list(self._emas), mean=list(self._means))
        return data

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
        if not (0.0 <= beta < 1.0 and 1 <= window <= CAP):
            raise ValueError(f"the history's beta {beta!r} or window {window!r} is out of range")
        history = cls(shapes, start, beta, window)
        thinned = "steps" in data
        steps = data["steps"] if thinned else list(range(start + 1, now + 1))
        if thinned:
            stride = data.get("stride")
            if not (isinstance(stride, int) and not isinstance(stride, bool) and 1 <= stride <= max(now, 1)):
                raise ValueError("the history's stride is not a step count")
            if not isinstance(steps, list) or not all(isinstance(s, int) and not isinstance(s, bool) for s in steps):
                raise ValueError("the history's steps are not whole numbers")
            if not steps or steps[-1] > now or steps[0] <= start or any(a >= b for a, b in zip(steps, steps[1:])):
                raise ValueError(f"the history's steps do not rise from {start + 1} to at most {now}")
            history.stride = stride
        n = len(steps)
        columns = {"loss": n, "lr": n, "ms": n, "stats": n * history._width}
        if thinned:
            columns.update(ema=n, mean=n)
        for name, length in columns.items():
            values = data.get(name)
            if not isinstance(values, list) or len(values) != length:
                raise ValueError(f"the history's {name} does not hold {length:,} numbers")
            if not _finite_numbers(values):
                raise ValueError(f"the history's {name} holds something that is not a finite number")
            if name in LOSS_COLUMNS and not all(0.0 <= v <= MAX_LOSS for v in values):
                raise ValueError(f"the history's {name} holds a loss no step can have (0 to {MAX_LOSS:.0f})")
        docs = data.get("docs")
        if not isinstance(docs, list) or len(docs) != n or not all(isinstance(d, str) for d in docs):
            raise ValueError(f"the history's docs are not {n:,} strings")
        if thinned:
            history._emas, history._means = array("d", data["ema"]), array("d", data["mean"])
            history._losses = array("d", data["loss"])
        else:
            for loss in data["loss"]:
                history._derive(float(loss))
                history._losses.append(float(loss))
        history._steps, history._now = array("q", steps), now
        history._docs = list(docs)
        history._lrs, history._ms = array("d", data["lr"]), array("d", data["ms"])
        history._stats = array("d", data["stats"])
        if len(history) > history.cap:
            history._thin()
        return history

    def fork(self, step: int) -> RunHistory:
        """Cut the steps after `step` off; they come back as a history of their own (the branch)."""
        if not self.start <= step <= self.now:
            raise IndexError(f"the history holds steps {self.start}..{self.now}, not {step}")
        k = bisect_right(self._steps, step)  # the rows of steps up to `step` stay
        branch = RunHistory(self.shapes, step, self.beta, self.window, self.recent, self.cap)
        branch.stride, branch._now, self._now = self.stride, self._now, step
        branch._docs, branch._stats = self._docs[k:], self._stats[k * self._width :]
        del self._docs[k:], self._stats[k * self._width :]
        for name in ("_steps", "_losses", "_lrs", "_ms", "_emas", "_means"):
            column = getattr(self, name)
            setattr(branch, name, column[k:])
            del column[k:]
        return branch

    # --- Reading ------------------------------------------------------------

    def _index(self, step: int) -> int:
        """The row of `step`, or of the last kept step before it when it was thinned away."""
        if not self.start < step <= self.now or not self._steps:
            raise IndexError(f"the history holds steps {self.start + 1}..{self.now}, not {step}")
        k = step - self.start - 1
        if k < len(self._steps) and self._steps[k] == step:  # (not thinned: the row is the step's own)
            return k
        return max(bisect_right(self._steps, step) - 1, 0)

    def kept(self, step: int) -> int:
        """The step whose numbers are read for `step`: itself, or the last kept step before it."""
        return self._steps[self._index(step)]

    def holds(self, step: int) -> bool:
        """Whether the history keeps step `step`'s own row (not thinned away)."""
        return self.start < step <= self.now and self.kept(step) == step

    def loss(self, step: int) -> float:
        """The loss of `step` (of the kept step before it when it was thinned away: see `kept`)."""
        return self._losses[self._index(step)]

    def lr(self, step: int) -> float:
        """The learning rate step `step` was taken with."""
        return self._lrs[self._index(step)]

    @property
    def losses(self) -> list[float]:
        """Every kept row's loss, oldest first (the newest `recent` steps are all there)."""
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
        n = self.now - self.start  # the steps averaged (some rows may be thinned away)
        return self._emas[-1] / (1 - self.beta**n) if self._emas else None

    @property
    def mean(self) -> float | None:
        """The trailing mean of the last `window` losses (None before any step)."""
        return self._means[-1] if self._means else None

    def trailing_means(self) -> Sequence[float]:
        """The trailing mean as of every kept step (read-only: the history's own column)."""
        return self._means

    def series(self, max_points: int) -> tuple[list[float], list[float], list[float], list[float]]:
        """(xs, losses, xs_mean, means), each downsampled to at most max_points."""
        xs, losses = downsample(self._losses, max_points, steps=self._steps)
        xm, means = downsample(self._means, max_points, steps=self._steps)
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
        """Matrix `name`'s gradient norms of the last `length` kept steps up to `step`, oldest first."""
        j, field = self._names.index(name), STAT_FIELDS.index("grad_norm")
        end = self._index(step) + 1
        return [self._stat(k, j, field) for k in range(max(0, end - length), end)]

    def summary(self, step: int) -> StepSummary:
        """The kept numbers of step `step` (1-based: the step-th update; see `kept` for a thinned one)."""
        k = self._index(step)
        kept = self._steps[k]
        return StepSummary(kept, self._docs[k], self._losses[k], self._lrs[k], self.params(kept))

    def rows(self) -> Iterator[LoggedStep]:
        """Every kept row as a CSV row's worth, oldest first."""
        for k, step in enumerate(self._steps):
            yield LoggedStep(step, self._docs[k], self._losses[k], self._lrs[k], self._ms[k], self.params(step))

    def nbytes(self) -> int:
        """Memory held by the history's numbers (the documents are shared with the trainer)."""
        columns = (self._steps, self._losses, self._lrs, self._ms, self._emas, self._means, self._stats)
        return sum(a.itemsize * len(a) for a in columns) + 8 * len(self._docs)
