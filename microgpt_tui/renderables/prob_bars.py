"""Provides `ProbabilityBars`: a next-token distribution as sorted horizontal bars.

Every token of the vocabulary gets a row, most likely first, with a bar scaled
to the most likely one and its percentage. One token can be marked (the true
next character in training, the drawn one in sampling). When there are more
tokens than rows, the bars flow into columns, as long as every bar keeps
MIN_BAR cells; where even that does not fit (a narrow panel), the least likely
tokens give way to a `+N more` line, and the marked token always stays shown.
"""

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from microgpt_tui.core.labels import visible
from microgpt_tui.language import _
from microgpt_tui.renderables.colors import unit

EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class Palette:
    """The bars' colours: bright ones for a dark background, deeper ones that keep the contrast on a light one."""

    bar: Style
    top: Style
    marked: Style
    dim: Style
    ghost: Style  # where the other distribution's bar ends
    ghost_inside: Style


DARK = Palette(
    bar=Style(color="#5fafff"),
    top=Style(color="#87d7ff", bold=True),
    marked=Style(color="#5fd75f", bold=True),
    dim=Style(color="grey50"),
    ghost=Style(color="#ffaf5f", bold=True),
    ghost_inside=Style(color="#ffaf5f", bgcolor="#005f87", bold=True),
)
LIGHT = Palette(
    bar=Style(color="#0087d7"),
    top=Style(color="#005f87", bold=True),
    marked=Style(color="#007000", bold=True),
    dim=Style(color="grey35"),
    ghost=Style(color="#a04000", bold=True),
    ghost_inside=Style(color="#ffd7af", bgcolor="#005f87", bold=True),
)
GAP = 3
SEPARATOR = " │ "  # between columns of bars: each column reads down on its own, never as pairs across
MIN_BAR = 8  # the shortest bar worth drawing: below it a bar (and the other distribution's │ on it) carries no length


def bar(fraction: float, width: int) -> str:
    """A bar `fraction` (0..1) of `width` cells long, in eighths of a cell."""
    eighths = round(unit(fraction) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text + " " * (width - cell_len(text))


def percent(p: float, width: int) -> str:
    """'12.3%' when there is room (width 6), else '12%'."""
    text = f"{p * 100:.1f}%" if width >= 6 else f"{p * 100:.0f}%"
    return text.rjust(width)


def pct_width(col_width: int) -> int:
    """'12.3%' in a column of 16 cells or more, '12%' below."""
    return 6 if col_width >= 16 else 4


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
    palette: DARK or LIGHT, for the theme's background.
    """

    def __init__(
        self,
        labels: Sequence[str],
        probs: Sequence[float],
        marked: int | None = None,
        height: int | None = None,
        top: int = 5,
        marks: Mapping[int, tuple[str, Style]] | None = None,
        ghost: Sequence[float] | None = None,
        palette: Palette = DARK,
    ) -> None:
        self.labels = [visible(label) for label in labels]
        # Measured once: `columns` asks for it at each column count it tries (~1,000 at 10,000 tokens:
        # 10 million cell_len calls, 30 s a repaint of the token panel).
        self._label_width = max((cell_len(label) for label in self.labels), default=0)
        self.probs = probs
        self.marked = marked
        self.height = height
        self.top = top
        self.marks = marks or {}
        self.ghost = ghost
        self.palette = palette

    def _bar(self, i: int, fraction: float, top_p: float, width: int, style: Style) -> Iterator[Segment]:
        text = bar(fraction, width)
        if self.ghost is None:
            yield Segment(text, style)
            return
        at = min(width - 1, max(0, round(unit(self.ghost[i] / top_p) * width) - 1))
        inside = at < round(unit(fraction) * width * 8) // 8
        yield Segment(text[:at], style)
        yield Segment("│", self.palette.ghost_inside if inside else self.palette.ghost)
        yield Segment(text[at + 1 :], style)

    def order(self) -> list[int]:
        """Token ids, most likely first (ties by id, so the order is stable)."""
        return sorted(range(len(self.probs)), key=lambda i: (-self.probs[i], i))

    def label_width(self) -> int:
        return self._label_width

    def bar_width(self, col_width: int) -> int:
        """The cells left for the bar in a column: marker, label, a space, the bar, the percentage."""
        return col_width - 2 - self.label_width() - 1 - pct_width(col_width)

    def columns(self, width: int) -> tuple[int, int, int]:
        rows = len(self.probs) if not self.height else max(1, self.height)
        ncols = max(1, math.ceil(len(self.probs) / rows))
        # Never so many columns that a bar gets shorter than MIN_BAR: crop the tail instead.
        while ncols > 1 and self.bar_width((width - (ncols - 1) * GAP) // ncols) < MIN_BAR:
            ncols -= 1
        return ncols, rows, (width - (ncols - 1) * GAP) // ncols

    def shown(self, order: list[int], room: int) -> list[int | None]:
        """The ranks drawn in `room` slots: all, or the most likely and a `+N more` slot (None), the marked one kept."""
        if len(order) <= room:
            return list(range(len(order)))
        kept = list(range(max(0, room - 1)))
        marked_rank = order.index(self.marked) if self.marked in order else None
        if kept and marked_rank is not None and marked_rank >= len(kept):
            kept[-1] = marked_rank  # the true next (or drawn) token matters more than the last of the top ones
        return kept + [None]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.probs:
            return
        order = self.order()
        ncols, rows, col_width = self.columns(options.max_width)
        label_width = self.label_width()
        pct = pct_width(col_width)
        bar_width = max(1, self.bar_width(col_width))
        top_p = self.probs[order[0]] or 1.0
        colors = self.palette
        ranks = self.shown(order, rows * ncols)
        kept = {rank for rank in ranks if rank is not None}
        hidden = [rank for rank in range(len(order)) if rank not in kept]
        for r in range(rows):
            for c in range(ncols):
                slot = c * rows + r
                if slot >= len(ranks):
                    break
                if c:
                    yield Segment(SEPARATOR, colors.dim)
                rank = ranks[slot]
                if rank is None:
                    most = percent(self.probs[order[hidden[0]]], 6).strip()
                    more = _("+{count} more ≤ {most}").format(count=len(hidden), most=most)
                    yield Segment(set_cell_size(f" {more}", col_width), colors.dim)
                    continue
                i = order[rank]
                p = self.probs[i]
                is_marked = i == self.marked
                style = colors.marked if is_marked else colors.top if rank < self.top else colors.bar
                symbol, symbol_style = ("▸", colors.marked) if is_marked else self.marks.get(i, (" ", colors.marked))
                yield Segment(symbol, symbol_style)
                label = set_cell_size(self.labels[i], label_width)  # by cells: a wide 字 keeps the row's width
                yield Segment(label + " ", colors.marked if is_marked else None)
                yield from self._bar(i, p / top_p, top_p, bar_width, style)
                yield Segment(percent(p, pct + 1), style if is_marked or rank < self.top else colors.dim)
            yield Segment.line()
