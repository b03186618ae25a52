"""Provides `Shell`: what the features' wiring (wiring.py, features/*/wiring.py) uses of the App.

The wiring's functions become the App's methods or are called with it;
typing their `app` with this protocol instead of the App class keeps the
imports one way (the App imports them, never the other way round).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen

from microgpt_tui.core.lab import Lab
from microgpt_tui.core.views import Change
from microgpt_tui.features.saving.quit_screen import InstallsScreens
from microgpt_tui.screens.main import MainScreen


class Shell(InstallsScreens, Protocol):
    """The App as these helpers see it (the quit dialog is installed on it: `InstallsScreens`)."""

    lab: Lab
    main: MainScreen

    @property
    def screen(self) -> Screen[Any]: ...

    @property
    def push_screen(self) -> Callable[..., Any]: ...

    def apply(self, change: Change) -> None: ...

    def copy_to_clipboard(self, text: str) -> None: ...

    def help_rows(self) -> list[tuple[str, str, str, bool]]: ...
