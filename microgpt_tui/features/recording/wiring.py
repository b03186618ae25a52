"""Provides recording's wiring: ctrl+r starts and stops a recording, ctrl+l shares the screen as a code."""

from __future__ import annotations

from microgpt_tui.features.recording.state import Recorder
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _share(app: Shell, recorder: Recorder) -> None:
    """The screen's code: shown, and copied to the clipboard where the terminal allows (OSC 52)."""
    code, change = recorder.share(type(app.screen).__name__)
    if code is not None:
        app.copy_to_clipboard(code)
    app.apply(change)


WIRING = Wiring(
    "recording",
    actions={"record": lambda recorder: recorder.toggle()},
    app_actions={"share_code": _share},
)
