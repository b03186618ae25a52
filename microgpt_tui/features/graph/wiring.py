"""Provides the graph view's wiring: g, and the screen it opens."""

from __future__ import annotations

from microgpt_tui.core.views import GraphOpen
from microgpt_tui.features.graph.screen import GraphScreen
from microgpt_tui.features.graph.state import Graphing
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _open(app: Shell, graphing: Graphing, ask: GraphOpen) -> None:
    app.push_screen(GraphScreen(ask.graph, list(ask.vocab_labels), list(ask.tokens), ask.shapes, ask.position))


WIRING = Wiring("graph", actions={"graph": lambda graphing: graphing.open_graph()}, openers={GraphOpen: _open})
