"""Provides `AttentionHeatmap`: attention weights as a grid of shaded cells.

Rows are query positions (the token doing the looking), columns are key
positions (the tokens it looks at), both labelled with their characters. A
query only sees itself and earlier keys, so each row has one more weight than
the one above; the masked future is a dim dot. Several heads can sit side by
side, or in a grid of rows of heads when that leaves the cells wider. Numbers
appear in the cells when they are at least four columns wide (three digits and
a space, so neighbours never run together); narrower cells keep the shading only.
"""

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from ..lab.labels import visible
from .colors import cell_style

MASKED = Style(color="grey35")
LABEL = Style(bold=True)
SELECTED_LABEL = Style(bold=True, reverse=True)
TITLE = Style(italic=True, color="grey70")
MARKER = "▸"  # the selected row, drawn apart from its label so it never fuses with a ◆ into one glyph


DIGITS_FROM = 4  # the narrowest cell that shows its weight: '.52' and a space between neighbours


def weight_text(weight, width):
    """'.52' or '1.0' centred in `width` cells; blank if narrower than DIGITS_FROM."""
    if width < DIGITS_FROM:
        return " " * width
    text = "1.0" if weight >= 0.995 else f"{weight:.2f}"[1:]
    return text.center(width)


def fit(text, width):
    """Centre `text` in exactly `width` cells, cropping it if needed."""
    text = text if cell_len(text) <= width else text[:width]
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
        max_cell: the widest a cell may grow (in columns).
        max_rows: lines available; when the grid is taller, the rows shown are
            a window around the selected one.
        per_row: heads side by side in one row of blocks (None: all of them);
            the rest wrap into further rows of blocks.
    """

    def __init__(self, labels, heads, titles=None, selected=None, max_cell=4, max_rows=None, per_row=None):
        self.labels = [visible(label) for label in labels]
        self.heads = heads
        self.titles = titles if titles is not None else [""] * len(heads)
        self.selected = selected
        self.max_cell = max_cell
        self.max_rows = max_rows
        self.per_row = max(1, min(per_row or len(heads), len(heads))) if heads else 1

    @property
    def label_width(self):
        """Marker, label, and a space before the cells."""
        return 2 + max((cell_len(label) for label in self.labels), default=1)

    @staticmethod
    def gap(cell):
        return 1 if cell == 1 else 2

    def width_for(self, cell):
        n, blocks = len(self.labels), self.per_row
        return self.label_width + blocks * n * cell + (blocks - 1) * self.gap(cell) + 2

    def height(self) -> int:
        """Lines the whole grid takes (every row of blocks, with its header lines)."""
        n, header = len(self.labels), 2 if len(self.heads) > 1 else 1
        block_rows = -(-len(self.heads) // self.per_row)
        return block_rows * (n + header) + (block_rows - 1)

    def visible_rows(self):
        """The range of query rows that fit in max_rows (all of them if it is None)."""
        n = len(self.labels)
        header = 2 if len(self.heads) > 1 else 1
        if self.per_row < len(self.heads):
            return range(n)  # (a grid of blocks is only chosen when every row fits)
        if self.max_rows is None or n + header <= self.max_rows:
            return range(n)
        room = max(1, self.max_rows - header)
        start = min(max(0, (self.selected or 0) - room // 2), n - room)
        return range(start, start + room)

    def cell_width(self, max_width):
        """The widest cell (max_cell down to 1) whose grid fits `max_width`."""
        for cell in range(self.max_cell, 1, -1):
            if self.width_for(cell) <= max_width:
                return cell
        return 1

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(
            min(self.width_for(1), options.max_width), min(self.width_for(self.max_cell), options.max_width)
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.labels or not self.heads:
            yield Segment("no document yet", MASKED)
            return
        cell = self.cell_width(options.max_width)
        for first in range(0, len(self.heads), self.per_row):
            if first:
                yield Segment.line()
            yield from self._blocks(range(first, min(first + self.per_row, len(self.heads))), cell)

    def _blocks(self, heads: range, cell: int) -> RenderResult:
        """One row of blocks: the heads in `heads` side by side."""
        n = len(self.labels)
        gap = " " * self.gap(cell)
        margin = " " * self.label_width

        if len(self.heads) > 1:
            yield Segment(margin)
            for b in heads:
                if b != heads.start:
                    yield Segment(gap)
                yield Segment(fit(self.titles[b], n * cell), TITLE)
            yield Segment.line()

        yield Segment(margin)
        for b in heads:
            if b != heads.start:
                yield Segment(gap)
            for label in self.labels:
                yield Segment(fit(label, cell), LABEL)
        yield Segment.line()

        for q in self.visible_rows():
            label = self.labels[q]
            chosen = q == self.selected
            yield Segment(MARKER if chosen else " ", SELECTED_LABEL if chosen else LABEL)
            yield Segment(fit(label, self.label_width - 2), SELECTED_LABEL if chosen else LABEL)
            yield Segment(" ")
            for b in heads:
                if b != heads.start:
                    yield Segment(gap)
                matrix = self.heads[b]
                row = matrix[q] if q < len(matrix) else []
                for k in range(n):
                    if k < len(row):
                        yield Segment(weight_text(row[k], cell), cell_style(row[k], chosen))
                    else:
                        yield Segment(fit("·", cell), MASKED)
            if chosen:
                yield Segment(" ◂", LABEL)
            yield Segment.line()
