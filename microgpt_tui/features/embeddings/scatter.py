"""Provides `TokenScatter`: tokens as characters on a 2-D map (the PCA of their embeddings).

Each token is drawn as its own character where its (x, y) falls; each axis
is stretched to fill the area (the explained variance says which direction
holds more of the spread). Tokens drawn close together have similar vectors.
Two tokens that would land on the same cell are nudged to the nearest free
one. The cross marks the mean vector.
Vowels, consonants and BOS get their own colours, to see whether they gather.
"""

import math
from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from microgpt_tui.core.labels import DASH, visible
from microgpt_tui.language import _

VOWELS = set("aeiouy")
STYLES = {
    "vowel": Style(color="#ffaf5f", bold=True),
    "consonant": Style(color="#5fafff", bold=True),
    "bos": Style(color="#5fd75f", bold=True),
    "other": Style(color="#d7afff", bold=True),
}
AXIS = Style(color="grey35")
CELL_ASPECT = 2.0  # a cell's height in units of its width


def kind(label: str) -> str:
    if label == "◆":
        return "bos"
    if label.lower() in VOWELS:
        return "vowel"
    return "consonant" if label.isalpha() else "other"


NUDGE = 8  # cells a token may be nudged from its place at most: past that (a crowded map) it is not drawn


def ring_offsets(reach: int) -> list[tuple[int, int]]:
    """Every (dr, dc) within `reach` rings, ring by ring, each ring nearest first (a cell is twice as tall
    as wide): the order nearest_free tries them in, computed once per reach."""
    if reach not in _OFFSETS:
        offsets = [(dr, dc) for dr in range(-reach + 1, reach) for dc in range(-reach + 1, reach)]
        offsets.sort(key=lambda o: (max(abs(o[0]), abs(o[1])), (o[0] * CELL_ASPECT) ** 2 + o[1] ** 2))
        _OFFSETS[reach] = offsets
    return _OFFSETS[reach]


_OFFSETS: dict[int, list[tuple[int, int]]] = {}


def nearest_free(grid: list[list[str | None]], row: int, col: int, reach: int | None = None) -> tuple[int, int] | None:
    """The free cell closest to (row, col), searching outwards ring by ring (at most `reach` rings)."""
    height, width = len(grid), len(grid[0])
    for dr, dc in ring_offsets(min(max(height, width), reach or max(height, width))):
        r, c = row + dr, col + dc
        if 0 <= r < height and 0 <= c < width and grid[r][c] is None:
            return r, c
    return None


class TokenScatter:
    """Args:
    points: (label, x, y) per token.
    height: rows of the map; None: half the width (a roughly square map).
    """

    def __init__(self, points: Iterable[tuple[str, float, float]], height: int | None = None) -> None:
        points = [(visible(label), x, y) for label, x, y in points]
        # Blown-up weights give coordinates of inf or NaN: those tokens are listed under the map
        # instead; huge finite ones are scaled to 1 first, so that no span overflows to inf.
        self.lost = [label for label, x, y in points if not (math.isfinite(x) and math.isfinite(y))]
        kept = [(label, x, y) for label, x, y in points if math.isfinite(x) and math.isfinite(y)]
        scale = max((max(abs(x), abs(y)) for _, x, y in kept), default=0.0) or 1.0
        self.points = [(label, x / scale, y / scale) for label, x, y in kept]
        self.height = height

    def layout(self, width: int, height: int) -> tuple[dict[tuple[int, int], tuple[str, str]], tuple[int, int]]:
        """{(row, col): (label, kind)} for every token, and the (row, col) of the origin."""
        xs = [x for _, x, _ in self.points] + [0.0]
        ys = [y for _, _, y in self.points] + [0.0]
        x_span = max(max(xs) - min(xs), 1e-12)
        y_span = max(max(ys) - min(ys), 1e-12)
        per_col = x_span / max(width - 1, 1)
        per_row = y_span / max(height - 1, 1)
        x_mid, y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

        def cell(x: float, y: float) -> tuple[int, int]:
            col = round((x - x_mid) / per_col + (width - 1) / 2)
            row = round((y_mid - y) / per_row + (height - 1) / 2)  # up is positive y
            return min(max(row, 0), height - 1), min(max(col, 0), width - 1)

        grid: list[list[str | None]] = [[None] * width for _ in range(height)]
        placed: dict[tuple[int, int], tuple[str, str]] = {}
        free = width * height
        self.crowded = 0  # tokens with no free cell near their place (a map of 10,000 characters)
        full: set[tuple[int, int]] = set()  # cells with no free cell within NUDGE of them
        # Place the points nearest the middle first, so outliers get nudged, not the crowd.
        for label, x, y in sorted(self.points, key=lambda p: abs(p[1] - x_mid) + abs(p[2] - y_mid)):
            # (an unbounded search on a full grid scanned every cell for each token: 70 s for 2,000 tokens)
            at = cell(x, y)
            spot = nearest_free(grid, *at, reach=NUDGE) if free and at not in full else None
            if spot is None:
                full.add(at)  # (the grid only fills up: the next token of this cell needs no search)
                self.crowded += 1
                continue
            free -= 1
            grid[spot[0]][spot[1]] = label
            placed[spot] = (label, kind(label))
        return placed, cell(0.0, 0.0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        height = self.height or options.height or max(4, width // 4)
        if self.lost:
            height = max(height - 1, 1)  # the last line lists the tokens with no finite place
        placed, (origin_row, origin_col) = self.layout(width, height)
        if self.crowded:  # a line to say so: lay out again one row shorter
            height = max(height - 1, 1)
            placed, (origin_row, origin_col) = self.layout(width, height)
        crowded = self.crowded
        for row in range(height):
            segments, col = [], 0
            while col < width:
                if (row, col) in placed:
                    label, k = placed[(row, col)]
                    segments.append(Segment(label, STYLES[k]))
                    col += max(cell_len(label), 1)
                    continue
                if row == origin_row and col == origin_col:
                    char = "┼"
                elif row == origin_row:
                    char = "─"
                elif col == origin_col:
                    char = "│"
                else:
                    char = " "
                segments.append(Segment(char, AXIS if char != " " else None))
                col += 1
            yield from segments
            yield Segment.line()
        if crowded > 0:
            note = f"{DASH} " + _("{count:,} tokens with no free cell near their place: not drawn").format(
                count=crowded
            )
            yield Segment(set_cell_size(note, width) if cell_len(note) > width else note, AXIS)
            yield Segment.line()
        if self.lost:
            note = f"{DASH} " + _("not finite, not drawn: {tokens}").format(tokens=" ".join(self.lost))
            if cell_len(note) > width:
                note = set_cell_size(note, max(width - 1, 0)) + "…"
            yield Segment(note, AXIS)
            yield Segment.line()
