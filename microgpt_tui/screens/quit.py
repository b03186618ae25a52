"""Provides `QuitScreen`: asks before quitting with training steps not yet saved."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class QuitScreen(ModalScreen[str | None]):
    """Dismisses with "save" (save, then quit), "quit", or None (stay)."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save and quit", tooltip="Save a checkpoint, then quit", id="quit.save"),
        Binding("y,q", "choose('quit')", "Quit", tooltip="Quit without saving", id="quit.quit"),
        Binding("escape,n", "choose(None)", "Stay", tooltip="Go back to the app", id="quit.stay"),
    ]

    def __init__(self, unsaved_steps, save_path, **kwargs):
        super().__init__(**kwargs)
        self.unsaved_steps = unsaved_steps
        self.save_path = save_path

    def compose(self) -> ComposeResult:
        steps = f"{self.unsaved_steps:,} training step{'s' if self.unsaved_steps != 1 else ''}"
        with Vertical(id="quit-dialog") as dialog:
            dialog.border_title = "quit?"
            yield Static(
                f"{steps} since the last save.\nSave to {self.save_path} before quitting?\n\n"
                "[b]s[/b] save and quit · [b]q[/b] quit without saving · [b]esc[/b] stay",
                id="quit-question",
            )
            with Horizontal(id="quit-buttons"):
                yield Button("Save and quit", id="save", variant="primary")
                yield Button("Quit without saving", id="quit", variant="error")
                yield Button("Stay (esc)", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"save": "save", "quit": "quit"}.get(event.button.id))

    def action_choose(self, choice):
        self.dismiss(choice)
