"""Provides `ParamPanel`: a table of the weight matrices after the last (or the viewed) step."""

from dataclasses import asdict

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..lab.views import ParamView
from ..renderables.param_table import ParamTable


class ParamPanel(Widget, can_focus=True):
    """One row per matrix: shape, mean, std, |grad|, update:data ratio and a trend."""

    view: reactive[ParamView | None] = reactive(None)
    """The table to draw (the lab's `param_view`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.border_title = "parameters"
        self.border_subtitle = "green band: update ≈ 1e-3 × weights"

    def watch_view(self, view: ParamView | None) -> None:
        self.border_title = view.title if view is not None else "parameters"

    def table(self) -> ParamTable | None:
        view = self.view
        if view is None or not view.rows:
            return None
        rows = [{**asdict(row), "trend": list(row.trend)} for row in view.rows]
        if view.total_grad_norm is None:
            return ParamTable(rows, view.num_params)
        return ParamTable(rows, view.num_params, view.total_grad_norm)

    def render(self):
        return self.table() or Text("no parameters")
