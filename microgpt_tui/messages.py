"""Provides the messages the background workers post to the app.

Workers never touch a widget or the lab: they post one of these (thread-safe)
and the app, on its own thread, hands what they carry to the lab.
"""

from dataclasses import dataclass

from textual.message import Message

from microgpt_engine.insight.names import NameIndex
from microgpt_engine.insight.timetravel import Replayed

from .lab.graph_build import GraphBuilt
from .lab.held_out_losses import Measured


@dataclass
class TrainingProgress(Message):
    """Run `run_id` handed finished steps over, or finished (the lab takes them in)."""

    run_id: int


@dataclass
class BaselinesReady(Message):
    """The data's own bigram loss, for the loss plot (computed off the UI thread)."""

    bigram: float
    run: object = None  # the lab's KeptRun it was measured for


@dataclass
class BigramCounted(Message):
    """The bigram preset's count table and the names it spelled (counted off the UI thread)."""

    table: object  # microgpt_engine.insight.bigram.BigramTable
    names: list[str]


@dataclass
class NamesIndexed(Message):
    """The training names are indexed (built off the UI thread at startup)."""

    index: NameIndex


@dataclass
class ReplayLanded(Message):
    """A time-travel replay finished off the UI thread (the lab keeps the states it passed through)."""

    replayed: Replayed


@dataclass
class GraphLanded(Message):
    """The plain engine's graph view was built off the UI thread (the lab opens it, if still current)."""

    built: GraphBuilt


@dataclass
class HeldOutMeasured(Message):
    """Runs' losses on the held-out names were measured off the UI thread."""

    results: list[Measured]
