"""Provides `film`: a recording replayed without a terminal (the replay `play` runs: microgpt_tui/replay.py), its
screen taken after every event at that event's recorded time (what `microgpt-tui export` writes).

The replay is bit for bit the recorded session, at full speed. After each input (a key, a paste, a resize,
a sample's tick) the screen is taken once the app has handled it; after what the app did on its own
(training's hand-overs, a background job landing) at most one every FRAME_INTERVAL of recorded time, as the
app's own capture looks. Before a look every panel is drawn from the state (while training the app redraws
them by turns, at its repaint timer's pace, which a replay at full speed outruns).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_engine import Trainer
from microgpt_tui.features.motion.frames import Frame, FrameRing
from microgpt_tui.features.recording.format import Recording

if TYPE_CHECKING:
    from microgpt_tui.replay import ReplayApp

INPUTS = frozenset({"key", "paste", "resize", "tick"})  # each one's screen is kept


@dataclass
class Film:
    """What a replay showed: its screens (timed from the recorded window's start), the app after it, and why it
    stopped short, if it did."""

    frames: list[Frame]
    app: ReplayApp
    diverged: str | None


def window(recording: Recording) -> tuple[float, float]:
    """The part the learner recorded: from the first start mark (or the beginning) to the last stop (or the end)."""
    marks = [(e.value, e.t) for e in recording.events if e.kind == "mark"]
    start = next((t for kind, t in marks if kind == "start"), 0.0)
    stop = next((t for kind, t in reversed(marks) if kind == "stop"), math.inf)
    return start, stop


def film(recording: Recording, file: str, trainer: Trainer, docs: list[str], data_name: str, folder: Path) -> Film:
    """Replay `recording` (read from `file`) headless at its terminal's size and keep its screens; what it writes
    goes to `folder` (as `play`'s replay does: the same app, its own player)."""
    os.environ["COLORTERM"] = "truecolor"  # (the frames' colours: as Textual's own screenshots take them)
    from microgpt_tui.cli.recording import replay_app
    from microgpt_tui.features.motion.capture import FRAME_INTERVAL, grab
    from microgpt_tui.replay import Player, handled

    ring = FrameRing(math.inf)
    start, stop = window(recording)

    class Filming(Player):
        """The replay at full speed, looking at the screen after every event."""

        taken = -math.inf  # the recorded time of the last screen kept

        async def play(self) -> None:
            try:
                await self.look(0.0)
                await super().play()
            finally:
                self.app.exit()  # (headless, nobody else would end it)

        async def _handle(self, index: int, event: object) -> None:
            kind, t = recording.events[index].kind, recording.events[index].t
            if kind in ("key", "paste") and index and recording.events[index - 1].t <= stop:
                await self._settle()  # the screen the key lands on (the recorded one, bit for bit)
                if self._pending is None:
                    await self.look(recording.events[index - 1].t)
            await super()._handle(index, event)  # type: ignore[arg-type]
            if t > stop:
                return  # (past the recorded part: no more screens)
            if kind in INPUTS or t - self.taken >= FRAME_INTERVAL:
                await self._settle()
                if self._pending is None:  # (not while a key waits for training to stop: the next events let it)
                    await self.look(t)

        async def look(self, t: float) -> None:
            app = self.app
            await handled(app)
            app.clear_notifications()  # (toasts time out by the clock, which a replay at full speed outruns)
            for push in (app.panels.push_status, app.panels.push_view, app.panels.push_params, app.panels.push_loss):
                push()
            drawn = asyncio.Event()
            app.call_after_refresh(drawn.set)
            await drawn.wait()
            frame = grab(app, t)
            if frame is not None and ring.add(frame):
                self.taken = t

    app = replay_app(
        recording,
        trainer,
        docs,
        data_name,
        folder,
        argparse.Namespace(file=file, speed=0.0, seek_key=None, seek_step=None),
    )
    app.player = Filming(app, recording, speed=0)
    app.panels.show_rate = False  # (the steps per second of this machine now are not the recording's)
    app.run(headless=True, size=recording.header.terminal)
    before = [f for f in ring if f.time <= start]
    frames = [*before[-1:], *(f for f in ring if f.time > start)]  # the screen on show when recording started, on
    frames = [Frame(max(0.0, f.time - start), f.width, f.height, f.lines) for f in frames]
    return Film(frames, app, app.player.diverged)
