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
from microgpt_tui.features.panels.loss_plot import BIGRAM, MEAN, UNIFORM, earlier_color, nice_ticks
from microgpt_tui.features.runs.compare_renderable import compare_table, summary_text
from microgpt_tui.language import N_, _
from microgpt_tui.literal import literal


class RunsCompareScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "dismiss_screen", N_("Back"), tooltip=N_("Back to the runs"), id="runs_compare.close")
    ]

    def __init__(self, view: RunsCompareView, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view
        self.held_out_seen = -1  # the held-out landings its view includes (the app hands a newer one over)

    def compose(self) -> ComposeResult:
        a, b = self.view.rows
        with Vertical(id="runs-compare-body") as body:
            body.border_title = literal(_("{a} vs {b}").format(a=a.name, b=b.name))
            yield PlotextPlot(id="runs-compare-plot")
            yield Static(summary_text(self.view), id="runs-compare-summary")
            with VerticalScroll(id="runs-compare-stats"):
                yield Static(compare_table(self.view))
            yield Static(_("[b]esc[/b] back to the runs"), id="runs-compare-hint")

    def show(self, view: RunsCompareView) -> None:
        """The same two runs, with what was measured since (their held-out names)."""
        self.view = view
        self.query_one("#runs-compare-summary", Static).update(summary_text(view))

    def retranslate(self) -> None:
        """The language changed while the screen is open: its words again (the plot's title with them)."""
        a, b = self.view.rows
        self.query_one("#runs-compare-body").border_title = literal(_("{a} vs {b}").format(a=a.name, b=b.name))
        self.query_one("#runs-compare-stats Static", Static).update(compare_table(self.view))
        self.query_one("#runs-compare-hint", Static).update(_("[b]esc[/b] back to the runs"))
        self.show(self.view)
        self.on_mount()

    def on_mount(self) -> None:
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        a, b = self.view.rows
        # The baselines, as on the main loss plot: each run's own (the same when both are on the same data).
        for row in {(a.uniform, a.bigram), (b.uniform, b.bigram)}:
            plt.horizontal_line(row[0], color=UNIFORM)
            if row[1] is not None:
                plt.horizontal_line(row[1], color=BIGRAM)
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
        uniform = f"{a.uniform:.2f}"
        if a.bigram is None:
            plt.title(_("mean loss (last 50 steps) per step · uniform {uniform}").format(uniform=uniform))
        else:
            title = _("mean loss (last 50 steps) per step · uniform {uniform} · bigram {bigram}")
            plt.title(title.format(uniform=uniform, bigram=f"{a.bigram:.2f}"))
        plot.refresh()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
