"""Provides `ParamPanel`: a table of the weight matrices after the last (or the viewed) step."""

from dataclasses import fields
from typing import Any

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.core.said import spoken
from microgpt_tui.core.views import ParamView
from microgpt_tui.features.panels.param_table import DARK, LIGHT, Palette, ParamTable
from microgpt_tui.language import N_, _
from microgpt_tui.renderables.titles import longest_fitting
from microgpt_tui.theme_follow import follow_theme

SUBTITLES = (N_("band: Adam's step at this lr, lr/std ÷10 to ×1"), N_("band: lr/std ÷10 to ×1"), N_("band ≈ lr/std"))
UPDATE_SUBTITLES = (N_("d: weights · Δ = new − old"), N_("Δ = new − old"))


class ParamPanel(Widget, can_focus=True):
    """One row per matrix: shape, mean, std, |grad|, update:data ratio and a trend."""

    view: reactive[ParamView | None] = reactive(None)
    """The table to draw (the lab's `param_view`)."""

    BINDINGS = [
        Binding("up", "select(-1)", "row ↑", show=False, tooltip="Select the matrix above", id="params.up"),
        Binding("down", "select(1)", "row ↓", show=False, tooltip="Select the matrix below", id="params.down"),
        Binding("enter", "open", "heatmap", tooltip="Open the selected matrix as a heatmap", id="params.open"),
    ]
    HEADER_ROWS = 2  # the column titles and the rule under them

    class Select(Message):
        """Move the selected row by `delta`."""

        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    class Open(Message):
        """Open matrix `name` as a heatmap."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = _("parameters")
        self._subtitle()

    def retranslate(self) -> None:
        """The language changed (switching.py)."""
        self.watch_view(self.view)

    def _subtitle(self) -> None:
        room = self.size.width - 5 if self.size.width else None  # (the corners, a dash and a space each side)
        update = self.view is not None and self.view.mode == "update"
        self.border_subtitle = longest_fitting([_(s) for s in (UPDATE_SUBTITLES if update else SUBTITLES)], room)

    def on_mount(self) -> None:
        follow_theme(self, lambda panel: panel.refresh())  # (the palette follows it)

    @property
    def palette(self) -> Palette:
        """The table's colours for the app's theme (deeper ones on a light background)."""
        return DARK if not self.is_attached or self.app.current_theme.dark else LIGHT

    def on_resize(self) -> None:
        self._subtitle()

    def watch_view(self, view: ParamView | None) -> None:
        self.border_title = spoken(view.title) if view is not None else _("parameters")
        self._subtitle()

    def table(self) -> ParamTable | None:
        view = self.view
        if view is None or not view.rows:
            return None
        names = [f.name for f in fields(view.rows[0])]  # (asdict deep-copied every number of every row, each draw)
        rows = [{**{name: getattr(row, name) for name in names}, "trend": list(row.trend)} for row in view.rows]
        return ParamTable(rows, view.num_params, view.total_grad_norm, view.mode, view.selected, self.palette)

    def action_select(self, delta: int) -> None:
        self.post_message(self.Select(delta))

    def action_open(self) -> None:
        if self.view is not None and self.view.selected:
            self.post_message(self.Open(self.view.selected))

    def on_click(self, event: events.Click) -> None:
        """A click on a matrix's row opens it."""
        offset = event.get_content_offset(self)
        view = self.view
        if offset is None or view is None:
            return
        index = offset.y - self.HEADER_ROWS
        if 0 <= index < len(view.rows):
            self.post_message(self.Open(view.rows[index].name))

    def render(self) -> RenderResult:
        return self.table() or Text(_("no parameters"))
