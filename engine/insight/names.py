"""Provides `nearest`: the training name closest to a generated one, by edit distance.

A sample is "known" if it is a line of the data (whether or not training showed
it: a name in the data is no proof of memorising), "novel" otherwise; how novel
is the number of single-character edits (insert, delete, substitute: the
Levenshtein distance) to the closest training name.

Three facts keep a search over ~32,000 names fast in pure Python:
- two names whose lengths differ by g are at least g edits apart, so names are
  bucketed by length and searched from the nearest length outwards, stopping
  once the length gap alone reaches the best distance found;
- every character of one name that never occurs in the other needs an edit of
  its own, which rules most names out before any table is filled in;
- each distance computation gives up as soon as it cannot beat the best so far
  (the minimum of a row of the table never decreases from one row to the next).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple


class Nearest(NamedTuple):
    """The closest training name and how many edits away it is (0: it is one)."""

    doc: str
    distance: int


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance from a to b.

    With `limit`, stops as soon as the distance must exceed it and returns
    limit + 1 (a cheap "no better than that").
    """
    if len(a) < len(b):
        a, b = b, a  # the shorter string runs along the row
    previous = list(range(len(b) + 1))  # distances from a[:0] to every prefix of b
    for i, ca in enumerate(a, 1):
        left = i  # a[:i] to the empty prefix of b: i deletions
        current = [left]
        for j, cb in enumerate(b):
            # The cheapest of: substitute (or keep) ca, delete ca, insert cb.
            # (Comparisons instead of min(): the innermost loop, twice as fast.)
            d = previous[j] + (ca != cb)
            if previous[j + 1] + 1 < d:
                d = previous[j + 1] + 1
            if left + 1 < d:
                d = left + 1
            current.append(d)
            left = d
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


LONG = 256  # characters: a document longer than this is no name, and is compared by its start


def long_distance(name: str, doc: str, best: int | None) -> int:
    """The edit distance to a document far longer than any name, bounded instead of computed.

    The full table would cost len(name) x len(doc) steps (seconds, for a 1 MB line, on the
    UI thread). The distance to the first LONG characters, plus deleting the rest, is an upper
    bound within len(name) of the truth, since the truth is at least len(doc) - len(name).
    """
    rest = len(doc) - LONG
    if best is not None and rest >= best:
        return rest  # no better than the best so far: not worth the table
    return edit_distance(name, doc[:LONG]) + rest


def unshared_characters(a: str, b: str) -> int:
    """A lower bound on the edit distance: one edit can fix at most one character
    of `a` and one of `b`, and each character that the other string lacks
    entirely needs fixing."""
    set_a, set_b = set(a), set(b)
    return max(sum(c not in set_b for c in a), sum(c not in set_a for c in b))


class NameIndex:
    """The training names, as a set (exact membership) and bucketed by length.

    Build it once per dataset; each `nearest` query then costs milliseconds.
    """

    def __init__(self, docs: Collection[str]) -> None:
        self.names = set(docs)
        if not self.names:
            raise ValueError("there are no names to compare with")
        self.by_length: dict[int, list[str]] = {}  # length -> names of that length, in first-seen order
        for doc in dict.fromkeys(docs):
            self.by_length.setdefault(len(doc), []).append(doc)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __len__(self) -> int:
        return len(self.names)

    def nearest(self, name: str) -> Nearest:
        """The closest name. Ties go to the name nearest in length (shorter
        first), then to the first in the original order."""
        if name in self.names:
            return Nearest(name, 0)
        best: str | None = None
        best_distance: int | None = None
        # The lengths there are, nearest first (shorter first on a tie): never every length up to the
        # longest document, which for a 1 MB line meant a million empty lookups.
        for length in sorted(self.by_length, key=lambda n: (abs(n - len(name)), n)):
            gap = abs(length - len(name))
            if best_distance is not None and gap >= best_distance:
                break  # every name this far off in length is at least `gap` edits away
            for doc in self.by_length[length]:
                if len(doc) > LONG:
                    d = long_distance(name, doc, best_distance)
                elif best_distance is not None and unshared_characters(name, doc) >= best_distance:
                    continue
                else:
                    d = edit_distance(name, doc, None if best_distance is None else best_distance - 1)
                if best_distance is None or d < best_distance:
                    best, best_distance = doc, d
                    if d == gap:  # nothing at this length gap can be closer
                        return Nearest(best, best_distance)
        assert best is not None and best_distance is not None  # the gaps reach every length there is
        return Nearest(best, best_distance)


def nearest(name: str, docs: Collection[str] | NameIndex) -> Nearest:
    """The training name closest to `name`, and the edit distance to it.

    Builds a `NameIndex` each call; keep one for repeated queries.
    """
    index = docs if isinstance(docs, NameIndex) else NameIndex(docs)
    return index.nearest(name)
