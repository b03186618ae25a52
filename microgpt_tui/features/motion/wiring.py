"""Provides the motion feature's wiring: X exports the last minute of screens; the palette's "export the loss
curve as an animation" the run's loss over its steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from microgpt_tui.core.views import Change
from microgpt_tui.features.motion.capture import FrameCapture
from microgpt_tui.features.motion.state import Motion
from microgpt_tui.wiring import Wiring


class Capturing(Protocol):
    """What the export uses of the app: its frame capture, and a callback once the screen is drawn."""

    frame_capture: FrameCapture

    def call_after_refresh(self, callback: Callable[[], object]) -> bool: ...

    def apply(self, change: Change) -> None: ...


def _export_recent(app: Capturing, motion: Motion) -> None:
    """Once the screen is drawn, take it (the last frame is now), then write the minute."""

    def export() -> None:
        app.frame_capture.look()
        app.apply(motion.export_recent())

    app.call_after_refresh(export)


WIRING = Wiring(
    "motion",
    actions={"export_training": lambda motion: motion.export_training()},
    app_actions={"export_motion": _export_recent},
)
