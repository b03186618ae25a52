"""Provides the command palette's entries and the help screen's rows, both read from the bindings.

Every key is also a command: the palette lists each binding that applies now
under its long name (with its key), plus the time-travel commands that have
no key of their own; the help screen lists every binding, greyed where it
does not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from textual.app import SystemCommand

from microgpt_tui import language
from microgpt_tui.bindings import BINDINGS, COMMANDS, long_name
from microgpt_tui.language import N_, _

Applies = Callable[[str], bool | None]  # the app's `applies`: True, None (greyed out) or False (hidden)


def palette_commands(
    applies: Applies, run_action: Callable[[str], Any], back_to_now: Callable[[], None] | None
) -> Iterator[SystemCommand]:
    """The palette's entries that apply now; `back_to_now`: leave the past (None: the panels show now)."""
    for binding in COMMANDS:
        if applies(binding.action.partition("(")[0]) is True:  # (the palette itself is a modal screen)
            keys = binding.key_display or binding.key
            yield SystemCommand(
                both(long_name(binding), keys), _(binding.tooltip), lambda a=binding.action: run_action(a)
            )
    if applies("goto_step"):
        yield SystemCommand(
            both(_("go to step… (time travel)")),
            _("Type a step number: every panel shows the model as it was then"),
            lambda: run_action("goto_step"),
        )
    yield SystemCommand(
        both(_("export the loss curve as an animation (SVG)")),
        _("The live run's loss over its steps, drawn step by step, as an animated SVG next to the checkpoint"),
        lambda: run_action("export_training"),
    )
    if back_to_now is not None:
        yield SystemCommand(
            both(_("back to now (time travel)")), _("Leave the past: the live model again"), back_to_now
        )


def both(name: str, keys: str = "") -> str:
    """A palette entry's title: its name, and its English name beside it when the app is in another language,
    so a command is found by either (the palette matches what is typed against the title)."""
    english = language.msgid_of(name)
    title = name if english in name else f"{name} · {english}"  # (a translation may show the English already)
    return f"{title} ({keys})" if keys else title


# Textual's own palette entries the app keeps (Quit and Screenshot are the app's own), by their English title
# and help: said in the app's language. An entry a later Textual adds stays as Textual words it.
TEXTUAL_COMMANDS = {
    "Theme": N_("Theme"),
    "Change the current theme": N_("Change the current theme"),
    "Keys": N_("Keys"),
    "Show help for the focused widget and a summary of available keys": N_(
        "Show help for the focused widget and a summary of available keys"
    ),
    "Hide the keys and widget help panel": N_("Hide the keys and widget help panel"),
    "Maximize": N_("Maximize"),
    "Maximize the focused widget": N_("Maximize the focused widget"),
    "Minimize": N_("Minimize"),
    "Minimize the widget and restore to normal size": N_("Minimize the widget and restore to normal size"),
}


def textual_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's own entries, their title and help in the app's language (the English title beside it)."""
    for command in commands:
        title = TEXTUAL_COMMANDS.get(command.title)
        words = TEXTUAL_COMMANDS.get(command.help or "")
        yield SystemCommand(
            both(_(title)) if title else command.title,
            _(words) if words else command.help,
            command.callback,
            command.discover,
        )


def language_commands(switch: Callable[[str], None]) -> Iterator[SystemCommand]:
    """One palette entry per language the app is not in now."""
    for code in language.LANGUAGES:
        if code != language.current():
            name = language.NAMES[code]
            yield SystemCommand(
                both(_("language: {name}").format(name=name)),
                _("Show every screen in {name}, now and in later sessions").format(name=name),
                lambda c=code: switch(c),
            )


def help_rows(applies: Applies) -> list[tuple[str, str, str, bool]]:
    """(keys, name, what it does, applies now) for every binding, then the palette's own key."""
    rows = []
    for b in BINDINGS:
        keys = b.key_display or b.key.replace(",", " / ")
        rows.append((keys, long_name(b), _(b.tooltip), applies(b.action.split("(")[0]) is True))
    rows.append(("ctrl+p", _("command palette"), _("Run any of these by name, in English or in Chinese"), True))
    return rows
