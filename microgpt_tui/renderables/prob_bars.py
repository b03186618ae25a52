"""Provides `ProbabilityBars`: a next-token distribution as sorted horizontal bars.

Every token of the vocabulary gets a row, most likely first, with a bar scaled
to the most likely one and its percentage. One token can be marked (the true
next character in training, the drawn one in sampling). When there are more
tokens than rows, the bars flow into columns.
"""

import math

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from ..lab.labels import visible
from .colors import unit

EIGHTHS = " ▏▎▍▌▋▊▉"
BAR = Style(color="#5fafff")
TOP_BAR = Style(color="#87d7ff", bold=True)
MARKED = Style(color="#5fd75f", bold=True)
DIM = Style(color="grey50")
GHOST = Style(color="#ffaf5f", bold=True)  # where the other distribution's bar ends
GHOST_INSIDE = Style(color="#ffaf5f", bgcolor="#005f87", bold=True)
GAP = 3
SEPARATOR = " │ "  # between columns of bars: each column reads down on its own, never as pairs across


def bar(fraction, width):
    """A bar `fraction` (0..1) of `width` cells long, in eighths of a cell."""
    eighths = round(unit(fraction) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text + " " * (width - cell_len(text))


def percent(p, width):
    """'12.3%' when there is room (width 6), else '12%'."""
    text = f"{p * 100:.1f}%" if width >= 6 else f"{p * 100:.0f}%"
    return text.rjust(width)


class ProbabilityBars:
    """Args:
    labels: a printable label per token id.
    probs: the probability of each token id (they sum to 1).
    marked: the token id to mark, or None.
    height: rows available; the bars wrap into columns to fit. None: one column.
    top: how many of the most likely rows are drawn emphasised.
    marks: more token ids to point at, as id -> (one-cell symbol, style); `marked` wins.
    ghost: another distribution (the model before or after an update), drawn as a │ on each bar
        where that token's bar would end.
    """

    def __init__(self, labels, probs, marked=None, height=None, top=5, marks=None, ghost=None):
        self.labels = [visible(label) for label in labels]
        self.probs = probs
        self.marked = marked
        self.height = height
        self.top = top
        self.marks = marks or {}
        self.ghost = ghost

    def _bar(self, i, fraction, top_p, width, style):
        text = bar(fraction, width)
        if self.ghost is None:
            yield Segment(text, style)
            return
        at = min(width - 1, max(0, round(unit(self.ghost[i] / top_p) * width) - 1))
        inside = at < round(unit(fraction) * width * 8) // 8
        yield Segment(text[:at], style)
        yield Segment("│", GHOST_INSIDE if inside else GHOST)
        yield Segment(text[at + 1 :], style)

    def order(self):
        """Token ids, most likely first (ties by id, so the order is stable)."""
        return sorted(range(len(self.probs)), key=lambda i: (-self.probs[i], i))

    def columns(self, width):
        rows = len(self.probs) if not self.height else max(1, self.height)
        ncols = max(1, math.ceil(len(self.probs) / rows))
        # Never more columns than leave each one 8 cells: crop the tail instead.
        while ncols > 1 and (width - (ncols - 1) * GAP) // ncols < 8:
            ncols -= 1
        return ncols, rows, (width - (ncols - 1) * GAP) // ncols

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.probs:
            return
        order = self.order()
        ncols, rows, col_width = self.columns(options.max_width)
        label_width = max(cell_len(label) for label in self.labels)
        pct_width = 6 if col_width >= 16 else 4
        bar_width = max(1, col_width - 2 - label_width - 1 - pct_width)
        top_p = self.probs[order[0]] or 1.0
        for r in range(rows):
            for c in range(ncols):
                rank = c * rows + r
                if rank >= len(order):
                    break
                if c:
                    yield Segment(SEPARATOR, DIM)
                i = order[rank]
                p = self.probs[i]
                is_marked = i == self.marked
                style = MARKED if is_marked else TOP_BAR if rank < self.top else BAR
                symbol, symbol_style = ("▸", MARKED) if is_marked else self.marks.get(i, (" ", MARKED))
                yield Segment(symbol, symbol_style)
                label = set_cell_size(self.labels[i], label_width)  # by cells: a wide 字 keeps the row's width
                yield Segment(label + " ", MARKED if is_marked else None)
                yield from self._bar(i, p / top_p, top_p, bar_width, style)
                yield Segment(percent(p, pct_width + 1), style if is_marked or rank < self.top else DIM)
            yield Segment.line()
