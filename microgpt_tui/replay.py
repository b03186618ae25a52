"""Provides `ReplayApp`: the app playing a recording back, and `Player`, which hands it the recorded events.

A replay is the same app, on the recording's settings, data and seed, given the recorded events in
their order. Keys and pastes go in at the app's door, as the learner's did. What the app did on its
own is held back until the recording says it happened: training trains only up to the step its next
hand-over reached (its `Limit`) and stops only where it stopped; a background job's result waits
until its turn; the sampling timer ticks when the recording ticked. So each key lands in the state it
landed in when recorded, and the screens are the recorded ones, bit for bit (only their timing differs).

The viewer's own keys steer the replay (space pauses, `.` plays the next key, `+` and `-` change the speed,
q ends it) and never reach the app; the mouse does nothing until the replay has ended. Once it has, the
app is the viewer's (what it saves goes to the replay's own folder: `cli/replay.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.geometry import Size

from microgpt_tui.app import MicroGPTApp
from microgpt_tui.door import MOUSE
from microgpt_tui.features.recording.format import Event, Recording
from microgpt_tui.features.training.run import Limit
from microgpt_tui.language import _
from microgpt_tui.messages import JobLanded

INPUTS = ("key", "paste", "resize", "mouse", "tick")  # what the replay hands in at its recorded time
POLL = 0.005  # seconds between looks at a condition the app's threads fulfil
UNWAITED = frozenset({"training", "player", "opening"})  # workers a replay does not wait for between events


class Diverged(Exception):
    """The app did not reach the state the recording says it reached next (within `patience`)."""


class Player:
    """Walks a recording's events and hands each to the app when its turn comes."""

    def __init__(
        self,
        app: ReplayApp,
        recording: Recording,
        speed: float = 1.0,
        seek_key: int | None = None,
        seek_step: int | None = None,
        before_key: Callable[[int], Awaitable[None]] | None = None,
        patience: float = 60.0,
    ) -> None:
        """`speed` 0: as fast as it goes; `seek_key` / `seek_step`: as fast as it goes up to that key (from 1) or
        training step, then pause there; `before_key(n)`: awaited before the n-th key (tests read the screen)."""
        self.app, self.recording = app, recording
        self.speed = speed
        self.seek_key, self.seek_step = seek_key, seek_step
        self.before_key = before_key
        self.patience = patience
        self.keys = 0  # keys (and pastes) handed in so far
        self.paused = False
        self.one_more = False  # '.': play on up to the next key, then pause again
        self.done = False
        self.diverged: str | None = None
        self.limit: Limit | None = None  # the live run's
        self._resumed = asyncio.Event()
        self._pending: asyncio.Future[None] | None = None  # the last key, until the app has handled it
        self._last_t = 0.0
        self._last_wall: float | None = None

    def new_limit(self) -> Limit:
        """The limit of a run the replay starts: not even its first step until a hand-over is due."""
        self.limit = Limit()
        return self.limit

    # -- the viewer's keys -----------------------------------------------------------------

    def control(self, key: str) -> str | None:
        """A key the viewer pressed during the replay; what it did, in words (None: nothing)."""
        if key == "space":
            self.paused = not self.paused
            self._resumed.set()
            return _("paused: space plays on, . plays the next key") if self.paused else _("playing")
        if key in ("full_stop", "n") and self.paused:
            self.one_more = True
            self._resumed.set()
            return None
        if key in ("plus", "equals_sign", "minus"):
            if self.speed == 0:  # (--speed 0: at once; slower from there is the recorded pace)
                self.speed = 1.0 if key == "minus" else 0.0
            else:
                self.speed = min(self.speed * 2, 64) if key != "minus" else max(self.speed / 2, 1 / 16)
            return _("speed ×{speed}").format(speed=f"{self.speed:g}") if self.speed else _("speed: as fast as it goes")
        if key in ("q", "ctrl+q", "ctrl+c"):
            self.app.exit()
        return None

    # -- playing -------------------------------------------------------------------------------

    async def play(self) -> None:
        app = self.app
        app.lab.stepping.limits = self.new_limit
        try:
            await self._until(lambda: app.is_running and app.main.is_mounted, _("the app to start"), None)
            for index, event in enumerate(self.recording.events):
                await self._handle(index, event)
            await self._settle()
        except Diverged as e:
            self.diverged = str(e)
        finally:
            self.done = True
            app.lab.stepping.limits = lambda: None
            if self.limit is not None:
                self.limit.release()
            app.replay_ended()

    async def _handle(self, index: int, event: Event) -> None:
        app = self.app
        await self._settle()
        if event.kind in INPUTS:
            if event.kind in ("key", "paste"):
                self.keys += 1
            await self._gate(event.kind != "tick")  # (paused: every input waits; '.' plays on to the next key)
            if event.kind in ("key", "paste") and self.before_key is not None:
                await self.before_key(self.keys)
            await self._on_time(event.t)
        if event.kind == "key":
            self._hand_in(events.Key(event.value, event.char))
        elif event.kind == "paste":
            self._hand_in(events.Paste(event.value))
        elif event.kind == "mouse":
            what, x, y, button, modifiers = event.value
            kind = next(cls for cls, name in MOUSE.items() if name == what)
            shift, meta, ctrl = bool(modifiers & 1), bool(modifiers & 2), bool(modifiers & 4)
            self._hand_in(kind(None, x, y, 0, 0, button, shift, meta, ctrl, screen_x=x, screen_y=y))
        elif event.kind == "tick":
            app.sample_tick()
        elif event.kind == "steps":
            await self._steps(index, event.value)
            handing = _("training to hand step {step} over").format(step=f"{event.value:,}")
            await self._until(lambda: self._reached(event.value), handing, index)
            if self.seek_step is not None and event.value >= self.seek_step:
                self.seek_step, self.paused = None, True
                app.notify(
                    _("paused at step {step}: space plays on, . plays the next key").format(step=f"{event.value:,}"),
                    timeout=5,
                )
        elif event.kind == "job":
            await self._job(index, event.value)
        elif event.kind == "mark" and event.value == "start" and not app.lab.recording.recording:
            app.lab.recording.start(quiet=True)  # (--record started it, not a key: the replay records along)
        elif event.kind == "resize":
            size = Size(*event.value)
            if app.is_headless:  # (a terminal's size is its own: there the layout follows the viewer's)
                self._hand_in(events.Resize(size, size))
            else:
                app.notify(
                    _("the recording's terminal became {width}×{height} here").format(
                        width=size.width, height=size.height
                    ),
                    timeout=5,
                )

    async def _steps(self, index: int, step: int) -> None:
        limit = self.limit
        if limit is None:
            return
        if 0 <= limit.step < step:
            # The last hand-over reaches the UI before the run trains on: `_reached` moves on while it may still be
            # on its way, and the next would join it (two hand-overs recorded apart, replayed as one).
            reaching = _("step {step} to reach the screen").format(step=f"{limit.step:,}")
            await self._until(lambda: self._handed_over(limit.step), reaching, index)
        limit.move(step)

    def _on_screen(self) -> int:
        """The last step the UI has (0: none yet)."""
        latest = self.app.lab.stepping.latest
        return latest.step if latest is not None else 0

    def _handed_over(self, step: int) -> bool:
        """The UI has `step`, or the run it came from is gone or asked to stop (the UI may be waiting for that)."""
        run = self.app.lab.stepping.run
        return self._on_screen() >= step or run is None or run.stop_requested

    def _reached(self, step: int) -> bool:
        """The history ends at `step`, or the worker is held there with its steps on their way to the UI (the UI
        may be waiting for the run to stop: a key that pauses, then looks)."""
        if self._on_screen() == step:
            return True
        limit, run = self.limit, self.app.lab.stepping.run
        return run is not None and limit is not None and limit.waiting and run.trainer.step_count == step

    async def _job(self, index: int, number: int) -> None:
        door = self.app.door
        await self._until(
            lambda: number in door.groups, _("background job {number} to start").format(number=number), index
        )
        if door.groups[number] == "training":
            if self.limit is not None:
                self.limit.release()
            stopping = _("training run (job {number}) to stop").format(number=number)
            await self._until(lambda: number in door.ended, stopping, index)
        else:
            worker = (door.workers or {}).get(number)
            ended = lambda: worker is not None and worker.is_finished  # noqa: E731
            finishing = _("background job {number} to finish").format(number=number)
            await self._until(lambda: number in self.app.held or ended(), finishing, index)
            if number not in self.app.held:
                await handled(self.app)  # (its result, if it posted one, is on its way)
            if number in self.app.held:
                self.app.release(number)
            # (else a newer job of its group cancelled it before it ran here: a superseded result, which lands as
            # nothing, as a superseded replay or graph does)

    def _hand_in(self, event: events.Event) -> None:
        self.app.played.add(id(event))
        self.app.post_message(event)
        self._pending = asyncio.ensure_future(handled(self.app))

    async def _settle(self) -> None:
        """Wait until the last key was handled (or waits for training to stop, which the next events let it), and
        the work it started has run (a job's result is held back all the same; the palette's search lists what a
        learner saw before pressing enter)."""
        pending = self._pending
        if pending is not None:
            await self._until(lambda: pending.done() or self._halting(), _("the app to handle the last key"), None)
            if pending.done():
                pending.result()
                self._pending = None
        if self._pending is None:
            await self._until(self._workers_done, _("the app's background work to finish"), None)

    def _workers_done(self) -> bool:
        return all(w.is_finished for w in self.app.workers if w.group not in UNWAITED)

    def _halting(self) -> bool:
        run, limit = self.app.lab.stepping.run, self.limit
        return run is not None and run.stop_requested and limit is not None and limit.waiting

    async def _gate(self, key: bool) -> None:
        """Pause where asked (a seek's end, space), until space or '.' (which lets through what comes up to the
        next `key`, and that key: a click or a key, not the sampling timer's ticks)."""
        if self.seek_key is not None and self.keys >= self.seek_key:
            self.seek_key, self.paused = None, True
            self.app.notify(
                _("paused before key {key}: space plays on, . plays the next key").format(key=f"{self.keys:,}"),
                timeout=5,
            )
        while self.paused and not self.one_more:
            self._resumed.clear()
            await self._resumed.wait()
        if key:
            self.one_more = False
        self._last_wall = None  # (no catching up for the time spent paused)

    async def _on_time(self, t: float) -> None:
        """Wait until the event's time comes at this speed (at once while seeking, or at speed 0)."""
        loop = asyncio.get_running_loop()
        seeking = self.seek_key is not None or self.seek_step is not None
        if self._last_wall is not None and self.speed > 0 and not seeking:
            delay = (t - self._last_t) / self.speed - (loop.time() - self._last_wall)
            if delay > 0:
                await asyncio.sleep(delay)
        self._last_t, self._last_wall = t, loop.time()

    async def _until(self, condition: Callable[[], bool], what: str, index: int | None) -> None:
        """Wait for `condition`; Diverged once `patience` seconds pass with no training step taken meanwhile (a
        long run's hand-over may take minutes of steps)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.patience
        lab = self.app.lab
        seen = lab.trainer.step_count
        while not condition():
            if lab.trainer.step_count != seen:  # (the lab's trainer: a new run has another)
                seen, deadline = lab.trainer.step_count, loop.time() + self.patience
            if loop.time() > deadline:
                if index is None:
                    raise Diverged(_("the replay went its own way: it waited in vain for {what}").format(what=what))
                raise Diverged(
                    _("the replay went its own way: it waited in vain for {what} (event {event})").format(
                        what=what, event=f"{index + 1:,}"
                    )
                )
            await asyncio.sleep(POLL)


async def handled(app: MicroGPTApp) -> None:
    """Wait until the app, then every widget on its screen, has handled what was queued for it, twice over (a key
    goes from the app to the widget in focus, and bubbles back up through its parents to the app's bindings)."""

    async def queues_done(nodes: list[Any]) -> None:
        waits = []
        for node in nodes:
            done = asyncio.Event()
            if node.call_later(done.set):  # (runs after what the node had queued)
                waits.append(done.wait())
        await asyncio.gather(*waits)

    for _twice in range(2):
        await queues_done([app])
        await queues_done([app, *app.screen.walk_children(with_self=True)])


class ReplayApp(MicroGPTApp):
    """The app, playing a recording: its own timer and background results wait for the player."""

    def __init__(self, *args: Any, player: Callable[[ReplayApp], Player], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.player = player(self)
        lessons = self.player.recording.header.lessons  # the learner's progress as the session began, not ours
        self.lab.lessons.begin_from(lessons)
        self.lab.recording.lessons = dict(lessons)
        self.held: dict[int, JobLanded] = {}  # background results waiting for their turn, by job number
        self.played: set[int] = set()  # the events the player handed in (by id) on their way to the door
        self.door.workers = {}

    def on_ready(self) -> None:  # (Textual runs MicroGPTApp.on_ready too, after this)
        self.notify(_("replaying: space pauses, . plays the next key, + and - change the speed, q ends it"), timeout=6)
        width, height = self.player.recording.header.terminal
        if (self.size.width, self.size.height) != (width, height):  # (the layout follows the terminal's size)
            self.notify(
                _("recorded on a {width}×{height} terminal; this one is {here_width}×{here_height}").format(
                    width=width, height=height, here_width=self.size.width, here_height=self.size.height
                )
            )
        self.run_worker(self.player.play(), name="replay", group="player")

    async def on_event(self, event: events.Event) -> None:
        if not self.player.done and not event.is_forwarded:
            if isinstance(event, (events.Key, events.Paste)) and id(event) not in self.played:
                said = self.player.control(event.key) if isinstance(event, events.Key) else None
                if said:
                    self.notify(said, timeout=3)
                return  # (the viewer's keys steer the replay; none reaches the app)
            if isinstance(event, events.MouseEvent) and id(event) not in self.played:
                return
        self.played.discard(id(event))
        await super().on_event(event)

    def _sync_sample_timer(self) -> None:
        if self.player.done:
            super()._sync_sample_timer()
        # (while replaying, the player ticks where the recording ticked)

    def on_job_landed(self, message: JobLanded) -> None:
        """A background result: held until the recording says it landed (training's go on: the player holds
        the run itself). Textual then runs MicroGPTApp's handler, unless this one prevents it."""
        number = self.door.numbers.get(message.job)
        if not (self.player.done or number is None or message.job.group == "training"):
            message.prevent_default()
            self.held[number] = message

    def release(self, number: int) -> None:
        MicroGPTApp.on_job_landed(self, self.held.pop(number))

    def replay_ended(self) -> None:
        """The player is done: what it still held lands, the timers run again, and the app is the viewer's."""
        for number in sorted(self.held):
            self.release(number)
        self._sync_sample_timer()
        player = self.player
        if player.diverged:
            self.notify(player.diverged, severity="error", timeout=30)
        elif self.is_running:
            self.notify(
                _("the replay has ended ({keys} keys): the app is yours").format(keys=f"{player.keys:,}"), timeout=10
            )
