"""Provides `compare_table`: two runs' last per-matrix statistics and samples, side by side, as a Rich table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from microgpt_tui.core.labels import counted, decimal, number_or_dash
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
            number_or_dash(x, ".4f") if stat != "update_ratio" else ("—" if x is None else decimal(x, 3))
            for x, stat in zip((*stats_a, *stats_b), view.stat_names * 2)
        ]
        table.add_row(name, *cells)
    return table


def summary_text(view: RunsCompareView) -> Text:
    """One line per run: what differs, steps, mean loss of the last 100 steps, its samples; then which run is
    lower on the held-out names neither trained on."""
    text = Text()
    for row in view.rows:
        text.append(f"{row.name}", style="bold").append(f"  {row.differs or 'the first run'} · ", style="dim")
        text.append(f"{counted(row.steps, 'step')} · mean(100) {number_or_dash(row.mean_last, '.3f')} · ")
        text.append("samples: " + (", ".join(row.samples) or "none yet") + "\n", style="italic")
    text.append(held_out_sentence(view))
    return text


def held_out_sentence(view: RunsCompareView) -> str:
    """Which run is lower on the held-out names neither trained on, and by how much (or why it is not said)."""
    a, b = view.rows
    if not (a.measurable and b.measurable) and view.held_out is None:
        return "held-out names: not compared (a count table has no weights, a training run is measured once it stops)"
    held = view.held_out
    if held is None:
        return "held-out names: measuring both runs…"
    loss_a, loss_b = held.losses
    if loss_a is None or loss_b is None:
        if not held.pool:
            return "held-out names: the runs trained on different data, so they share no held-out names"
        return "held-out names: none is left that neither run trained on"
    names = f"the {held.names:,} held-out names neither run trained on"
    if loss_a == loss_b:
        return f"on {names}, both runs have the same loss, {loss_a:.3f}"
    (low, low_loss), (high, high_loss) = sorted(((a.name, loss_a), (b.name, loss_b)), key=lambda x: x[1])
    return f"on {names}, {low} is lower by {high_loss - low_loss:.4f} ({low_loss:.3f} vs {high_loss:.3f} for {high})"
