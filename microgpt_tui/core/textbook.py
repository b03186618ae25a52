"""Provides the textbook file's lines (microgpt in one readable file: engine/textbook/microgpt.py) and `span`,
which finds a range of them by the text of its first and last lines (so a range survives edits around it).

The code view shows these lines; each lesson names the range it teaches, and finished lessons light theirs.
"""

from __future__ import annotations

from functools import cache

from microgpt_engine.textbook_file import TEXTBOOK


@cache
def lines() -> tuple[str, ...]:
    """The file's lines, as shipped with the engine (numbered from 1: line n is lines()[n - 1])."""
    return tuple(TEXTBOOK.read_text(encoding="utf-8").splitlines())


def find(piece: str, start: int = 1) -> int:
    """The number of the first line from `start` on that holds `piece` (KeyError: none does)."""
    for number, text in enumerate(lines()[start - 1 :], start):
        if piece in text:
            return number
    raise KeyError(f"no line of {TEXTBOOK.name} holds {piece!r}")


def span(first: str, last: str) -> tuple[int, int]:
    """(the first line holding `first`, the first line from there holding `last`), numbered from 1."""
    start = find(first)
    return start, find(last, start)
