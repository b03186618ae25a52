"""Provides the forward view's wiring: v and the stage keys, the screen, and what it is handed after a change."""

from __future__ import annotations

from microgpt_tui.core.views import ForwardOpen
from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.forward.state import ForwardLens
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _open(app: Shell, forward: ForwardLens, ask: ForwardOpen) -> None:
    app.push_screen(ForwardScreen())


def _follow(forward: ForwardLens, screen: ForwardScreen) -> None:
    screen.follow(forward.rules.status_note(), forward.view())  # (the note: what the last key did)


WIRING = Wiring(
    "forward",
    actions={
        "forward": lambda forward: forward.open_view(),
        "forward_stage": lambda forward, delta: forward.stage_by(delta),
    },
    handlers={ForwardScreen.Closed: lambda forward, message: forward.close()},
    openers={ForwardOpen: _open},
    followers={ForwardScreen: _follow},
)
