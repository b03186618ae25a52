"""Provides `MatrixHeatmap` (one weight matrix as coloured cells) and `matrix_side` (its scale and story).

Cells use the forward view's diverging scale centred on 0 (blue below, red
above), scaled to the matrix's largest |value|, so 0 is always the darkest
cell. Rows are labelled by what they mean (characters for wte and lm_head,
positions for wpe, indices elsewhere) and columns by index. The cells share
the width and rows grow taller when the height allows; the numbers sit in the
cells when every cell has four columns; when the matrix is taller than the
room, the rows shown are a window around the cursor (▣ marks it).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from microgpt_tui.core.labels import decimal
from microgpt_tui.features.forward.strips import diverging_style, signed_text
from microgpt_tui.features.matrix.state import KIND_NAMES, KIND_TITLES, MatrixView
from microgpt_tui.language import _
from microgpt_tui.renderables.grid_cells import row_height, spread
from microgpt_tui.renderables.heatmap import centred
from microgpt_tui.styled_text import styled

LABEL = Style(bold=True)
CURSOR = Style(bold=True, reverse=True)
DIM = Style(color="grey50")
DIM_ON_LIGHT = Style(color="grey35")  # (grey50 read at 3:1 on a light panel)
# The side panel's colours on a dark and on a light theme: histogram, the nudge check's numbers, the hint.
SIDE = {False: ("#5fafff", "bold #5fd75f", "grey62"), True: ("#005f87", "bold #007000", "grey35")}
ZERO = Style(color="grey42", bgcolor="grey11")
SPARKS = " ▁▂▃▄▅▆▇█"


MAX_CELL = 10  # the widest cell: a short matrix on a large terminal stops growing here


class MatrixHeatmap:
    """The view's cells in `max_width` columns and `max_rows` lines (None: one line a row, no window).

    The columns share the width (spread, up to MAX_CELL each) and rows take
    several lines when the height allows; a matrix taller than the room shows
    a window of one-line rows around the cursor."""

    def __init__(self, view: MatrixView, max_rows: int | None = None, light: bool = False):
        self.view = view
        self.max_rows = max_rows
        self.dim = DIM_ON_LIGHT if light else DIM  # the column numbers and messages, readable on the theme

    @property
    def label_width(self) -> int:
        return 1 + max(cell_len(label) for label in self.view.row_labels)  # (字 takes two cells, ◌́ one)

    def widths(self, max_width: int) -> list[int]:
        return spread(max_width - self.label_width - 1, len(self.view.col_labels), MAX_CELL)

    def row_lines(self, max_width: int) -> int:
        lines = None if self.max_rows is None else self.max_rows - 1  # (the column labels' line)
        return row_height(lines, len(self.view.row_labels), min(self.widths(max_width), default=1))

    def visible_rows(self) -> range:
        n = len(self.view.row_labels)
        if self.max_rows is None or n + 1 <= self.max_rows:
            return range(n)
        room = max(1, self.max_rows - 1)
        start = min(max(0, self.view.cursor[0] - room // 2), n - room)
        return range(start, start + room)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        view = self.view
        if view.cells is None:
            yield Segment(view.message, self.dim)
            return
        label_width = self.label_width
        widths = self.widths(options.max_width)
        narrowest = min(widths)
        yield Segment(" " * (label_width + 1))
        for c, (label, width) in enumerate(zip(view.col_labels, widths)):
            show = narrowest >= 3 or c % 5 == 0
            text = label if show else ""
            yield Segment(centred(text, width) if width >= cell_len(text) else " " * width, self.dim)
        yield Segment.line()
        scale = view.hi
        cur_r, cur_c = view.cursor
        lines = self.row_lines(options.max_width)
        middle = (lines - 1) // 2  # the line of a tall row that carries its label and numbers
        for r in self.visible_rows():
            chosen = r == cur_r
            for line in range(lines):
                label = view.row_labels[r] if line == middle else ""
                yield Segment(" " * (label_width - cell_len(label)) + label + " ", CURSOR if chosen else LABEL)
                for c, (value, width) in enumerate(zip(view.cells[r], widths)):
                    yield self._cell(value, width, narrowest, scale, chosen and c == cur_c, line == middle)
                yield Segment.line()

    @staticmethod
    def _cell(value: float, width: int, narrowest: int, scale: float, cursor: bool, middle: bool) -> Segment:
        """One line of a cell: the number on its middle line (when every cell has room for one), shading on all."""
        style = diverging_style(value, scale)
        if value == 0.0 and not cursor:
            return Segment(("·" if middle else "").center(width), ZERO)  # exactly 0 (no gradient here)
        if not middle:
            return Segment(" " * width, style + CURSOR if cursor else style)
        if cursor:
            return Segment("▣".center(width) if narrowest < 4 else signed_text(value, width), style + CURSOR)
        return Segment(signed_text(value, width) if narrowest >= 4 else " " * width, style)


def number(x: float) -> str:
    """A weight, gradient or Δ to four figures as a plain decimal (+0.1234, -0.00001234)."""
    return decimal(x, 4, sign=True)


def matrix_side(view: MatrixView, vocab_labels: tuple[str, ...] = (), light: bool = False) -> Text:
    """The scale and its range, a histogram, the largest |gradient| cells, the cursor cell and the nudge check."""
    bars, checked, hint = SIDE[light]
    text = Text()
    text.append(_(KIND_TITLES[view.kind]) + "\n", style="bold")
    if view.cells is None:
        return text
    text.append(_("scale") + " ")
    for level in range(-4, 5):
        text.append("  ", diverging_style(level / 4, 1.0))
    text.append(f"\n{decimal(view.lo, 3, sign=True)}  0  {decimal(view.hi, 3, sign=True)}\n\n")
    top = max(view.counts, default=0) or 1
    text.append(_("histogram (centred on 0)") + "\n")
    text.append("".join(SPARKS[round(c / top * (len(SPARKS) - 1))] for c in view.counts), style=bars)
    text.append("  " + _("{count} values").format(count=sum(view.counts)) + "\n\n")
    if view.top_grad:
        text.append(_("largest |gradient|") + "\n")
        for r, c, g in view.top_grad:
            text.append(f" [{view.row_labels[r]}, {c}] ", style="bold").append(f"{number(g)}\n")
        text.append("\n")
    r, c = view.cursor
    text.append(_("cursor [{row}, {col}]").format(row=view.row_labels[r], col=c) + "\n", style="bold")
    if view.value is not None and view.kind not in ("weights", "grad"):
        text.append(f" {_(KIND_NAMES[view.kind])} {number(view.value)}\n")
    if view.weight is not None:
        text.append(" " + _("weight {value}").format(value=number(view.weight)) + "\n")
    if view.grad is not None:
        text.append(" " + _("gradient {value}").format(value=number(view.grad)) + "\n")
    check = view.nudge
    if check is not None:
        text.append("\n", style="bold").append(styled(_("nudge ±h, h = {h}"), "bold", h=(f"{check.h:g}", "bold")))
        text.append("\n", style="bold")
        text.append(f" L(w+h) {check.loss_plus:.9f}\n L(w−h) {check.loss_minus:.9f}\n")
        slope, autograd = _("slope"), _("autograd")  # (outside the f-strings, where the catalog's extraction looks)
        text.append(f" {slope}  ").append(f"{decimal(check.estimate, 7, sign=True)}\n", style=checked)
        text.append(f" {autograd} ").append(f"{decimal(check.gradient, 7, sign=True)}\n", style=checked)
        text.append(" " + _("rel. diff {value:.1e}").format(value=check.relative_error) + "\n")
    else:
        text.append("\n" + _("n: nudge this weight ±h and\nrecompute the loss"), style=hint)
    return text
