"""Provides the matrix view's wiring: m and the keys over the heatmap, the parameter table's row, the screen."""

from __future__ import annotations

from microgpt_tui.core.views import MatrixOpen
from microgpt_tui.features.matrix.screen import MatrixScreen
from microgpt_tui.features.matrix.state import MatrixLens
from microgpt_tui.features.panels.param_panel import ParamPanel
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _open(app: Shell, matrices: MatrixLens, ask: MatrixOpen) -> None:
    app.push_screen(MatrixScreen())


def _follow(matrices: MatrixLens, screen: MatrixScreen) -> None:
    screen.follow(matrices.view())


WIRING = Wiring(
    "matrices",
    actions={
        "matrix": lambda matrices: matrices.open_view(),
        "matrix_kind": lambda matrices: matrices.next_kind(),
        "matrix_select": lambda matrices, delta: matrices.select_by(delta),
        "matrix_move": lambda matrices, d_row, d_col: matrices.move_by(d_row, d_col),
        "matrix_largest": lambda matrices: matrices.to_largest(),
        "matrix_nudge": lambda matrices: matrices.nudge_check(),
    },
    handlers={
        ParamPanel.Select: lambda matrices, message: matrices.select_by(message.delta),
        ParamPanel.Open: lambda matrices, message: matrices.open_view(message.name),
        MatrixScreen.Closed: lambda matrices, message: matrices.close(),
    },
    openers={MatrixOpen: _open},
    followers={MatrixScreen: _follow},
)
