"""Provides `RunsCompareScreen`: two runs side by side: their loss curves, per-matrix statistics, samples."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from microgpt_tui.core.views import RunsCompareView
from microgpt_tui.features.panels.loss_plot import MEAN, earlier_color, nice_ticks
from microgpt_tui.features.runs.compare_renderable import compare_table, summary_text
from microgpt_tui.literal import literal


class RunsCompareScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss_screen", "Back", tooltip="Back to the runs", id="runs_compare.close")]

    def __init__(self, view: RunsCompareView, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    def compose(self) -> ComposeResult:
        a, b = self.view.rows
        with Vertical(id="runs-compare-body") as body:
            body.border_title = literal(f"{a.name} vs {b.name}")
            yield PlotextPlot(id="runs-compare-plot")
            yield Static(summary_text(self.view), id="runs-compare-summary")
            with VerticalScroll(id="runs-compare-stats"):
                yield Static(compare_table(self.view))
            yield Static("[b]esc[/b] back to the runs", id="runs-compare-hint")

    def on_mount(self) -> None:
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        colors = (earlier_color(self.view.curves[0].number), MEAN)
        for curve, color in zip(self.view.curves, colors):
            if curve.xs:
                plt.plot(list(curve.xs), list(curve.means), marker="braille", color=color, label=curve.name)
            elif curve.level is not None:
                plt.horizontal_line(curve.level, color=color)
        right = max((int(c.xs[-1]) for c in self.view.curves if c.xs), default=1)
        ticks = nice_ticks(right)
        positions: list[float] = list(ticks)  # (plotext's annotation asks for floats; the ints go in as they are)
        plt.xticks(positions, [f"{t:,}" for t in ticks])
        plt.title("mean loss (last 50 steps) per step")
        plot.refresh()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
