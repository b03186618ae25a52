"""Provides `SampleLog`: the names sampled this session (newest first), each marked if it is in the training data."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from microgpt_engine import SampleRecord
from microgpt_tui.core.said import Said
from microgpt_tui.language import N_


def temperatures_words(records: Sequence[SampleRecord]) -> str:
    """'at temperature 0.5', or 'at temperatures 0.2 to 0.6' when + / - changed it while the name was drawn."""
    temps = sorted({r.temperature for r in records})
    if len(temps) <= 1:
        return Said(N_("at temperature {t}"), t=f"{temps[0] if temps else 1:g}")
    return Said(N_("at temperatures {low} to {high}"), low=f"{temps[0]:g}", high=f"{temps[-1]:g}")


def temperature_label(records: Sequence[SampleRecord]) -> str:
    """The label the samples list groups names under: "T 0.5", or "T 0.2–0.6" when + / - changed it mid-name."""
    temps = sorted({r.temperature for r in records})
    if not temps:
        return ""
    return f"T {temps[0]:g}" if len(temps) == 1 else f"T {temps[0]:g}–{temps[-1]:g}"


class SampleLog:
    def __init__(self, docs: Iterable[str], limit: int = 200):
        self.known = frozenset(docs)
        self.limit = limit
        self.entries: deque[tuple[str, bool]] = deque(maxlen=limit)
        self.temperatures: deque[str] = deque(maxlen=limit)  # each entry's, as temperature_label says it ("": unknown)

    def add(self, text: str, temperature: str = "") -> tuple[str, bool]:
        """Log a name (newest first) drawn at `temperature` ("T 0.5"; "" when not known, e.g. a saved run's)."""
        entry = (text, text in self.known)
        self.entries.appendleft(entry)
        self.temperatures.appendleft(temperature)
        return entry
