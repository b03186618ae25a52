"""Provides the command palette's entries and the help screen's rows, both read from the bindings.

Every key is also a command: the palette lists each binding that applies now
under its long name (with its key), plus the time-travel commands that have
no key of their own; the help screen lists every binding, greyed where it
does not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.app import SystemCommand

from microgpt_tui.bindings import BINDINGS, COMMANDS, long_name

Applies = Callable[[str], bool | None]  # the app's `applies`: True, None (greyed out) or False (hidden)


def palette_commands(
    applies: Applies, run_action: Callable[[str], Any], back_to_now: Callable[[], None] | None
) -> Iterator[SystemCommand]:
    """The palette's entries that apply now; `back_to_now`: leave the past (None: the panels show now)."""
    for binding in COMMANDS:
        if applies(binding.action.partition("(")[0]) is True:  # (the palette itself is a modal screen)
            keys = binding.key_display or binding.key
            yield SystemCommand(
                f"{long_name(binding)} ({keys})", binding.tooltip, lambda a=binding.action: run_action(a)
            )
    if applies("goto_step"):
        yield SystemCommand(
            "go to step… (time travel)",
            "Type a step number: every panel shows the model as it was then",
            lambda: run_action("goto_step"),
        )
    yield SystemCommand(
        "export the loss curve as an animation (SVG)",
        "The live run's loss over its steps, drawn step by step, as an animated SVG next to the checkpoint",
        lambda: run_action("export_training"),
    )
    if back_to_now is not None:
        yield SystemCommand("back to now (time travel)", "Leave the past: the live model again", back_to_now)


def help_rows(applies: Applies) -> list[tuple[str, str, str, bool]]:
    """(keys, name, what it does, applies now) for every binding, then the palette's own key."""
    rows = []
    for b in BINDINGS:
        keys = b.key_display or b.key.replace(",", " / ")
        rows.append((keys, long_name(b), b.tooltip, applies(b.action.split("(")[0]) is True))
    rows.append(("ctrl+p", "command palette", "Run any of these by name", True))
    return rows
