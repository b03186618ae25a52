"""Provides `ParamPanel`: a table of the weight matrices after the last step."""

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_engine.insight.history import total_grad_norm

from ..renderables.param_table import ParamTable


class ParamPanel(Widget, can_focus=True):
    """One row per matrix: shape, mean, std, |grad|, update:data ratio and a trend."""

    params: reactive[list | None] = reactive(None, always_update=True)
    """The last step's ParamStats (None before the first step)."""

    def __init__(self, trends, shapes, num_params, **kwargs):
        super().__init__(**kwargs)
        self.trends = trends  # engine.history.ParamTrends, fed by the app
        self.shapes = shapes  # name -> (rows, cols), for the rows before any step
        self.num_params = num_params
        self.border_title = "parameters"
        self.border_subtitle = "green band: update ≈ 1e-3 × weights"

    def table(self):
        trends = self.trends
        if self.params is None:
            rows = [
                dict(name=name, shape=f"{r}×{c}", mean=None, std=None, grad_norm=None, log_ratio=None, healthy=False, trend=[])
                for name, (r, c) in self.shapes.items()
            ]
            return ParamTable(rows, self.num_params)
        rows = []
        for p in self.params:
            log_ratio = trends.latest(p.name)
            rows.append(
                dict(
                    name=p.name,
                    shape=f"{p.rows}×{p.cols}",
                    mean=p.mean,
                    std=p.std,
                    grad_norm=p.grad_norm,
                    log_ratio=log_ratio,
                    healthy=trends.healthy(log_ratio),
                    trend=trends.grad_history(p.name),
                )
            )
        return ParamTable(rows, self.num_params, total_grad_norm(self.params))

    def render(self):
        return self.table() if self.shapes else Text("no parameters")
