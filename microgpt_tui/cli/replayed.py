"""Provides `replay_frames`: a recording played in the app without a terminal, its screen taken after every
event at that event's recorded time (what `microgpt-tui export` writes).

The app is Textual's headless one at the recorded terminal size; each key, paste and resize goes in as the
terminal would send it, and the replay waits for what the recording says the app did on its own before the
next input: background jobs done, training handed over at least the recorded step, a sample's timer tick
(the app's own sampling timer is off: the recorded ticks advance the sample). A save, an export or a
recording made during the replay goes to `folder`, never beside the user's files.
"""

from __future__ import annotations

import asyncio
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_engine import Trainer
from microgpt_tui.features.motion.frames import Frame, FrameRing
from microgpt_tui.features.recording.format import Event, Recording

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from microgpt_tui.app import MicroGPTApp

NEVER = 1e9  # seconds: the app's own sampling timer never fires (the recording's ticks do its work)
INPUTS = frozenset({"key", "paste", "resize"})  # what the learner did: each one's screen is kept
WAIT = 300.0  # seconds a replay waits for training to reach a recorded step before it gives up waiting


async def _drained(node: object) -> None:
    """What `node` (the app or its screen) had queued is handled."""
    done = asyncio.Event()
    if node.call_later(done.set):  # type: ignore[attr-defined]
        await done.wait()


async def settle(app: MicroGPTApp) -> None:
    """The app handled its input, its background jobs (training's aside) landed, and the screen is drawn."""
    for _ in range(20):
        await _drained(app)
        await _drained(app.screen)
        busy = [w for w in app.workers if w.group != "training" and not w.is_finished]
        if not busy:
            break
        await app.workers.wait_for_complete(busy)
    drawn = asyncio.Event()
    app.call_after_refresh(drawn.set)
    await drawn.wait()


async def apply(pilot: Pilot[object], app: MicroGPTApp, event: Event) -> None:
    """One recorded event, as it reached the app."""
    from textual import events

    if event.kind == "key":
        app.post_message(events.Key(event.value, event.char))
    elif event.kind == "paste":
        app.post_message(events.Paste(event.value))
    elif event.kind == "resize":
        await pilot.resize_terminal(*event.value)
    elif event.kind == "tick":
        app.apply(app.lab.drawing.advance_sample())
    elif event.kind == "steps":
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT
        while app.lab.session.history.now < event.value and app.lab.training and loop.time() < deadline:
            await asyncio.sleep(0.01)


def window(recording: Recording) -> tuple[float, float]:
    """The part the learner recorded: from the first start mark (or the beginning) to the last stop (or the end)."""
    marks = [(e.value, e.t) for e in recording.events if e.kind == "mark"]
    start = next((t for kind, t in marks if kind == "start"), 0.0)
    stop = next((t for kind, t in reversed(marks) if kind == "stop"), math.inf)
    return start, stop


def replay_frames(
    recording: Recording, trainer: Trainer, docs: list[str], data_name: str, folder: Path
) -> tuple[list[Frame], MicroGPTApp]:
    """The screens of `recording` replayed (each kept once it differs from the one before, timed from the
    recorded window's start), and the app after the replay (its history: the loss curve)."""
    os.environ["COLORTERM"] = "truecolor"  # (the frames' colours: as Textual's own screenshots take them)
    from microgpt_tui.app import MicroGPTApp
    from microgpt_tui.features.motion.capture import FRAME_INTERVAL, grab

    app = MicroGPTApp(
        trainer,
        dataset_name=data_name,
        save_path=folder / "replay-checkpoint.json",
        docs=docs,
        show_timing=False,  # (the steps per second of this machine now are not the recording's)
        sample_interval=NEVER,
    )
    ring = FrameRing(math.inf)
    start, stop = window(recording)

    taken = [-math.inf]  # when the last screen was taken

    def take(t: float, event: Event | None = None) -> None:
        """The screen after each input; after what the app did on its own (training's hand-overs, a sample's
        tick), at most one every FRAME_INTERVAL of recorded time, as the app's own capture looks."""
        if event is not None and event.kind not in INPUTS and t - taken[0] < FRAME_INTERVAL:
            return
        frame = grab(app, t)
        if frame is not None and ring.add(frame):
            taken[0] = t

    async def drive(pilot: Pilot[object]) -> None:
        await settle(app)
        take(0.0)
        for event in recording.events:
            if not app.is_running or event.t > stop:
                break
            await apply(pilot, app, event)
            await settle(app)
            if app.is_running:
                take(event.t, event)
        app.exit()

    app.run(headless=True, size=recording.header.terminal, auto_pilot=drive)
    before = [f for f in ring if f.time <= start]
    frames = [*before[-1:], *(f for f in ring if f.time > start)]  # the screen on show when recording started, on
    return [Frame(max(0.0, f.time - start), f.width, f.height, f.lines) for f in frames], app
