"""Provides the probe's wiring: / opens a text box; what is typed is read as a document."""

from __future__ import annotations

from microgpt_tui.core.views import AskProbe
from microgpt_tui.features.probe.screen import ProbeScreen
from microgpt_tui.features.probe.state import Probing
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _open(app: Shell, probing: Probing, ask: AskProbe) -> None:
    app.push_screen(ProbeScreen(ask.typed))


def _follow(probing: Probing, screen: ProbeScreen) -> None:
    screen.view = probing.probe_view()


WIRING = Wiring(
    "probing",
    actions={"probe": lambda probing: probing.open_probe()},
    handlers={ProbeScreen.Typed: lambda probing, message: probing.probe(message.text)},
    openers={AskProbe: _open},
    followers={ProbeScreen: _follow},
)
