"""Provides the embedding map's wiring: e opens it; it is handed each newer step's rows."""

from __future__ import annotations

from microgpt_tui.features.embeddings.screen import EmbeddingScreen
from microgpt_tui.features.embeddings.state import EmbeddingRows
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _open(app: Shell, rows: EmbeddingRows) -> None:
    screen = EmbeddingScreen(rows.session.trainer.tokenizer)
    screen.follow(*rows.snapshot())
    app.push_screen(screen)


def _follow(rows: EmbeddingRows, screen: EmbeddingScreen) -> None:
    screen.follow(*rows.snapshot())


WIRING = Wiring("embeddings", app_actions={"embeddings": _open}, followers={EmbeddingScreen: _follow})
