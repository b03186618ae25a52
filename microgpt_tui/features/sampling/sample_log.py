"""Provides `SampleLog`: the names sampled this session (newest first), each marked if it is in the training data."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from microgpt_engine import SampleRecord


def temperatures_words(records: Sequence[SampleRecord]) -> str:
    """'at temperature 0.5', or 'at temperatures 0.2 to 0.6' when + / - changed it while the name was drawn."""
    temps = sorted({r.temperature for r in records})
    if len(temps) <= 1:
        return f"at temperature {temps[0] if temps else 1:g}"
    return f"at temperatures {temps[0]:g} to {temps[-1]:g}"


class SampleLog:
    def __init__(self, docs: Iterable[str], limit: int = 200):
        self.known = frozenset(docs)
        self.limit = limit
        self.entries: deque[tuple[str, bool]] = deque(maxlen=limit)

    def add(self, text: str) -> tuple[str, bool]:
        entry = (text, text in self.known)
        self.entries.appendleft(entry)
        return entry
