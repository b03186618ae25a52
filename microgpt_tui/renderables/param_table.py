"""Provides `ParamTable`: one row per weight matrix with its statistics and trend.

Columns: shape, mean, std, gradient norm, and log10 of the update:data ratio
drawn on a small gauge from 10^-5 to 10^-1 whose green band marks the rule of
thumb (about 10^-3), then a sparkline of the recent gradient norms.
The last row totals the parameters. Columns drop out, least important first,
when the table is narrow.
"""

import math

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text

SPARKS = "▁▂▃▄▅▆▇█"
LOW, HIGH = -5.0, -1.0  # the gauge and sparkline span log10 ratios from 1e-5 to 1e-1
BAND = Style(bgcolor="#1f4f2f")
HEALTHY = Style(color="#5fd75f")
UNHEALTHY = Style(color="#ffaf5f")
MUTED = Style(color="grey50")
SELECTED = Style(underline=True, bold=True)


def scale(value, width):
    """The cell (0..width-1) where `value` falls on the LOW..HIGH scale."""
    f = (min(max(value, LOW), HIGH) - LOW) / (HIGH - LOW)
    return min(width - 1, int(f * width))


def gauge(log_ratio, width, centre=-3.0, band=0.5):
    """A `width`-cell scale with the healthy band shaded and a ● at `log_ratio`."""
    text = Text()
    lo, hi = scale(centre - band, width), scale(centre + band, width)
    at = None if log_ratio is None else scale(log_ratio, width)
    for i in range(width):
        mark = "●" if i == at else "·"
        text.append(mark, BAND if lo <= i <= hi else None)
    return text


def sparkline(values, width):
    """The last `width` values as ▁..█, from 0 up to the largest of them."""
    values = values[-width:]
    finite = [v for v in values if math.isfinite(v)]
    top = max(finite, default=0.0) or 1.0
    # A value that is not finite (a blown-up gradient) draws as ✕, never as a bar it cannot have.
    return "".join(
        SPARKS[min(len(SPARKS) - 1, max(0, int(v / top * len(SPARKS))))] if math.isfinite(v) else "✕" for v in values
    ).rjust(width)


def signed(x):
    """+1.2e-02 style: the sign always shown."""
    return "0" if x == 0 else f"{x:+.1e}"


def number(x, digits=3):
    """Short fixed or scientific notation, whichever is readable."""
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.{digits}f}"
    return f"{x:.1e}"


class ParamTable:
    """Args:
    rows: dicts with name, shape, mean, std, grad_norm, log_ratio, healthy, trend.
    total_params: the parameter count for the totals row.
    total_grad_norm: the norm of the whole gradient (None before the first step).
    mode: "weights" (the columns above) or "update": what the step did to each matrix, |Δ| (the
        update's norm) and its largest single change, and Adam's state, mean |m| and sqrt(mean v).
    """

    GAUGE = 9
    TREND = 10

    def __init__(self, rows, total_params, total_grad_norm=None, mode="weights", selected=""):
        self.rows = rows
        self.selected = selected  # the selected row's matrix name, underlined
        self.total_params = total_params
        self.total_grad_norm = total_grad_norm
        self.mode = mode

    def columns_for(self, width):
        """Which optional columns fit: ('mean', 'gauge', 'trend') minus the ones that do not."""
        name_width = max((len(r["name"]) for r in self.rows), default=6)
        base = name_width + 6 + 6 + 7 + 8  # name, shape, std, |grad|, log upd, with gaps
        optional = [("gauge", self.GAUGE + 1), ("mean", 7), ("trend", self.TREND + 1)]
        shown = set()
        for key, cost in optional:
            if base + cost <= width:
                shown.add(key)
                base += cost
        return shown

    def name_cell(self, name):
        return Text(name, SELECTED) if name == self.selected else name

    UPDATE_COLUMNS = (("|Δ|", 7), ("max Δ", 9), ("mean|m|", 8), ("√mean v", 8), ("log upd", 8))

    def update_table(self, width: int) -> Table:
        """What the step did: |Δ|, the largest single change, Adam's mean |m| and sqrt(mean v), the ratio
        (the last columns drop out first when the table is narrow)."""
        name_width = max((len(r["name"]) for r in self.rows), default=6)
        room, shown = width - name_width - 6, []
        for title, cost in self.UPDATE_COLUMNS:
            if cost <= room or not shown:
                shown.append(title)
                room -= cost
        table = Table(box=box.SIMPLE_HEAD, padding=0, pad_edge=False, expand=False, show_edge=False)
        table.add_column("matrix", no_wrap=True)
        table.add_column("shape", justify="right", no_wrap=True)
        for title in shown:
            table.add_column(title, justify="right", no_wrap=True)
        total = 0.0
        for r in self.rows:
            log, norm = r["log_ratio"], r["update_norm"]
            total = math.hypot(total, norm or 0.0)
            cells = {
                "|Δ|": "—" if norm is None else number(norm),
                "max Δ": "—" if r["update_max"] is None else signed(r["update_max"]),
                "mean|m|": "—" if r["m_mean_abs"] is None else number(r["m_mean_abs"]),
                "√mean v": "—" if r["v_mean_sqrt"] is None else number(r["v_mean_sqrt"]),
                "log upd": Text("—" if log is None else f"{log:+.1f}", HEALTHY if r["healthy"] else UNHEALTHY),
            }
            table.add_row(self.name_cell(r["name"]), r["shape"], *(cells[title] for title in shown))
        known = any(r["update_norm"] is not None for r in self.rows)
        totals = [Text(f"total {self.total_params:,}", style="bold"), "", number(total) if known else "—"]
        table.add_row(*totals, *([""] * (len(shown) - 1)), end_section=True)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.mode == "update":
            yield self.update_table(options.max_width)
            return
        shown = self.columns_for(options.max_width)
        table = Table(box=box.SIMPLE_HEAD, padding=0, pad_edge=False, expand=False, show_edge=False)
        table.add_column("matrix", no_wrap=True)
        table.add_column("shape", justify="right", no_wrap=True)
        if "mean" in shown:
            table.add_column("mean", justify="right", no_wrap=True)
        table.add_column("std", justify="right", no_wrap=True)
        table.add_column("|grad|", justify="right", no_wrap=True)
        table.add_column("log upd", justify="right", no_wrap=True)
        if "gauge" in shown:
            table.add_column("-5 -3  -1", no_wrap=True, min_width=self.GAUGE)
        if "trend" in shown:
            table.add_column("grad trend", no_wrap=True, min_width=self.TREND)
        for r in self.rows:
            log = r["log_ratio"]
            cells = [self.name_cell(r["name"]), r["shape"]]
            if "mean" in shown:
                cells.append("—" if r["mean"] is None else f"{r['mean']:+.3f}")
            cells += [
                "—" if r["std"] is None else f"{r['std']:.3f}",
                "—" if r["grad_norm"] is None else number(r["grad_norm"]),
                Text("—" if log is None else f"{log:+.1f}", HEALTHY if r["healthy"] else UNHEALTHY),
            ]
            if "gauge" in shown:
                cells.append(gauge(log, self.GAUGE))
            if "trend" in shown:
                cells.append(Text(sparkline(r["trend"], self.TREND), MUTED))
            table.add_row(*cells)
        totals = [Text(f"total {self.total_params:,}", style="bold"), ""]
        if "mean" in shown:
            totals.append("")
        totals += ["", "—" if self.total_grad_norm is None else number(self.total_grad_norm), ""]
        totals += [""] * (("gauge" in shown) + ("trend" in shown))
        table.add_row(*totals, end_section=True)
        yield table
