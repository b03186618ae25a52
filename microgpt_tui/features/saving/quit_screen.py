"""Provides `QuitScreen`: asks before quitting with training steps not yet saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from microgpt_tui.language import N_, _, ngettext
from microgpt_tui.literal import in_markup
from microgpt_tui.screens.dialog import Dialog

INSTALLED = "quit-dialog"  # the name the app's one quit dialog is installed under


class InstallsScreens(Protocol):
    """What `QuitScreen.asking` uses of the app: its installed screens and its stack of screens."""

    def is_screen_installed(self, screen: Screen[Any] | str) -> bool: ...

    def install_screen(self, screen: Screen[Any], name: str) -> None: ...

    def get_screen(self, screen: str) -> Screen[Any]: ...

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...


class QuitScreen(Dialog[str | None]):
    """Dismisses with "save" (save, then quit), "quit", or None (stay)."""

    ID_PREFIX = "quit"
    FRAME_TITLE = N_("quit?")
    BINDINGS = [
        Binding("s", "choose('save')", "Save and quit", tooltip="Save a checkpoint, then quit", id="quit.save"),
        Binding("y,q", "choose('quit')", "Quit", tooltip="Quit without saving", id="quit.quit"),
        Binding("escape,n", "cancel", "Stay", tooltip="Go back to the app", id="quit.stay"),
    ]

    def __init__(self, unsaved_steps: int, save_path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unsaved_steps = unsaved_steps
        self.save_path = save_path

    @classmethod
    def asking(cls, app: InstallsScreens, unsaved_steps: int, save_path: Path) -> QuitScreen:
        """The app's quit dialog, asking about `unsaved_steps`: the same screen every time (installed on the
        app), so that opening it again composes, styles and lays out nothing (a new one did all that, and
        Textual lays a new screen out twice): a q then costs one frame."""
        if not app.is_screen_installed(INSTALLED):
            app.install_screen(cls(unsaved_steps, save_path), INSTALLED)
        screen = app.get_screen(INSTALLED)
        if not isinstance(screen, cls) or screen in app.screen_stack:  # (the app has one stack: it uses no modes)
            return cls(unsaved_steps, save_path)  # (already open, deeper in the stack: a second one)
        screen.save_path = save_path
        screen.unsaved_steps = unsaved_steps
        if screen.is_mounted:
            screen.query_one("#quit-question", Static).update(screen.question())
            screen.retranslate()  # (the language may have changed since it was made)
            screen.set_focus(None)  # (on resume the first button takes the focus again, as in a new dialog)
        return screen

    def follow(self, unsaved: int) -> None:
        """The steps asked about follow the ones training still handed over after q (it pauses meanwhile)."""
        if unsaved != self.unsaved_steps and self.is_mounted:
            self.unsaved_steps = unsaved
            self.query_one("#quit-question", Static).update(self.question())

    def question(self) -> str:
        since = ngettext(
            "{count} training step since the last save.",
            "{count} training steps since the last save.",
            self.unsaved_steps,
        ).format(count=f"{self.unsaved_steps:,}")
        return (
            since
            + "\n"
            + _("Save to {path} before quitting?").format(path=in_markup(self.save_path))
            + "\n\n"
            + _("[b]s[/b] save and quit · [b]q[/b] quit without saving · [b]esc[/b] stay")
        )

    def compose_answer(self) -> ComposeResult:
        yield self.button_row(
            self.choice_button(N_("Save and quit"), "save", id="save", variant="primary"),
            self.choice_button(N_("Quit without saving"), "quit", id="quit", variant="error"),
            self.choice_button(N_("Stay (esc)"), None, id="stay"),
        )
