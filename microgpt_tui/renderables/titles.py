"""Provides `longest_fitting`: the fullest of a title's wordings that fits the room a border leaves it."""

from collections.abc import Sequence

from rich.cells import cell_len


def longest_fitting(candidates: Sequence[str], room: int | None) -> str:
    """The first of `candidates` (longest first) at most `room` cells wide; the last if none fits.

    None (not laid out yet): the first. A panel title that fits whole reads
    better than a long one cut by an ellipsis.
    """
    if room is None:
        return candidates[0]
    return next((c for c in candidates if cell_len(c) <= room), candidates[-1])
