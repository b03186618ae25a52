"""Provides the running summaries a viewer of training needs, as plain numbers.

The app draws these; it computes none of them itself:

- `LossHistory`: every step's loss, its exponential moving average (EMA) and a
  trailing mean, and the whole run downsampled to a few hundred points for a plot.
- `RateMeter`: steps per second over the last few seconds.
- `ParamTrends`: each weight matrix's recent gradient norms and update:data ratios.
- `SampleLog`: the names sampled so far, each marked if it is in the training data.
- `surprisal`, `total_grad_norm`: one-line formulas, named.

Pure Python, no UI imports; every method is O(1) per step except `series`,
which is O(steps) and is called a few times a second at most.
"""

import math
import time
from collections import deque


def surprisal(p):
    """-log p: the loss the model pays for this one prediction (inf when p is 0)."""
    return -math.log(p) if p > 0 else math.inf


def log10_or_none(x):
    """log10(x) for x > 0; None for 0 (an update of exactly nothing has no ratio)."""
    return math.log10(x) if x > 0 else None


def total_grad_norm(params):
    """The L2 norm of the whole gradient, from each matrix's own norm (hypot: no overflow)."""
    return math.hypot(*(p.grad_norm for p in params))


def downsample(values, max_points, start=1):
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


class LossHistory:
    """Every step's loss, its EMA, and a trailing mean for plotting.

    The EMA is bias-corrected (as Adam's moments are) so it starts at the first
    loss instead of creeping up from zero.
    """

    def __init__(self, beta=0.95, window=50):
        if not 0 <= beta < 1:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        if window < 1:
            raise ValueError(f"window must be at least 1, got {window}")
        self.beta, self.window = beta, window
        self.losses: list[float] = []
        self.means: list[float] = []  # means[i]: mean of losses[max(0, i-window+1) .. i]
        self._ema_raw = 0.0
        self._window_sum = 0.0

    def __len__(self):
        return len(self.losses)

    def add(self, loss):
        self.losses.append(loss)
        self._ema_raw = self.beta * self._ema_raw + (1 - self.beta) * loss
        self._window_sum += loss
        if len(self.losses) > self.window:
            self._window_sum -= self.losses[-self.window - 1]
        self.means.append(self._window_sum / min(len(self.losses), self.window))

    @property
    def last(self):
        return self.losses[-1] if self.losses else None

    @property
    def ema(self):
        """Bias-corrected exponential moving average of the loss (None before any step)."""
        if not self.losses:
            return None
        return self._ema_raw / (1 - self.beta ** len(self.losses))

    def series(self, max_points, first_step=1):
        """(xs, losses, xs_mean, means), each downsampled to at most max_points."""
        xs, losses = downsample(self.losses, max_points, first_step)
        xm, means = downsample(self.means, max_points, first_step)
        return xs, losses, xm, means


class RateMeter:
    """Steps per second over the last `span` seconds of (time, step) readings."""

    def __init__(self, span=2.0):
        self.span = span
        self._readings = deque()

    def reset(self):
        self._readings.clear()

    def add(self, step, now=None):
        now = time.monotonic() if now is None else now
        self._readings.append((now, step))
        while len(self._readings) > 2 and now - self._readings[1][0] >= self.span:
            self._readings.popleft()

    def rate(self):
        """Steps per second, or None until there are two readings far enough apart."""
        if len(self._readings) < 2:
            return None
        (t0, s0), (t1, s1) = self._readings[0], self._readings[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else None


class ParamTrends:
    """Per matrix, the last `length` gradient norms and log10(update std / weight std).

    Karpathy's rule of thumb for the ratio: around -3 (each update a thousandth
    of the weights) is healthy; much lower learns slowly, much higher is unstable.
    """

    HEALTHY = -3.0  # the rule of thumb's centre, log10(1e-3)
    BAND = 0.5  # +-: the band drawn as healthy

    def __init__(self, length=30):
        self.length = length
        self.ratios: dict[str, deque] = {}
        self.grad_norms: dict[str, deque] = {}

    def add(self, params):
        for p in params:
            ratios = self.ratios.setdefault(p.name, deque(maxlen=self.length))
            norms = self.grad_norms.setdefault(p.name, deque(maxlen=self.length))
            value = log10_or_none(p.update_ratio)
            if value is not None:
                ratios.append(value)
            norms.append(p.grad_norm)

    def latest(self, name):
        """The last log10 update ratio of matrix `name` (None if never updated)."""
        trend = self.ratios.get(name)
        return trend[-1] if trend else None

    def grad_history(self, name):
        return list(self.grad_norms.get(name, ()))

    @classmethod
    def healthy(cls, log_ratio):
        return log_ratio is not None and abs(log_ratio - cls.HEALTHY) <= cls.BAND


class SampleLog:
    """The names sampled this session (newest first), marked if in the training data."""

    def __init__(self, docs, limit=200):
        self.known = frozenset(docs)
        self.limit = limit
        self.entries: deque[tuple[str, bool]] = deque(maxlen=limit)

    def add(self, text):
        entry = (text, text in self.known)
        self.entries.appendleft(entry)
        return entry
