"""Provides saving's wiring: ctrl+s and q, and the dialogs that ask before quitting or replacing a file."""

from __future__ import annotations

from pathlib import Path

from microgpt_tui.core.views import AskOverwrite, AskQuit
from microgpt_tui.features.saving.overwrite_screen import OverwriteScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.features.saving.state import Saving
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _quit(app: Shell, saving: Saving, ask: AskQuit) -> None:
    async def chosen(choice: str | None) -> None:
        app.apply(await saving.quit_answer(choice))

    app.push_screen(QuitScreen.asking(app, ask.unsaved, Path(ask.save_path)), chosen)


def _overwrite(app: Shell, saving: Saving, ask: AskOverwrite) -> None:
    async def answered(overwrite: bool | None) -> None:
        app.apply(await saving.overwrite_answer(overwrite, ask))

    app.push_screen(OverwriteScreen(ask.save_path), answered)


def _follow(saving: Saving, screen: QuitScreen) -> None:
    screen.follow(saving.unsaved())  # (the steps training still handed over after q)


WIRING = Wiring(
    "saving",
    actions={"save": lambda saving: saving.save(), "request_quit": lambda saving: saving.request_quit()},
    openers={AskQuit: _quit, AskOverwrite: _overwrite},
    followers={QuitScreen: _follow},
)
