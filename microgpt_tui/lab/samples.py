"""Provides `SampleLog`: the names sampled this session (newest first), each marked if it is in the training data."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable


class SampleLog:
    def __init__(self, docs: Iterable[str], limit: int = 200):
        self.known = frozenset(docs)
        self.limit = limit
        self.entries: deque[tuple[str, bool]] = deque(maxlen=limit)

    def add(self, text: str) -> tuple[str, bool]:
        entry = (text, text in self.known)
        self.entries.appendleft(entry)
        return entry
