"""Provides `ParamTable`: one row per weight matrix with its statistics and trend.

Columns: shape, mean, std, gradient norm, log10 of the update:data ratio, a
small gauge of it from 10^-5 to 10^0 whose shaded band is where Adam puts it
at this learning rate (a tenth of lr_t / std of the weights up to lr_t / std),
the reference log10(lr_t / std) itself, then a sparkline of the recent gradient
norms. The last row totals the parameters. In "update" mode the columns are
what the step did instead: |Δ| (the update's norm), its largest single change,
Adam's mean |m| and sqrt(mean v), and the ratio.

The table fits its width by column priority: every column says how wide it
is and how much it matters (`COLUMNS`); the most important ones that fit are
drawn, in their reading order, and a narrow table shortens the matrix names
(`layer0.attn_wq` → `L0.attn_wq`) before it drops a column. Headers are never
cut: a column is drawn whole or not at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.text import Text

from microgpt_tui.core.labels import decimal
from microgpt_tui.language import N_, _

SPARKS = "▁▂▃▄▅▆▇█"
LOW, HIGH = -5.0, 0.0  # the gauge spans log10 ratios from 1e-5 to 1


@dataclass(frozen=True)
class Palette:
    """The table's colours: bright ones for a dark background, deeper ones that keep the contrast on a light one."""

    band: Style  # the gauge's Adam band, behind the theme's text colour
    healthy: Style
    unhealthy: Style
    muted: Style  # the rule and the sparklines


DARK = Palette(
    band=Style(bgcolor="#1f4f2f"),
    healthy=Style(color="#5fd75f"),
    unhealthy=Style(color="#ffaf5f"),
    muted=Style(color="grey50"),
)
LIGHT = Palette(  # (light green #5fd75f read at 1.4:1 on the light panel, dark dots on the dark band at 1.7:1)
    band=Style(bgcolor="#a8dcb4"),
    healthy=Style(color="#007000"),
    unhealthy=Style(color="#a04000"),
    muted=Style(color="grey35"),
)
SELECTED = Style(underline=True, bold=True)
HEADER = Style(bold=True)
GAP = 1  # cells between columns
DASH = "—"


def scale(value: float, width: int) -> int:
    """The cell (0..width-1) where `value` falls on the LOW..HIGH scale."""
    f = (min(max(value, LOW), HIGH) - LOW) / (HIGH - LOW)
    return min(width - 1, int(f * width))


def gauge(log_ratio: float | None, width: int, reference: float | None = None, band: Style = DARK.band) -> Text:
    """A `width`-cell scale with a ● at `log_ratio`; the band from reference-1 to reference shaded."""
    text = Text()
    lo, hi = (scale(reference - 1, width), scale(reference, width)) if reference is not None else (width, -1)
    at = None if log_ratio is None else scale(log_ratio, width)
    for i in range(width):
        mark = "●" if i == at else "·"
        text.append(mark, band if lo <= i <= hi else None)
    return text


def gauge_header(width: int) -> str:
    """`-5 upd 0` spread over the gauge's width: -5 over its first cell, 0 over its last."""
    inner = width - 4  # (between "-5" and "0", one space each side of "upd" at least)
    if inner < 5:
        return "-5 upd 0"
    left = (inner - 3) // 2
    return "-5" + " " * left + "upd" + " " * (inner - 3 - left) + " 0"


def sparkline(values: Sequence[float], width: int) -> str:
    """The last `width` values as ▁..█, from 0 up to the largest of them.

    Fewer values than cells start at the left, next to the gauge, and grow to the right as steps come.
    """
    values = values[-width:]
    finite = [v for v in values if math.isfinite(v)]
    top = max(finite, default=0.0) or 1.0
    # A value that is not finite (a blown-up gradient) draws as ✕, never as a bar it cannot have.
    return "".join(
        SPARKS[min(len(SPARKS) - 1, max(0, int(v / top * len(SPARKS))))] if math.isfinite(v) else "✕" for v in values
    ).ljust(width)


def number(x: float, digits: int = 3) -> str:
    """Fixed decimals; below 0.001 a plain decimal to two figures (0.00012) while it fits the column's 7 cells,
    exponent form only for what is smaller still (1.2e-06)."""
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.{digits}f}"
    plain = decimal(x, 2)
    return plain if len(plain) <= 7 else f"{x:.1e}"


