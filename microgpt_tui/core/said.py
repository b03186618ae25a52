"""Provides `Said`: a sentence with named placeholders, kept so it can be said again in another language.

The status line's note is the latest event, written once (`Session.say`) and drawn on every tick; a
language switch redraws it. A note made of a template and its figures is a `Said`: its text is the English
(so tests and recordings read English), and `spoken` fills the template's translation each time it is drawn.
"""

from __future__ import annotations

from typing import Any

from microgpt_tui.language import Translated, _


class Said(str):
    """`template` (English, marked with `N_()` or `_()` where it is written) filled with `fields`."""

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, **fields: Any) -> Said:
        made = super().__new__(cls, str(template).format(**{k: _english(v) for k, v in fields.items()}))
        made.template = template
        made.fields = fields
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        """Copied or pickled as its template and fields (str's own way would pass the text as the template)."""
        return _said, (self.template, self.fields)


def _said(template: str, fields: dict[str, Any]) -> Said:
    return Said(template, **fields)


def _english(value: Any) -> Any:
    """A field as the English text shows it (a translated field: its msgid)."""
    return value.msgid if isinstance(value, Translated) else value


def spoken(text: str) -> str:
    """`text` in the current language: a `Said` filled again, a translated string translated again; anything
    else (the data, a sentence never marked) as it is."""
    if isinstance(text, Said):
        fields = {k: spoken(v) if isinstance(v, (Said, Translated)) else v for k, v in text.fields.items()}
        return _(text.template).format(**fields)
    return _(text)
