"""Provides the sampling feature's wiring: s, n, f and esc, and the dialog that forces a character."""

from __future__ import annotations

from microgpt_tui.core.views import AskChar
from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen
from microgpt_tui.features.sampling.state import SampleDrawing
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _force(app: Shell, drawing: SampleDrawing, ask: AskChar) -> None:
    screen = ForceCharScreen(list(ask.chars), ask.bos_label, ask.bos)
    app.push_screen(screen, lambda token: app.apply(drawing.force(token)))


WIRING = Wiring(
    "drawing",
    actions={
        "sample": lambda drawing: drawing.sample(),
        "leave_sampling": lambda drawing: drawing.leave_sampling(),
        "next_char": lambda drawing: drawing.next_char(),
        "force_char": lambda drawing: drawing.ask_force(),
    },
    openers={AskChar: _force},
)
