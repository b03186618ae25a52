"""Provides `RunBook`: every run of the session, kept side by side after the next one starts.

A kept run is what a learner compares: its settings, its `RunHistory` (the
same object the lab trained into, never copied), its samples, and, once it is
no longer the live run, its final state (weights and Adam moments) so it can
still be saved. It costs what its history costs, about 0.78 KB a step for the
default model, plus one final state (3 x 4,192 floats, 100 KB): ten
1,000-step runs hold about 8.7 MB (`RunBook.nbytes`; a test measures it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from microgpt_engine import Config
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.timetravel import Snapshot
from microgpt_tui.features.sampling.sample_log import SampleLog
from microgpt_tui.language import _

# The settings a learner changes, in the order the runs table says what differs.
COMPARED = ("lr", "steps", "n_embd", "n_head", "n_layer", "block_size", "seed", "temperature", "attention")


def describe(name: str, value: object) -> str:
    """One setting as the runs table says it: "lr 0.05", "n_layer 0", "attention off"."""
    if isinstance(value, bool):
        return f"{name} {'on' if value else 'off'}"
    return f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"


@dataclass
class KeptRun:
    """One run of the session: how it was set up and what it did."""

    number: int  # counts from 0, in the order the runs began
    name: str
    config: Config
    engine: str
    dataset: str
    history: RunHistory
    samples: SampleLog
    uniform: float
    bigram: float | None = None  # the data's bigram loss (computed off the UI thread)
    origin: str = ""  # how it began, in words: "fork of run 0 at step 500", "preset: …"
    final: Snapshot | None = None  # the state it ended in, once another run is live
    rng: tuple[Any, ...] | None = None  # its RNG then (a saved checkpoint carries it)
    level: float | None = None  # a run with no steps, only a loss (the bigram count table)
    docs: list[str] | None = None  # its training documents (the list it trained on, shared, not copied)
    order: list[str] | None = None  # the same, in the order its steps take them (the trainer's list, shared)

    @property
    def steps(self) -> int:
        return self.history.now

    def mean_last(self, n: int = 100) -> float | None:
        """The mean loss of the last `n` steps (a count table: its one loss)."""
        if not len(self.history):
            return self.level
        tail = self.history.losses[-n:]
        return math.fsum(tail) / len(tail)

    def settings(self) -> dict[str, object]:
        values: dict[str, object] = {name: getattr(self.config, name) for name in COMPARED}
        values["engine"], values["dataset"] = self.engine, self.dataset
        return values

    def nbytes(self) -> int:
        return self.history.nbytes() + (self.final.nbytes if self.final is not None else 0)


@dataclass
class RunBook:
    """The runs in the order they began; `current` is the live one (the lab trains into it)."""

    runs: list[KeptRun] = field(default_factory=list)
    current: KeptRun | None = None
    _next: int = 0

    def add(self, current: bool = True, **fields: Any) -> KeptRun:
        """A new run, named "run N" unless `name` is given; it becomes the current one unless `current` is False."""
        number = self._next
        self._next += 1
        fields.setdefault("name", f"run {number}")
        run = KeptRun(number=number, **fields)
        self.runs.append(run)
        if current:
            self.current = run
        return run

    def get(self, number: int) -> KeptRun | None:
        return next((run for run in self.runs if run.number == number), None)

    def earlier(self) -> list[KeptRun]:
        """Every run but the current one, oldest first."""
        return [run for run in self.runs if run is not self.current]

    def remove(self, number: int) -> KeptRun:
        run = self.get(number)
        if run is None:
            raise KeyError(_("there is no run {number}").format(number=number))
        if run is self.current:
            raise ValueError(_("{run} is the live run: start another one before removing it").format(run=run.name))
        self.runs.remove(run)
        return run

    def rename(self, number: int, name: str) -> KeptRun:
        run = self.get(number)
        name = " ".join(name.split())
        if run is None:
            raise KeyError(_("there is no run {number}").format(number=number))
        if not name:
            raise ValueError(_("a run's name cannot be empty"))
        run.name = name[:40]
        return run

    def differs(self, run: KeptRun) -> str:
        """What is set differently from the first run kept ("lr 0.1, n_layer 2"); "" for the same."""
        if not self.runs or run is self.runs[0]:
            return ""
        first = self.runs[0].settings()
        parts = [describe(name, value) for name, value in run.settings().items() if value != first[name]]
        return ", ".join(parts)

    def nbytes(self) -> int:
        return sum(run.nbytes() for run in self.runs)
