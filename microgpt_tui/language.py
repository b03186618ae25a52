"""Provides the app's language: `_()` translates now, `N_()` marks a string translated where it is shown.

The catalogs are the standard library's gettext: `locale/<lang>/LC_MESSAGES/microgpt_tui.po`, the source a
translator edits, beside its compiled `.mo`, which is what the app reads (README: "Languages"). English
is the source language: its msgids are the English text itself, so English needs no catalog.

Switching is live: nothing translated is kept. Module-level constants hold English marked with `N_()`
and are passed through `_()` each time they are drawn, so a switch (`set_language`) followed by a redraw
shows the new language everywhere (key bindings, which Textual builds once: switching.py).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "microgpt_tui"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "zh")  # what --lang, the palette and the settings offer
NAMES = {"en": "English", "zh": "中文"}
ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # gettext's own order of precedence

_translations: gettext.NullTranslations = gettext.NullTranslations()
_current = "en"


def N_(message: str) -> str:  # (gettext's name for the no-op marker)
    """Mark `message` for the catalog without translating it: a constant translated where it is drawn."""
    return message


IME_NOTE = N_(  # (said in zh: where the help is, when switching to it, and on a first launch)
    "The keys are single letters: switch the Chinese input method off (or to English) while using the app, "
    "or it takes the letters for itself. Every command is also in the palette (ctrl+p), by its Chinese or "
    "English name."
)


class Translated(str):
    """A translation that remembers its English msgid, so it can be translated again after a switch."""

    msgid: str

    def __new__(cls, text: str, msgid: str) -> Translated:
        made = super().__new__(cls, text)
        made.msgid = msgid
        return made


def msgid_of(text: str) -> str:
    """The English behind `text` (itself, if it was never translated)."""
    return text.msgid if isinstance(text, Translated) else text


def _(message: str) -> str:
    """`message` (English, or an earlier translation of it) in the current language."""
    msgid = msgid_of(message)
    if not msgid:
        return msgid
    return Translated(_translations.gettext(msgid), msgid)


def current() -> str:
    return _current


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for, read as gettext reads it: the first of LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG that is set (LANGUAGE may list several, colon-separated); en unless it is zh."""
    environ = os.environ if environ is None else environ
    for name in ENV_ORDER:
        value = environ.get(name, "")
        if value:
            for wanted in value.split(":"):
                code = wanted.split(".")[0].split("@")[0].split("_")[0].lower()
                if code in LANGUAGES:
                    return code
            if name != "LANGUAGE":  # (gettext moves on from a LANGUAGE naming no known catalog)
                return "en"
    return "en"


def set_language(code: str) -> None:
    """Make `code` (en or zh) the language of every `_()` from now on."""
    global _translations, _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _current = code
    _translations = (
        gettext.NullTranslations()
        if code == "en"
        else gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code])
    )


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n` in the current language."""
    return _translations.ngettext(singular, plural, n)
