"""Provides `Session`: the narrow state every feature shares, and the one way a feature says what happened.

A feature receives this, never the lab or a sibling. It holds what more than
one feature reads and writes: the live trainer and its data, the run's
history and time machine, the runs of the session, the sequence on show, the
selection, the viewed step, the step saved last, and the note and toasts an
intent leaves for the app, and the background jobs it starts. What belongs to one feature (the run in progress,
the sampler, the quiz, the ablation…) stays in that feature; what one feature
asks of another goes through `Interlocks` (interlocks.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from microgpt_engine import Trainer
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.timetravel import TimeMachine
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.labels import visible_text
from microgpt_tui.core.ladder_book import LadderBook
from microgpt_tui.core.runs import KeptRun, RunBook
from microgpt_tui.core.said import spoken
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import Change, Notice, Selection
from microgpt_tui.features.saving.save_guard import SaveGuard
from microgpt_tui.language import _, current


class Session:
    """The live run's trainer, history and time machine, what is on show and selected, and the latest note."""

    trainer: Trainer
    docs: list[str]
    dataset_name: str
    vocab_labels: tuple[str, ...]  # each token's label, by id
    history: RunHistory
    time: TimeMachine

    def __init__(self, save_path: Path | str, loaded_from: Path | None = None) -> None:
        self.save_path = Path(save_path)
        self.save_guard = SaveGuard(self.save_path, loaded_from)  # asks before replacing someone else's file
        self.version = 0  # counts changes to the history, so views of it can be reused until it changes
        self.book = RunBook()  # every run of the session; the live one is book.current
        self.ladder = LadderBook()  # the ladder's rungs, climbed apart from the live run (features/ladder/)
        self.event = ""  # the latest thing that happened, in words (written only by `say`)
        self.notices: list[Notice] = []  # toasts for the app to show (taken by take_notices)
        self.jobs: list[Job] = []  # background work for the app to start (taken by take_jobs)
        self.saved_step = 0  # steps up to here are on disk (or were loaded)
        self.selection = Selection()
        self.sequence: SequenceView | None = None  # the live document or sample the panels look at
        self.viewed_step: int | None = None  # the step whose weights the panels show; None: now
        self.taught: tuple[tuple[int, int], ...] = ()  # the textbook lines finished lessons taught (code view)

    # -- saying what happened ------------------------------------------------------------

    def say(self, note: str, **change: Any) -> Change:
        """The one place the latest event is written; returns the intent's `Change` with it."""
        self.event = note
        return Change(note=note, **change)

    def notify(self, message: str, title: str = "", severity: str = "information", timeout: float = 5) -> None:
        """A toast for the app to show (the data's characters escaped). In another language than English it is
        said on the status line instead: Textual drops a wide character of a toast where it crosses the edge of a
        panel under it (README: Languages); a note said after it takes its place."""
        if current() != "en":
            self.say(message)
            return
        self.notices.append(Notice(visible_text(spoken(message)), visible_text(_(title)), severity, timeout))

    def take_notices(self) -> list[Notice]:
        notices, self.notices = self.notices, []
        return notices

    def start(self, job: Job) -> None:
        """Background work for the app to run off the UI thread (it lands back through `job.land`)."""
        self.jobs.append(job)

    def take_jobs(self) -> list[Job]:
        jobs, self.jobs = self.jobs, []
        return jobs

    # -- the sequence on show and the selection -----------------------------------------------

    def set_sequence(self, seq: SequenceView | None) -> None:
        """Show `seq`; the selected position stays inside it."""
        self.sequence = seq
        if seq is not None and self.selection.position >= len(seq):
            self.selection = replace(self.selection, position=max(0, len(seq) - 1))

    def next_document_view(self) -> SequenceView:
        """The next training document as the model reads it now (before any step on it)."""
        doc = self.trainer.document()
        return SequenceView.from_eval(self.trainer.evaluate(doc), doc, self.trainer.step_count)

    def set_position(self, position: int) -> None:
        last = len(self.sequence) - 1 if self.sequence is not None else 0
        self.selection = replace(self.selection, position=min(max(position, 0), max(last, 0)))

    # -- derived state -------------------------------------------------------------------------

    @property
    def attends(self) -> bool:
        """The live model has attention to look at (n_layer 0 or attention off: none)."""
        config = self.trainer.config
        return config.n_layer > 0 and config.attention

    @property
    def current_run(self) -> KeptRun:
        run = self.book.current
        assert run is not None  # (a run is installed before any feature runs)
        return run

    @property
    def uniform(self) -> float:
        return self.current_run.uniform

    @property
    def bigram(self) -> float | None:
        return self.current_run.bigram

    @property
    def viewing_past(self) -> bool:
        return self.viewed_step is not None
