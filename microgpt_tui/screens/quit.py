"""Provides `QuitScreen`: asks before quitting with training steps not yet saved."""

from textual.app import ComposeResult
from textual.binding import Binding

from .dialog import Dialog


class QuitScreen(Dialog[str | None]):
    """Dismisses with "save" (save, then quit), "quit", or None (stay)."""

    ID_PREFIX = "quit"
    FRAME_TITLE = "quit?"
    BINDINGS = [
        Binding("s", "choose('save')", "Save and quit", tooltip="Save a checkpoint, then quit", id="quit.save"),
        Binding("y,q", "choose('quit')", "Quit", tooltip="Quit without saving", id="quit.quit"),
        Binding("escape,n", "cancel", "Stay", tooltip="Go back to the app", id="quit.stay"),
    ]

    def __init__(self, unsaved_steps, save_path, **kwargs):
        super().__init__(**kwargs)
        self.unsaved_steps = unsaved_steps
        self.save_path = save_path

    def question(self) -> str:
        steps = f"{self.unsaved_steps:,} training step{'s' if self.unsaved_steps != 1 else ''}"
        return (
            f"{steps} since the last save.\nSave to {self.save_path} before quitting?\n\n"
            "[b]s[/b] save and quit · [b]q[/b] quit without saving · [b]esc[/b] stay"
        )

    def compose_answer(self) -> ComposeResult:
        yield self.button_row(
            self.choice_button("Save and quit", "save", id="save", variant="primary"),
            self.choice_button("Quit without saving", "quit", id="quit", variant="error"),
            self.choice_button("Stay (esc)", None, id="stay"),
        )
