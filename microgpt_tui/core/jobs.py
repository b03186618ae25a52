"""Provides `Job`: work an intent hands the app to run off the UI thread, and what lands back on it.

Every background job of the session is one of these: training, time travel's
replays, the plain engine's graph view, the bigram table, the baselines and
the index of the training names. `run` works on its own copies on a worker
thread (it may call `report` to say it has something for the UI, and should
stop when `cancelled()`); the app hands what it returned to `land` on the UI
thread, and applies the `Change` that returns, as after a key. A new job of a
`group` cancels the one still running in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def _nothing() -> Any:
    return None


@dataclass(frozen=True, eq=False)
class Job:
    """One piece of background work: `run` on a worker thread, `land` (and `progress`) on the UI thread."""

    group: str  # one job of a group at a time: "training", "replay", "graph", "bigram", "baselines", "names"
    run: Callable[[Callable[[], bool], Callable[[], object]], Any]  # (cancelled, report) -> the result
    land: Callable[[Any], Any]  # the result -> a Change (typed Any: views.py imports this module)
    progress: Callable[[], Any] = _nothing  # on each report: a Change, or None for "something to draw"

    def __repr__(self) -> str:  # (Textual names a worker by its job: never print a closure's captured data)
        return f"Job({self.group})"
