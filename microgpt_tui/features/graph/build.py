"""Provides `GraphBuild`: the plain engine's graph view, built on a worker thread while the UI stays live.

Numbering a plain step's ~60,000 `Value` nodes and indexing their parents
takes ~0.2 s of CPU (the fused tape: ~20 ms), too long for the UI thread.
The lab plans the build (`GraphPlan`), the app runs `GraphPlan.build` on a
worker and hands the result back (`landed`). Meanwhile training waits: the
plain engine's weights are `Value`s that every step rewrites in place, so a
step taken while the worker reads them would mix two steps in one view, and
g asked for the step on screen. A build planned for a run that is no longer
live is discarded when it lands.
"""

from __future__ import annotations

from dataclasses import dataclass

from microgpt_engine import Trainer
from microgpt_engine.train import gc_paused
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import GraphOpen
from microgpt_tui.features.graph import opening
from microgpt_tui.language import _


@dataclass(frozen=True)
class GraphPlan:
    """What a build reads: the trainer standing still at `step`, and where the view starts."""

    trainer: Trainer
    step: int
    sequence: SequenceView | None
    position: int
    vocab_labels: tuple[str, ...]

    def build(self) -> GraphBuilt:
        """The view (runs on a worker thread: it only reads the trainer, which does not train meanwhile)."""
        try:
            with gc_paused():  # (~200,000 new lists and tuples: each cyclic collection would walk them all)
                view = opening.graph_open(self.trainer, self.sequence, self.position, self.vocab_labels)
                view.graph.index_parents()  # (the screen's first look asks for parents: here, not on the UI thread)
            return GraphBuilt(self, view)
        except Exception as exc:  # (a message on the status line, never a dead worker leaving g stuck)
            return GraphBuilt(self, None, f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class GraphBuilt:
    """A finished build: the view to open, or why there is none."""

    plan: GraphPlan
    view: GraphOpen | None
    error: str = ""


@dataclass
class GraphBuild:
    """The build the app is running, if any (the one writer: InsideViews)."""

    running: GraphPlan | None = None
    count: tuple[int, int, int] | None = None  # (id of the trainer, step, nodes) of the last graph built

    @property
    def note(self) -> str:
        assert self.running is not None
        return _("building the graph of step {step:,}…").format(step=self.running.step)

    def counted(self, trainer: Trainer, step: int) -> int | None:
        """The node count of `trainer`'s graph of `step`, if a view of it was built."""
        if self.count is None or self.count[:2] != (id(trainer), step):
            return None
        return self.count[2]
