"""Provides `compare_table`: two runs' last per-matrix statistics and samples, side by side, as a Rich table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from microgpt_tui.core.labels import decimal, number_or_dash
from microgpt_tui.core.views import RunsCompareView
from microgpt_tui.language import _, ngettext


def compare_table(view: RunsCompareView) -> Table:
    """A row per matrix: each statistic of run a, then of run b (a dash where a run has no such matrix)."""
    a, b = view.rows
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column(_("matrix"))
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
        differs = row.differs or _("the first run")
        text.append(f"{row.name}", style="bold").append(f"  {differs} · ", style="dim")
        steps = ngettext("{count} step", "{count} steps", row.steps).format(count=f"{row.steps:,}")
        mean = number_or_dash(row.mean_last, ".3f")
        text.append(_("{steps} · mean(100) {mean} · ").format(steps=steps, mean=mean))
        samples = ", ".join(row.samples) or _("none yet")
        text.append(_("samples: {samples}").format(samples=samples) + "\n", style="italic")
    text.append(held_out_sentence(view))
    return text


def held_out_sentence(view: RunsCompareView) -> str:
    """Which run is lower on the held-out names neither trained on, and by how much (or why it is not said)."""
    a, b = view.rows
    if not (a.measurable and b.measurable) and view.held_out is None:
        return _(
            "held-out names: not compared (a count table has no weights, a training run is measured once it stops)"
        )
    held = view.held_out
    if held is None:
        return _("held-out names: measuring both runs…")
    loss_a, loss_b = held.losses
    if loss_a is None or loss_b is None:
        if not held.pool:
            return _("held-out names: the runs trained on different data, so they share no held-out names")
        return _("held-out names: none is left that neither run trained on")
    names = f"{held.names:,}"
    if loss_a == loss_b:
        return _("on the {names} held-out names neither run trained on, both runs have the same loss, {loss}").format(
            names=names, loss=f"{loss_a:.3f}"
        )
    (low, low_loss), (high, high_loss) = sorted(((a.name, loss_a), (b.name, loss_b)), key=lambda x: x[1])
    return _(
        "on the {names} held-out names neither run trained on, {low} is lower by {by} ({low_loss} vs {high_loss} "
        "for {high})"
    ).format(
        names=names,
        low=low,
        by=f"{high_loss - low_loss:.4f}",
        low_loss=f"{low_loss:.3f}",
        high_loss=f"{high_loss:.3f}",
        high=high,
    )
