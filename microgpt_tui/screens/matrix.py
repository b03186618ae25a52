"""Provides `MatrixScreen`: one weight matrix as a heatmap, with the step's gradient, update and Adam state.

It draws the lab's `matrix_view` and redraws whenever the lab changes (a
step, a hand-over from training). `m` cycles weights → gradient → Δ → m → v,
`[` / `]` go to the previous / next matrix, the arrows move the cursor, `g`
jumps to the largest |gradient|, and `n` runs the nudge check on the cursor's
weight.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from ..lab import Lab
from ..lab.matrices import KIND_TITLES, MatrixView
from ..lab.views import Change
from ..renderables.matrix_heatmap import MatrixHeatmap, matrix_side
from ..theme_follow import follow_theme
from ..widgets.footer import KeysFooter


class MatrixCells(Widget):
    """The heatmap, sized to the widget."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: MatrixView | None = None

    def render(self) -> RenderResult:
        if self.view is None:
            return Text("")
        light = self.is_attached and not self.app.current_theme.dark
        return MatrixHeatmap(self.view, max_rows=self.content_size.height or None, light=light)


class MatrixScreen(ModalScreen[None]):
    """A weight matrix, cell by cell: what it holds, what the last step did to it, and why."""

    BINDINGS = [
        Binding("escape", "close", "close", tooltip="Back to the main screen", id="matrix.close"),
        Binding(
            "m",
            "kind",
            "weights/grad/Δ/m/v",
            tooltip="Cycle: the weights, the step's gradient, its update Δ, Adam's m, Adam's v",
            id="matrix.kind",
        ),
        Binding(
            "left_square_bracket",
            "matrix(-1)",
            "matrix ←",
            key_display="[",
            tooltip="The matrix before",
            id="matrix.prev",
        ),
        Binding(
            "right_square_bracket",
            "matrix(1)",
            "matrix →",
            key_display="]",
            tooltip="The next matrix",
            id="matrix.next",
        ),
        Binding("up", "move(-1, 0)", "↑", show=False, tooltip="The cursor one row up", id="matrix.up"),
        Binding("down", "move(1, 0)", "↓", show=False, tooltip="The cursor one row down", id="matrix.down"),
        Binding("left", "move(0, -1)", "←", show=False, tooltip="The cursor one column left", id="matrix.left"),
        Binding("right", "move(0, 1)", "→", show=False, tooltip="The cursor one column right", id="matrix.right"),
        Binding("g", "largest", "largest |grad|", tooltip="Move the cursor to the largest |gradient|", id="matrix.g"),
        Binding(
            "n",
            "nudge",
            "nudge check",
            tooltip="Move the cursor's weight by ±h, recompute the loss: the slope beside autograd's gradient",
            id="matrix.nudge",
        ),
        Binding("space", "app.step", "step", tooltip="One training step; the view shows what it did", id="matrix.step"),
        Binding("r", "app.run", "run/pause", tooltip="Run or pause training and watch the matrix", id="matrix.run"),
    ]
    APP_ACTIONS = frozenset({"step", "run"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: MatrixView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title")
        with Horizontal(id="matrix-body"):
            yield MatrixCells(id="matrix-cells")
            yield Static(id="matrix-side")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.lab_changed()
        follow_theme(self, MatrixScreen.redraw)  # (the colours follow it)

    def redraw(self) -> None:
        """Draw the view again in the theme's colours."""
        self.shown = None
        self.query(MatrixCells).refresh()
        self.lab_changed()

    @property
    def lab(self) -> Lab:
        return self.app.lab  # type: ignore[attr-defined]

    def lab_changed(self) -> None:
        """Redraw if the view changed; the title and the side panel have fixed sizes (no relayout)."""
        cells = self.query(MatrixCells)
        if not cells:
            return
        view = self.lab.inside.matrix_view()
        if view == self.shown:
            return
        self.shown = view
        cells.first().view = view
        cells.first().refresh()
        light = not self.app.current_theme.dark
        self.query_one("#matrix-side", Static).update(matrix_side(view, light=light), layout=False)
        title = Text(no_wrap=True, overflow="ellipsis")
        rows, cols = len(view.row_labels), len(view.col_labels)
        title.append(view.name, style="bold").append(f" {rows}×{cols} · {KIND_TITLES[view.kind]}")
        title.append(f" · step {view.step:,}")
        title.append("  m: next quantity  [ ]: matrix  arrows: cell  n: nudge", style="grey35" if light else "grey62")
        self.query_one("#matrix-title", Static).update(title, layout=False)

    def on_screen_resume(self) -> None:
        self.lab_changed()  # (only the screen on top follows the lab: catch up after one over this closed)

    def _do(self, change: Change) -> None:
        self.app.apply(change)  # type: ignore[attr-defined]
        self.lab_changed()

    def action_kind(self) -> None:
        self._do(self.lab.inside.matrix_kind())

    def action_matrix(self, delta: int) -> None:
        self._do(self.lab.inside.select_matrix(delta))

    def action_move(self, d_row: int, d_col: int) -> None:
        self._do(self.lab.inside.matrix_move(d_row, d_col))

    def action_largest(self) -> None:
        view = self.shown
        if view is not None and view.top_grad:
            r, c, _ = view.top_grad[0]
            self._do(self.lab.inside.matrix_move(r - view.cursor[0], c - view.cursor[1]))

    def action_nudge(self) -> None:
        self._do(self.lab.inside.matrix_nudge())

    def on_unmount(self) -> None:
        self.lab.inside.close_matrix()

    def action_close(self) -> None:
        self.dismiss()
