"""The claim tests in both languages: a sentence that quotes a figure is checked in English and in 中文.

`speaking(lang)` runs a test's body in a language. Where the sentence is a message of the catalog, `said`
builds it as the screen says it in that language (the translation filled with the same figures); where the
words are another part's, `figures` lists the numbers a sentence quotes, which every language must quote alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from microgpt_tui import language, user_state
from microgpt_tui.core.said import spoken
from microgpt_tui.switching import translate_bindings

LANGUAGES = ("en", "zh")
FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


@contextmanager
def speaking(lang: str, state: Path | None = None) -> Iterator[None]:
    """`lang` for every `_()` meanwhile; `state`: an app's state file, its input-method note already said."""
    if state is not None:
        user_state.save(state, ime_noted=True)
    language.set_language(lang)
    try:
        yield
    finally:
        language.set_language("en")
        translate_bindings([])


def said(template: str, **figures: object) -> str:
    """`template` (an English msgid) as the current language says it with `figures`."""
    return language._(template).format(**figures)


def shown(note: str) -> str:
    """A note (the session's event) as the status line says it now."""
    return spoken(note)


def figures(text: str) -> Counter[str]:
    """The numbers `text` quotes (1,000, 0.5, 32,033), each as often as it does, in any order."""
    return Counter(FIGURE.findall(text))


def quotes(text: str, *wanted: str) -> bool:
    """`text` quotes every figure of `wanted` (as often as it is listed)."""
    return not Counter(wanted) - figures(text)
