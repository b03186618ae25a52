"""Provides `AttentionHeatmap`: attention weights as a grid of shaded cells.

Rows are query positions (the token doing the looking), columns are key
positions (the tokens it looks at), both labelled with their characters. A
query only sees itself and earlier keys, so each row has one more weight than
the one above; the masked future is a dim dot. Several heads can sit side by
side, or in a grid of rows of heads when that leaves the cells bigger. The
cells share the width they are given (up to `max_cell` columns each) and, when
the height allows, each row takes several lines. Numbers appear in the cells
when every cell is at least four columns wide (three digits and a space, so
neighbours never run together); narrower cells keep the shading only.
"""

from collections.abc import Iterator, Sequence

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from microgpt_tui.core.labels import visible
from microgpt_tui.language import _
from microgpt_tui.renderables.colors import cell_style
from microgpt_tui.renderables.grid_cells import row_height, spread

MASKED = Style(color="grey35")
LABEL = Style(bold=True)
SELECTED_LABEL = Style(bold=True, reverse=True)
TITLE = Style(italic=True, color="grey70")
TITLE_ON_LIGHT = Style(italic=True, color="grey30")  # (grey70 read at 1.6:1 on a light panel; this at 6:1)
MARKER = "▸"  # the selected row, drawn apart from its label so it never fuses with a ◆ into one glyph


DIGITS_FROM = 4  # the narrowest cell that shows its weight: '.52' and a space between neighbours


def weight_text(weight: float, width: int) -> str:
    """'.52' or '1.0' centred in `width` cells; blank if narrower than DIGITS_FROM."""
    if width < DIGITS_FROM:
        return " " * width
    text = "1.0" if weight >= 0.995 else f"{weight:.2f}"[1:]
    return text.center(width)


def centred(text: str, width: int) -> str:
    """`text` centred in `width` cells as `str.center` would (the same side gets the odd space), measured in
    cells: a wide character (字) takes two, a combining mark none."""
    return text.center(width - cell_len(text) + len(text))


