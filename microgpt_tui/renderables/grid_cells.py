"""Provides `spread` and `row_height`: how wide and how tall a heatmap's cells are in the room it has.

A heatmap grows with its panel: the columns share the width (the spare columns
spread one each over the cells, so the grid fills its panel instead of leaving
a strip empty), and each row takes as many lines as the height allows, but no
more than keeps a cell about as tall as it is wide (a terminal cell is about
twice as tall as it is wide, so a cell `w` columns wide is square at `w // 2`
lines), and at most MAX_LINES.
"""

MAX_LINES = 3  # the tallest row: taller cells add lines to draw (each one costs the trainer CPU) and show nothing new
SPREAD_FROM = 4  # narrower cells stay all alike: one column more would make some half as wide again as others


def spread(room: int, n: int, max_cell: int) -> list[int]:
    """Widths of `n` cells in `room` columns: each `room // n` (at most `max_cell`, at least 1); from
    SPREAD_FROM columns on, the spare columns go one each to the cells, so the grid fills `room`."""
    if n <= 0:
        return []
    base = max(1, room // n)
    if base >= max_cell:
        return [max_cell] * n
    if base < SPREAD_FROM:
        return [base] * n
    return [(k + 1) * room // n - k * room // n for k in range(n)]


def row_height(lines: int | None, rows: int, cell: int) -> int:
    """Lines per row when `rows` rows share `lines` lines (None: one line each), kept about square."""
    if lines is None or rows <= 0:
        return 1
    return max(1, min(lines // rows, cell // 2, MAX_LINES))
