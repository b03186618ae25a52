"""Finding English a screen still shows in another language: runs of three or more English words.

A Chinese screen may show a term's English beside it (注意力 attention, 多头注意力 multi-head attention): one
or two words. Three English words in a row are a sentence nobody translated. What is English on purpose is
passed as `allowed` (code, names of matrices, the data, a sample typed by the user)."""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = r"[A-Za-z][a-z']*"
ENGLISH_RUN = re.compile(rf"{WORD}(?: {WORD}){{2,}}")  # (words joined by single spaces: a hyphen joins one word)

# English every language shows: Textual's own words, and terms kept in English on purpose.
EVERYWHERE = ("Search for commands",)


def screen_lines(app) -> list[str]:
    """Every line of the screen on top, as the terminal shows it (the screens under a dialog included)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def english_runs(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The runs of three or more English words in `text`, once `allowed` (and EVERYWHERE) is taken out."""
    for kept in sorted((*EVERYWHERE, *allowed), key=len, reverse=True):
        text = text.replace(kept, " · ")
    return [run for run in ENGLISH_RUN.findall(text) if not _only_short(run)]


def _only_short(run: str) -> bool:
    """A run of one- and two-letter tokens (axis letters, 'a b c d' columns of a table) is no sentence."""
    return all(len(word) <= 2 for word in run.split())


def code_fragments(code: str) -> list[str]:
    """Every run of three or more English words inside `code` (its comments), whole or in part: a line of code
    folded at the edge of its box shows part of one."""
    runs = [run.split() for run in ENGLISH_RUN.findall(code)]
    return [" ".join(w[i:j]) for w in runs for i in range(len(w)) for j in range(i + 3, len(w) + 1)]
