"""Provides the copy task: a dataset the app makes itself, on which attention is necessary.

Each document is a word of four letters from a to h, a bar, and the same word
again: `cafe|cafe`. The first word is random, so no model can predict it
better than 1 in 8 a letter; the copy after the bar is certain, but only to a
model that can look back four positions and read the letter there. Without
attention microgpt sees only the current token and its position, so every
copied letter is as much a guess as the first four; one head that attends from
each position of the copy to the letter it repeats makes them free.

Why it lives here and not in the engine: it is training data, picked where
data is picked (`--dataset copy`, the settings' dataset list), as the bundled
names are. It is deterministic: every one of the 8**4 = 4,096 words, in
alphabetical order (a run's seed shuffles them, as it shuffles names).
"""

from __future__ import annotations

from itertools import product

NAME = "copy"
LETTERS = "abcdefgh"
WORD = 4  # letters before the bar (and after it)
BAR = "|"


def copy_documents() -> list[str]:
    """Every word of WORD letters from LETTERS, each followed by the bar and itself: 4,096 documents."""
    return [f"{word}{BAR}{word}" for word in map("".join, product(LETTERS, repeat=WORD))]


def copy_pairs(doc: str) -> list[tuple[int, int]]:
    """Where a model must copy: (query position, key position) pairs of one copy-task document.

    Positions are the model's: position p reads token p (0 is BOS, so the
    document's character i is token i + 1) and predicts token p + 1. The
    character after the bar at offset j repeats character j, so the query at
    the position before it (p = WORD + 1 + j) must read the key at position
    j + 1, whose token is that very letter. A document that is not a copy has
    no pairs.
    """
    word, bar, copy = doc.partition(BAR)
    if not bar or word != copy or not word:
        return []
    return [(len(word) + 1 + j, j + 1) for j in range(len(word))]
