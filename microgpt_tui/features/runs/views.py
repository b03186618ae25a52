"""Provides the views of the session's runs: the runs table, two runs compared, a run's curve for the loss plot.

They only read the `RunBook` (and each run's `RunHistory`); the lab's
intents decide what changes.
"""

from __future__ import annotations

from microgpt_engine.insight.history import downsample
from microgpt_tui.core.labels import visible_text
from microgpt_tui.core.runs import KeptRun, RunBook
from microgpt_tui.core.views import HeldOut, RunCurve, RunRow, RunsCompareView, RunsView
from microgpt_tui.features.runs.held_out_losses import HeldOutLosses

SAMPLES_SHOWN = 3  # samples per row of the runs table
STATS = ("mean", "std", "grad_norm", "update_ratio")  # per matrix, in the comparison


def held_out(losses: HeldOutLosses, book: RunBook, *runs: KeptRun) -> HeldOut | None:
    """The runs' held-out figure, each at its present step (None until measured)."""
    return losses.of(*(losses.key(run, run is book.current) for run in runs))


def row(book: RunBook, run: KeptRun, losses: HeldOutLosses | None = None, training: bool = False) -> RunRow:
    """`training`: the live run is training (its held-out names are measured once it stops)."""
    held = held_out(losses, book, run) if losses is not None else None
    live = run is book.current
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
        held,
        losses is not None and losses.key(run, live) is not None and not (live and training),
    )


def runs_view(book: RunBook, losses: HeldOutLosses | None = None, training: bool = False) -> RunsView:
    return RunsView(tuple(row(book, run, losses, training) for run in book.runs), book.nbytes())


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


def compare_view(
    book: RunBook, a: KeptRun, b: KeptRun, points: int, losses: HeldOutLosses | None = None, training: bool = False
) -> RunsCompareView:
    """Runs `a` and `b`: both curves, every matrix either of them has, their samples, and their losses on the
    held-out names neither trained on."""
    stats_a, stats_b = last_stats(a), last_stats(b)
    names = list(stats_a) + [name for name in stats_b if name not in stats_a]
    empty = (None,) * len(STATS)
    params = tuple((name, stats_a.get(name, empty), stats_b.get(name, empty)) for name in names)
    rows = (row(book, a, losses, training), row(book, b, losses, training))
    both = held_out(losses, book, a, b) if losses is not None else None
    return RunsCompareView(rows, (curve(a, points), curve(b, points)), params, STATS, both)
