"""Provides `Door`: what the app logs of its inputs and of what it did on its own, for recordings and replays.

Every key, paste and mouse button reaches the app through `App.on_event` (the one door: Textual hands it
each input before any widget or binding sees it), and a resize through it too; `admit` logs them there. The
app's own doings are logged where they land: a background job (numbered in the order the app started
them: the same order on a replay), training's hand-overs (the step the history now ends at) and the
end of a run, and the sampling timer's ticks. features/recording/format.py says what each line means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.worker import Worker

from microgpt_tui.core.jobs import Job

# The mouse events a replay hands back in (a click is Textual's, made of a down and an up; moves only hover).
MOUSE: dict[type[events.MouseEvent], str] = {
    events.MouseDown: "down",
    events.MouseUp: "up",
    events.MouseScrollUp: "scroll_up",
    events.MouseScrollDown: "scroll_down",
}

if TYPE_CHECKING:
    from microgpt_tui.core.lab import Lab
    from microgpt_tui.features.training.run import TrainingRun


class Door:
    """The log's side of the app: inputs as they come in, jobs as they start and land, steps as they are taken in."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.numbers: dict[Job, int] = {}  # each job the app started -> its number (from 1)
        self.workers: dict[int, Worker[None]] | None = None  # a replay's: a job's number -> its worker
        self.groups: dict[int, str] = {}  # a job's number -> its group
        self.ended: set[int] = set()  # training jobs whose run has ended on the UI thread
        self._seen_step = 0  # the step the history ended at when last looked
        self._seen_run: TrainingRun | None = None
        self._seen_run_job = 0
        self._size: tuple[int, int] | None = None

    def begin(self, size: tuple[int, int]) -> None:
        self._size = size
        self.lab.recording.terminal = size

    def admit(self, event: events.Event) -> None:
        """An input at the door, logged before the app handles it (what the last one did first)."""
        log = self.lab.recording.log
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.observe()
            log("key", event.key, event.character)
        elif isinstance(event, events.Paste) and not event.is_forwarded:
            self.observe()
            log("paste", event.text)
        elif isinstance(event, events.MouseEvent) and type(event) in MOUSE and not event.is_forwarded:
            what = MOUSE[type(event)]
            modifiers = event.shift + 2 * event.meta + 4 * event.ctrl
            self.observe()
            log("mouse", (what, int(event.x), int(event.y), event.button, modifiers))
        elif isinstance(event, events.Resize) and self._size is not None:
            size = (event.size.width, event.size.height)
            if size != self._size:
                self._size = size
                self.observe()
                log("resize", size)

    def started(self, job: Job) -> int:
        number = len(self.numbers) + 1
        self.numbers[job] = number
        self.groups[number] = job.group
        if job.group == "training":
            self._seen_run, self._seen_run_job = self.lab.stepping.run, number
        return number

    def landed(self, job: Job) -> None:
        """A job's result was applied (training's run ends where `observe` sees it end)."""
        if job.group != "training":
            self.observe()
            self.lab.recording.log("job", self.numbers.get(job, 0))
        self.observe()

    def tick(self) -> None:
        self.observe()
        self.lab.recording.log("tick", "sample")

    def observe(self) -> None:
        """Log what changed since the last look: the step the history ends at, a run that ended."""
        stepping = self.lab.stepping
        latest = stepping.latest
        step = latest.step if latest is not None else 0
        if step != self._seen_step:
            self._seen_step = step
            self.lab.recording.log("steps", step)
        if self._seen_run is not None and stepping.run is not self._seen_run:
            self.ended.add(self._seen_run_job)
            self.lab.recording.log("job", self._seen_run_job)
            self._seen_run = None
