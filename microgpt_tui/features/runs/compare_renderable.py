"""Provides `compare_table`: two runs' last per-matrix statistics and samples, side by side, as a Rich table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from microgpt_tui.core.labels import number_or_dash
from microgpt_tui.core.views import RunsCompareView


def compare_table(view: RunsCompareView) -> Table:
    """A row per matrix: each statistic of run a, then of run b (a dash where a run has no such matrix)."""
    a, b = view.rows
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("matrix")
    for which in (a, b):
        for stat in view.stat_names:
            table.add_column(Text(f"{which.name}\n{stat}"), justify="right")  # (a Text: a run name is never markup)
    for name, stats_a, stats_b in view.params:
        cells = [
            number_or_dash(x, ".4f" if stat != "update_ratio" else ".2e")
            for x, stat in zip((*stats_a, *stats_b), view.stat_names * 2)
        ]
        table.add_row(name, *cells)
    return table


def summary_text(view: RunsCompareView) -> Text:
    """One line per run: what differs, steps, mean loss of the last 100 steps, its samples."""
    text = Text()
    for row in view.rows:
        text.append(f"{row.name}", style="bold").append(f"  {row.differs or 'the first run'} · ", style="dim")
        text.append(f"{row.steps:,} steps · mean(100) {number_or_dash(row.mean_last, '.3f')} · ")
        text.append("samples: " + (", ".join(row.samples) or "none yet") + "\n", style="italic")
    return text