def signed(x: float) -> str:
    """+0.012 style, the sign always shown: a plain decimal to two figures while it fits the column's 8 cells
    (+0.00012), exponent form only for what is smaller still (+1.2e-06)."""
    if x == 0:
        return "0"
    plain = decimal(x, 2, sign=True)
    return plain if len(plain) <= 8 else f"{x:+.1e}"


def short_name(name: str) -> str:
    """`layer0.attn_wq` → `L0.attn_wq`: still unique, and counted from 0 like the full name."""
    return re.sub(r"^layer(\d+)\.", r"L\1.", name)


def _or_dash(x: float | None, spec: str) -> str:
    return DASH if x is None else format(x, spec)


def _ratio_cell(r: dict[str, Any], palette: Palette) -> Text:
    log = r["log_ratio"]
    return Text(_or_dash(log, "+.1f"), palette.healthy if r["healthy"] else palette.unhealthy)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int  # cells, at least the header's
    priority: int  # 0 is always drawn; lower numbers are kept first
    cell: Callable[[dict, int, Palette], object]  # (row, width, palette) -> the cell
    justify: str = "right"
    grows: tuple[int, ...] = ()  # the widest it may grow when the table has room to spare, stage by stage


def col_width(col: Column) -> int:
    """The column's width in cells: its own, or its header's in the language of the moment when that is wider."""
    return max(col.width, cell_len(_(col.header)))


GAUGE, TREND = 8, 9
# The gauge and the sparkline share spare room in stages: first up to 21 and 24 cells (a 120-column terminal),
# then up to 31 (6 cells a decade) and 40 (the trend's length in the lab), so a 200-column table is full.
GAUGE_GROWS, TREND_GROWS = (21, 31), (24, 40)
CORE = 6  # the columns up to this priority are the table; mean and lr/std are extras for wide terminals
COLUMNS = [  # in reading order; priority: which go first when the table is narrow (matrix never)
    Column("matrix", N_("matrix"), 0, 0, lambda r, w, p: r["name"], "left"),
    Column("shape", N_("shape"), 5, 5, lambda r, w, p: r["shape"]),
    Column("mean", N_("mean"), 6, 7, lambda r, w, p: _or_dash(r["mean"], "+.3f")),
    Column("std", "std", 5, 2, lambda r, w, p: _or_dash(r["std"], ".3f")),
    Column("grad", "|grad|", 6, 3, lambda r, w, p: DASH if r["grad_norm"] is None else number(r["grad_norm"])),
    Column("ratio", N_("log upd"), 7, 1, lambda r, w, p: _ratio_cell(r, p)),
    Column("ref", "lr/std", 6, 8, lambda r, w, p: _or_dash(r.get("log_reference"), "+.1f")),
    Column(
        "gauge",
        "-5 upd 0",
        GAUGE,
        4,
        lambda r, w, p: gauge(r["log_ratio"], w, r.get("log_reference"), p.band),
        "left",
        GAUGE_GROWS,
    ),
    Column(
        "trend", N_("|g| trend"), TREND, 6, lambda r, w, p: Text(sparkline(r["trend"], w), p.muted), "left", TREND_GROWS
    ),
]


UPDATE_COLUMNS = [  # "update" mode: what the step did to each matrix
    Column("matrix", N_("matrix"), 0, 0, lambda r, w, p: r["name"], "left"),
    Column("shape", N_("shape"), 5, 6, lambda r, w, p: r["shape"]),
    Column("norm", "|Δ|", 6, 1, lambda r, w, p: DASH if r.get("update_norm") is None else number(r["update_norm"])),
    Column("max", N_("max Δ"), 8, 2, lambda r, w, p: DASH if r.get("update_max") is None else signed(r["update_max"])),
    Column("m", N_("mean|m|"), 7, 3, lambda r, w, p: DASH if r.get("m_mean_abs") is None else number(r["m_mean_abs"])),
    Column(
        "v", N_("√mean v"), 7, 4, lambda r, w, p: DASH if r.get("v_mean_sqrt") is None else number(r["v_mean_sqrt"])
    ),
    Column("ratio", N_("log upd"), 7, 5, lambda r, w, p: _ratio_cell(r, p)),
]


