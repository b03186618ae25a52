"""Provides the views of the session's runs: the runs table, two runs compared, a run's curve for the loss plot.

They only read the `RunBook` (and each run's `RunHistory`); the lab's
intents decide what changes.
"""

from __future__ import annotations

from microgpt_engine.insight.history import downsample
from microgpt_tui.core.labels import visible_text
from microgpt_tui.core.runs import KeptRun, RunBook
from microgpt_tui.core.views import RunCurve, RunRow, RunsCompareView, RunsView

SAMPLES_SHOWN = 3  # samples per row of the runs table
STATS = ("mean", "std", "grad_norm", "update_ratio")  # per matrix, in the comparison


def row(book: RunBook, run: KeptRun) -> RunRow:
    return RunRow(
        run.number,
        visible_text(run.name),
        book.differs(run),
        run.steps,
        run.config.steps,
        run.mean_last(100),
        run.bigram,
        run.uniform,
        tuple(visible_text(name) for name, _ in list(run.samples.entries)[:SAMPLES_SHOWN]),  # the data's: escaped
        run is book.current,
        run.origin,
    )


def runs_view(book: RunBook) -> RunsView:
    return RunsView(tuple(row(book, run) for run in book.runs), book.nbytes())


def curve(run: KeptRun, points: int) -> RunCurve:
    """The run's trailing-mean curve, downsampled to `points` (a count table: its level only)."""
    history = run.history
    xs, means = downsample(history.trailing_means(), points, steps=history.steps)
    return RunCurve(run.number, run.name, tuple(xs), tuple(means), run.level)


def last_stats(run: KeptRun) -> dict[str, tuple[float | None, ...]]:
    """Each matrix's STATS after the run's last step (empty before any step)."""
    history = run.history
    if not len(history):
        return {}
    return {p.name: tuple(float(getattr(p, stat)) for stat in STATS) for p in history.params(history.now)}


def compare_view(book: RunBook, a: KeptRun, b: KeptRun, points: int) -> RunsCompareView:
    """Runs `a` and `b`: both curves, every matrix either of them has, and their samples."""
    stats_a, stats_b = last_stats(a), last_stats(b)
    names = list(stats_a) + [name for name in stats_b if name not in stats_a]
    empty = (None,) * len(STATS)
    params = tuple((name, stats_a.get(name, empty), stats_b.get(name, empty)) for name in names)
    return RunsCompareView((row(book, a), row(book, b)), (curve(a, points), curve(b, points)), params, STATS)
