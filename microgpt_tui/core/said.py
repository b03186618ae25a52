"""Provides `Said`: a sentence with named placeholders, kept so it can be said again in another language.

The status line's note is the latest event, written once (`Session.say`) and drawn on every tick; a
language switch redraws it. A note made of a template and its figures is a `Said`: its text is the sentence
in the language it was said in (so any part that reads or quotes it gets that language), and `spoken` fills
the template's translation again each time it is drawn, in the language of the moment.
"""

from __future__ import annotations

from typing import Any

from microgpt_tui.language import Translated, _


class Said(str):
    """`template` (English, marked with `N_()` where it is written) filled with `fields`, in the current
    language."""

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, **fields: Any) -> Said:
        made = super().__new__(cls, _fill(template, fields))
        made.template = template
        made.fields = fields
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Copied or pickled as its template and fields (str's own way would pass the text as the template)."""
        return _said, (self.template, self.fields)


def _said(template: str, fields: dict[str, Any]) -> Said:
    return Said(template, **fields)


def _fill(template: str, fields: dict[str, Any]) -> str:
    """The template's translation with the fields put in; a field that is words (a `Said`, a translation) in
    the current language too, the rest (figures, names, the data) as they are."""
    words = {k: spoken(v) if isinstance(v, (Said, Translated)) else v for k, v in fields.items()}
    return _(template).format(**words)


def spoken(text: str) -> str:
    """`text` in the current language: a `Said` filled again, a translated string translated again; anything
    else (the data, a sentence never marked) as it is."""
    if isinstance(text, Said):
        return _fill(text.template, text.fields)
    return _(text)