class ParamTable:
    """Args:
    rows: dicts with name, shape, mean, std, grad_norm, log_ratio, log_reference, healthy, trend.
    total_params: the parameter count for the totals row.
    total_grad_norm: the norm of the whole gradient (None before the first step).
    mode: "weights" (the columns above) or "update": what the step did to each matrix (UPDATE_COLUMNS).
    selected: the selected row's matrix name, underlined.
    palette: DARK or LIGHT, for the theme's background.
    """

    def __init__(
        self,
        rows: Sequence[dict[str, Any]],
        total_params: int,
        total_grad_norm: float | None = None,
        mode: str = "weights",
        selected: str = "",
        palette: Palette = DARK,
    ) -> None:
        self.rows = rows
        self.total_params = total_params
        self.total_grad_norm = total_grad_norm
        self.mode = mode
        self.selected = selected
        self.palette = palette
        self.all_columns = UPDATE_COLUMNS if mode == "update" else COLUMNS

    def layout(self, width: int) -> tuple[list[Column], bool]:
        """The columns that fit `width` (in reading order) and whether the names are shortened."""
        names = [r["name"] for r in self.rows]
        full = max(map(cell_len, names + [_("matrix")]), default=6)
        short = max(map(cell_len, [short_name(n) for n in names] + [_("matrix")]), default=6)
        options: list[tuple[list[Column], bool]] = []
        for shorten, name_width in ((False, full), (True, short)):
            used = name_width
            chosen = {"matrix"}
            for col in sorted(self.all_columns[1:], key=lambda c: c.priority):
                if used + GAP + col_width(col) <= width:
                    chosen.add(col.key)
                    used += GAP + col_width(col)
            columns = [c for c in self.all_columns if c.key in chosen]
            options.append((columns, shorten))
        # Full names unless shortening them keeps more of the core columns (the extras only fill spare room).
        return max(options, key=lambda o: (sum(c.priority <= CORE for c in o[0]), not o[1], len(o[0])))

    def columns_for(self, width: int) -> set[str]:
        """The keys of the optional columns that fit `width`."""
        return {c.key for c in self.layout(width)[0]} - {"matrix"}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        columns, shorten = self.layout(width)
        widths = {c.key: col_width(c) for c in columns}
        names = [short_name(r["name"]) if shorten else r["name"] for r in self.rows]
        widths["matrix"] = max(map(cell_len, names + [_("matrix")]))
        spare = width - sum(widths.values()) - GAP * (len(columns) - 1)
        stages = max((len(c.grows) for c in columns), default=0)
        for stage in range(stages):  # room to spare: the gauge and the sparkline grow, so small differences show
            for col in columns:
                if stage < len(col.grows) and spare > 0:
                    extra = max(0, min(spare, col.grows[stage] - widths[col.key]))
                    widths[col.key] += extra
                    spare -= extra

        def line(cells: dict[str, object], style: Style | None = None) -> Text:
            text = Text(no_wrap=True, overflow="crop")
            for i, col in enumerate(columns):
                if i:
                    text.append(" " * GAP)
                value = cells.get(col.key, "")
                cell = value if isinstance(value, Text) else Text(str(value), style or "")
                pad = widths[col.key] - cell.cell_len
                if col.justify == "right":
                    text.append(" " * max(0, pad)).append_text(cell)
                else:
                    text.append_text(cell).append(" " * max(0, pad))
            return text

        yield line({c.key: gauge_header(widths[c.key]) if c.key == "gauge" else _(c.header) for c in columns}, HEADER)
        muted = self.palette.muted
        yield Text("─" * min(width, sum(widths.values()) + GAP * (len(columns) - 1)), muted)
        for r, name in zip(self.rows, names):
            shown = Text(name, SELECTED) if r["name"] == self.selected else name
            yield line(
                {c.key: (shown if c.key == "matrix" else c.cell(r, widths[c.key], self.palette)) for c in columns}
            )
        if self.mode == "update":
            norms = [r.get("update_norm") for r in self.rows]
            known = any(n is not None for n in norms)
            grad = number(math.hypot(*(n or 0.0 for n in norms))) if known else DASH
            total = _("total {count}").format(count=f"{self.total_params:,}")
            yield Text.assemble((total, "bold"), (" · " + _("whole update |Δ|") + " ", muted), grad)
            return
        grad = DASH if self.total_grad_norm is None else number(self.total_grad_norm)
        total = _("total {count}").format(count=f"{self.total_params:,}")
        for middle in ("  ·  " + _("whole gradient |grad|") + " ", " · |grad| ", " "):
            if cell_len(total + middle + grad) <= width:
                break
        yield Text.assemble((total, "bold"), (middle, muted), grad)