def fit(text: str, width: int) -> str:
    """Centre `text` in exactly `width` cells, cropping it if needed."""
    text = text if cell_len(text) <= width else set_cell_size(text, width).rstrip()
    pad = width - cell_len(text)
    return " " * (pad // 2) + text + " " * (pad - pad // 2)


class AttentionHeatmap:
    """One or more heads' attention over the same positions.

    Args:
        labels: the input character at each position (query rows = key columns).
        heads: one matrix per head; matrix[q] holds the weights of query q over
            keys 0..q.
        titles: a caption above each head (only drawn for more than one head).
        selected: the highlighted query row.
        max_cell: the widest a cell may grow (in columns); narrower cells share
            the width so the grid fills it.
        max_rows: lines available; rows grow taller when they fit (None: one
            line a row). When the grid is taller, the rows shown are a window
            around the selected one.
        per_row: heads side by side in one row of blocks (None: all of them);
            the rest wrap into further rows of blocks.
        tall: let rows take several lines of max_rows (else one line a row,
            for a caller that lays out what follows the grid).
        title_style: the captions' style (TITLE_ON_LIGHT on a light theme).
    """

    def __init__(
        self,
        labels: Sequence[str],
        heads: Sequence[Sequence[Sequence[float]]],
        titles: Sequence[str] | None = None,
        selected: int | None = None,
        max_cell: int = 4,
        max_rows: int | None = None,
        per_row: int | None = None,
        tall: bool = False,
        title_style: Style = TITLE,
    ) -> None:
        self.labels = [visible(label) for label in labels]
        self.heads = heads
        self.titles = titles if titles is not None else [""] * len(heads)
        self.selected = selected
        self.max_cell = max_cell
        self.max_rows = max_rows
        self.per_row = max(1, min(per_row or len(heads), len(heads))) if heads else 1
        self.tall = tall
        self.title_style = title_style
        self.label_width = 2 + max((cell_len(label) for label in self.labels), default=1)
        """Marker, label, and a space before the cells."""

    @staticmethod
    def gap(cell: int) -> int:
        return 1 if cell == 1 else 2

    @property
    def header(self) -> int:
        """Lines above each block's rows: the column labels, and the heads' captions when there are several."""
        return 2 if len(self.heads) > 1 else 1

    @property
    def block_rows(self) -> int:
        return -(-len(self.heads) // self.per_row)

    def width_for(self, cell: int) -> int:
        n, blocks = len(self.labels), self.per_row
        return self.label_width + blocks * n * cell + (blocks - 1) * self.gap(cell) + 2

    def widths(self, max_width: int) -> list[int]:
        """Each key column's width in one block: the widest that fits (up to max_cell), spare columns spread."""
        n, blocks = len(self.labels), self.per_row
        room = (max_width - self.label_width - 2 - (blocks - 1) * self.gap(2)) // blocks
        return spread(room, n, self.max_cell)

    def cell_width(self, max_width: int) -> int:
        """The narrowest cell of the grid that fits `max_width`."""
        return min(self.widths(max_width), default=1)

    def row_lines(self, max_width: int) -> int:
        """Lines per query row: more than one when the height allows (about square cells)."""
        if self.max_rows is None or not self.tall:
            return 1
        n, block_rows = len(self.labels), self.block_rows
        spare = self.max_rows - block_rows * self.header - (block_rows - 1)
        return row_height(spare, block_rows * n, self.cell_width(max_width))

    def height(self, max_width: int | None = None) -> int:
        """Lines the whole grid takes (every row of blocks, with its header lines)."""
        lines = self.row_lines(max_width) if max_width is not None else 1
        return self.block_rows * (len(self.labels) * lines + self.header) + (self.block_rows - 1)

    def visible_rows(self) -> range:
        """The range of query rows that fit in max_rows (all of them if it is None)."""
        n = len(self.labels)
        if self.per_row < len(self.heads):
            return range(n)  # (a grid of blocks is only chosen when every row fits)
        if self.max_rows is None or n + self.header <= self.max_rows:
            return range(n)
        room = max(1, self.max_rows - self.header)
        start = min(max(0, (self.selected or 0) - room // 2), n - room)
        return range(start, start + room)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(
            min(self.width_for(1), options.max_width), min(self.width_for(self.max_cell), options.max_width)
        )

    def heads_shown(self, max_width: int) -> int:
        """How many heads are drawn: all, or (one row of blocks too wide even at one column a cell) the first
        ones that fit whole; a block cut off at the edge would hide its caption and its last keys."""
        if len(self.heads) == 1 or self.per_row < len(self.heads) or self.width_for(1) <= max_width:
            return len(self.heads)
        n = len(self.labels)
        return max(1, (max_width - self.label_width - 2 + 1) // (n + 1))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.labels or not self.heads:
            yield Segment(_("no document yet"), MASKED)
            return
        shown = self.heads_shown(options.max_width)
        if shown < len(self.heads):
            fewer = AttentionHeatmap(
                self.labels,
                self.heads[:shown],
                self.titles[:shown],
                self.selected,
                self.max_cell,
                self.max_rows,
                None,
                self.tall,
                self.title_style,
            )
            yield from fewer.__rich_console__(console, options)
            return
        widths = self.widths(options.max_width)
        lines = self.row_lines(options.max_width)
        for first in range(0, len(self.heads), self.per_row):
            if first:
                yield Segment.line()
            blocks = self._blocks(range(first, min(first + self.per_row, len(self.heads))), widths, lines)
            yield from Segment.simplify(blocks)  # (neighbours of one style as one segment: tall rows draw cheaper)

    def _blocks(self, heads: range, widths: list[int], lines: int) -> Iterator[Segment]:
        """One row of blocks: the heads in `heads` side by side, each query row `lines` lines tall."""
        gap = " " * self.gap(min(widths))
        margin = " " * self.label_width
        digits = min(widths) >= DIGITS_FROM  # all cells or none: a number in every other column would mislead

        if len(self.heads) > 1:
            yield Segment(margin)
            for b in heads:
                if b != heads.start:
                    yield Segment(gap)
                yield Segment(fit(self.titles[b], sum(widths)), self.title_style)
            yield Segment.line()

        yield Segment(margin)
        for b in heads:
            if b != heads.start:
                yield Segment(gap)
            for label, width in zip(self.labels, widths):
                yield Segment(fit(label, width), LABEL)
        yield Segment.line()

        middle = (lines - 1) // 2  # the line of a tall row that carries its label and numbers
        for q in self.visible_rows():
            chosen = q == self.selected
            for line in range(lines):
                if line == middle:
                    yield Segment(
                        MARKER if chosen else " ", LABEL
                    )  # (not reversed: one box would join ▸◆ into one shape)
                    yield Segment(fit(self.labels[q], self.label_width - 2), SELECTED_LABEL if chosen else LABEL)
                    yield Segment(" ")
                else:
                    yield Segment(margin)
                for b in heads:
                    if b != heads.start:
                        yield Segment(gap)
                    matrix = self.heads[b]
                    row = matrix[q] if q < len(matrix) else []
                    for k, width in enumerate(widths):
                        if k < len(row):
                            text = weight_text(row[k], width if digits and line == middle else 0).ljust(width)
                            yield Segment(text, cell_style(row[k], chosen))
                        else:
                            yield Segment(fit("·" if line == middle else "", width), MASKED)
                if chosen and line == middle:
                    yield Segment(" ◂", LABEL)
                yield Segment.line()
