"""Provides `grab` (the screen on top as a `Frame`, the way Textual takes its own screenshots) and `FrameCapture`
(a few frames a second into the motion feature's ring, while the app runs).

`App.export_screenshot` renders the screen on top, with the screens under it, by its compositor's full update, and
prints those segments into a recording console; `grab` takes the same update and keeps each row's segments as the
terminal would receive them (`Strip.render`, cached per strip by Textual), which costs a fraction of the SVG. It
runs only once the screen has nothing left to draw (`call_after_refresh`): a full render clears the compositor's
pending regions, which a render in the middle of an update would take from the terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual._compositor import LayoutUpdate
from textual.app import App
from textual.timer import Timer

from microgpt_tui.features.motion.frames import Frame, FrameRing

FRAME_INTERVAL = 0.25  # seconds between two looks at the screen (the app repaints a training run at this pace)


def grab(app: App[object], seconds: float) -> Frame | None:
    """The screen on top, `seconds` into the capture (None: nothing on screen to take)."""
    screen = app.screen
    update = screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    if not isinstance(update, LayoutUpdate):
        return None
    console = app.console
    lines = tuple("".join(strip.render(console) for strip in row) for row in update.strips)
    return Frame(seconds, update.region.width, update.region.height, lines)


class FrameCapture:
    """Keeps the app's screens in `ring`: one look every FRAME_INTERVAL, kept only when something changed.

    The app tells it each time it sends the terminal an update (`shown`); a look with none since the last one
    would take the same screen again (the ring keeps it once), so it takes nothing: an idle app's looks were
    most of its CPU. An app that never tells (`shown` not wired) is looked at every time."""

    def __init__(self, app: App[object], ring: FrameRing, clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.ring, self.clock = app, ring, clock
        self.timer: Timer | None = None
        self._asked = False  # a look waits for the screen's next quiet moment
        self._told = False  # the app says when it shows something (then `_unseen` is kept up to date)
        self._unseen = True  # an update was sent to the terminal since the last look

    def shown(self) -> None:
        """The app sent the terminal an update: the next look takes the screen."""
        self._told = self._unseen = True

    def start(self) -> None:
        self.timer = self.app.set_interval(FRAME_INTERVAL, self._ask, name="frame-capture")

    def _ask(self) -> None:
        if not self._asked:
            self._asked = True
            self.app.call_after_refresh(self.look)

    def look(self) -> None:
        """Take the screen now (the app calls it right before an export too, so the last frame is current)."""
        self._asked = False
        if not self.app.is_running or (self._told and not self._unseen):
            return
        self._unseen = False
        frame = grab(self.app, self.clock())
        if frame is not None:
            self.ring.add(frame)
