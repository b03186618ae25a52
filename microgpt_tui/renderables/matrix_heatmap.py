"""Provides `MatrixHeatmap` (one weight matrix as coloured cells) and `matrix_side` (its scale and story).

Cells use the forward view's diverging scale centred on 0 (blue below, red
above), scaled to the matrix's largest |value|, so 0 is always the darkest
cell. Rows are labelled by what they mean (characters for wte and lm_head,
positions for wpe, indices elsewhere) and columns by index. The numbers sit
in the cells when they have four columns; when the matrix is taller than the
room, the rows shown are a window around the cursor (▣ marks it).
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ..lab.matrices import KIND_TITLES, MatrixView
from .forward_pass import diverging_style, signed_text

LABEL = Style(bold=True)
CURSOR = Style(bold=True, reverse=True)
DIM = Style(color="grey50")
ZERO = Style(color="grey42", bgcolor="grey11")
SPARKS = " ▁▂▃▄▅▆▇█"


def cell_width(cols: int, room: int) -> int:
    for width in (5, 4, 3, 2):
        if cols * width <= room:
            return width
    return 1


class MatrixHeatmap:
    def __init__(self, view: MatrixView, max_rows: int | None = None):
        self.view = view
        self.max_rows = max_rows

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
            yield Segment(view.message, DIM)
            return
        label_width = 1 + max(len(label) for label in view.row_labels)
        cols = len(view.col_labels)
        width = cell_width(cols, options.max_width - label_width - 1)
        yield Segment(" " * (label_width + 1))
        for c, label in enumerate(view.col_labels):
            show = width >= 3 or c % 5 == 0
            text = label if show else ""
            yield Segment(text[:width].center(width) if width >= len(text) else " " * width, DIM)
        yield Segment.line()
        scale = view.hi
        cur_r, cur_c = view.cursor
        for r in self.visible_rows():
            chosen = r == cur_r
            yield Segment(view.row_labels[r].rjust(label_width) + " ", CURSOR if chosen else LABEL)
            for c, value in enumerate(view.cells[r]):
                style = diverging_style(value, scale)
                if value == 0.0 and not (chosen and c == cur_c):
                    yield Segment("·".center(width), ZERO)  # exactly 0 (a character not in the document: no gradient)
                elif chosen and c == cur_c:
                    text = "▣".center(width) if width < 4 else signed_text(value, width)
                    yield Segment(text, style + CURSOR)
                else:
                    yield Segment(signed_text(value, width) if width >= 4 else " " * width, style)
            yield Segment.line()


def number(x: float) -> str:
    return f"{x:+.3e}"


def matrix_side(view: MatrixView, vocab_labels: tuple[str, ...] = ()) -> Text:
    """The scale and its range, a histogram, the largest |gradient| cells, the cursor cell and the nudge check."""
    text = Text()
    text.append(KIND_TITLES[view.kind] + "\n", style="bold")
    if view.cells is None:
        return text
    text.append("scale ")
    for level in range(-4, 5):
        text.append("  ", diverging_style(level / 4, 1.0))
    text.append(f"\n{view.lo:+.2e}  0  {view.hi:+.2e}\n\n")
    top = max(view.counts, default=0) or 1
    text.append("histogram (centred on 0)\n")
    text.append("".join(SPARKS[round(c / top * (len(SPARKS) - 1))] for c in view.counts), style="#5fafff")
    text.append(f"  {sum(view.counts)} values\n\n")
    if view.top_grad:
        text.append("largest |gradient|\n")
        for r, c, g in view.top_grad:
            text.append(f" [{view.row_labels[r]}, {c}] ", style="bold").append(f"{g:+.3e}\n")
        text.append("\n")
    r, c = view.cursor
    text.append(f"cursor [{view.row_labels[r]}, {c}]\n", style="bold")
    if view.value is not None and view.kind not in ("weights", "grad"):
        text.append(f" {view.kind} {number(view.value)}\n")
    if view.weight is not None:
        text.append(f" weight {number(view.weight)}\n")
    if view.grad is not None:
        text.append(f" gradient {number(view.grad)}\n")
    check = view.nudge
    if check is not None:
        text.append("\nnudge ±h, h = ", style="bold").append(f"{check.h:g}\n", style="bold")
        text.append(f" L(w+h) {check.loss_plus:.9f}\n L(w−h) {check.loss_minus:.9f}\n")
        text.append(" slope  ").append(f"{check.estimate:+.6e}\n", style="bold #5fd75f")
        text.append(" autograd ").append(f"{check.gradient:+.6e}\n", style="bold #5fd75f")
        text.append(f" rel. diff {check.relative_error:.1e}\n")
    else:
        text.append("\nn: nudge this weight ±h and\nrecompute the loss", style="grey62")
    return text
