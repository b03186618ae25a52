"""Provides `MatrixScreen`: one weight matrix as a heatmap, with the step's gradient, update and Adam state.

It draws the matrix view the app hands it (`follow`) whenever that changes (a
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
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from microgpt_tui.features.matrix.heatmap import MatrixHeatmap, matrix_side
from microgpt_tui.features.matrix.state import KIND_TITLES, MatrixView
from microgpt_tui.language import N_, _
from microgpt_tui.screens.following import Resumed
from microgpt_tui.styled_text import styled
from microgpt_tui.theme_follow import follow_theme
from microgpt_tui.widgets.footer import KeysFooter


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
        Binding("escape", "close", N_("close"), tooltip=N_("Back to the main screen"), id="matrix.close"),
        Binding(
            "m",
            "app.matrix_kind",
            N_("weights/grad/Δ/m/v"),
            tooltip=N_("Cycle: the weights, the step's gradient, its update Δ, Adam's m, Adam's v"),
            id="matrix.kind",
        ),
        Binding(
            "left_square_bracket",
            "app.matrix_select(-1)",
            N_("matrix ←"),
            key_display="[",
            tooltip=N_("The matrix before"),
            id="matrix.prev",
        ),
        Binding(
            "right_square_bracket",
            "app.matrix_select(1)",
            N_("matrix →"),
            key_display="]",
            tooltip=N_("The next matrix"),
            id="matrix.next",
        ),
        Binding("up", "app.matrix_move(-1, 0)", "↑", show=False, tooltip=N_("The cursor one row up"), id="matrix.up"),
        Binding(
            "down", "app.matrix_move(1, 0)", "↓", show=False, tooltip=N_("The cursor one row down"), id="matrix.down"
        ),
        Binding(
            "left",
            "app.matrix_move(0, -1)",
            "←",
            show=False,
            tooltip=N_("The cursor one column left"),
            id="matrix.left",
        ),
        Binding(
            "right",
            "app.matrix_move(0, 1)",
            "→",
            show=False,
            tooltip=N_("The cursor one column right"),
            id="matrix.right",
        ),
        Binding(
            "g",
            "app.matrix_largest",
            N_("largest |grad|"),
            tooltip=N_("Move the cursor to the largest |gradient|"),
            id="matrix.g",
        ),
        Binding(
            "n",
            "app.matrix_nudge",
            N_("nudge check"),
            tooltip=N_("Move the cursor's weight by ±h, recompute the loss: the slope beside autograd's gradient"),
            id="matrix.nudge",
        ),
        Binding(
            "space",
            "app.step",
            N_("step"),
            tooltip=N_("One training step; the view shows what it did"),
            id="matrix.step",
        ),
        Binding(
            "r", "app.run", N_("run/pause"), tooltip=N_("Run or pause training and watch the matrix"), id="matrix.run"
        ),
    ]
    APP_ACTIONS = frozenset({"step", "run"})

    class Closed(Message):
        """The view closed, however it was closed: training stops handing over its numbers."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: MatrixView | None = None
        self._followed: MatrixView | None = None  # what the app handed over last

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title")
        with Horizontal(id="matrix-body"):
            yield MatrixCells(id="matrix-cells")
            yield Static(id="matrix-side")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._draw()
        follow_theme(self, MatrixScreen.redraw)  # (the colours follow it)

    def redraw(self) -> None:
        """Draw the view again in the theme's colours."""
        self.shown = None
        self.query(MatrixCells).refresh()
        self._draw()

    def follow(self, view: MatrixView) -> None:
        """The app hands over the view after every change."""
        self._followed = view
        self._draw()

    def _draw(self) -> None:
        """Redraw if the view changed; the title and the side panel have fixed sizes (no relayout)."""
        cells = self.query(MatrixCells)
        view = self._followed
        if not cells or view is None or view == self.shown:
            return
        self.shown = view
        cells.first().view = view
        cells.first().refresh()
        light = not self.app.current_theme.dark
        self.query_one("#matrix-side", Static).update(matrix_side(view, light=light), layout=False)
        title = Text(no_wrap=True, overflow="ellipsis")
        rows, cols = len(view.row_labels), len(view.col_labels)
        title.append(
            styled(
                _("{name} {rows}×{cols} · {quantity} · step {step:,}"),
                name=(view.name, "bold"),
                rows=rows,
                cols=cols,
                quantity=_(KIND_TITLES[view.kind]),
                step=view.step,
            )
        )
        hint = _("m: next quantity  [ ]: matrix  arrows: cell  n: nudge")
        title.append("  " + hint, style="grey35" if light else "grey62")
        self.query_one("#matrix-title", Static).update(title, layout=False)

    def retranslate(self) -> None:
        """Draw the view again in the language now chosen (the app hands over the view in its words)."""
        self.redraw()
        if self.is_current:
            self.app.post_message(Resumed())

    def on_screen_resume(self) -> None:
        self.app.post_message(Resumed())  # (only the screen on top follows: catch up after one over this)

    def on_unmount(self) -> None:
        self.app.post_message(self.Closed())

    def action_close(self) -> None:
        self.dismiss()
