"""Provides `NewRunScreen`: asks before a new run takes the place of one with unsaved steps."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding

from microgpt_tui.literal import in_markup
from microgpt_tui.screens.dialog import Dialog


class NewRunScreen(Dialog[str | None]):
    """Dismisses with "save" (save, then start), "start", or None (stay)."""

    ID_PREFIX = "newrun"
    FRAME_TITLE = "start a new run?"
    BINDINGS = [
        Binding("s", "choose('save')", "Save, then start", tooltip="Save a checkpoint, then start", id="newrun.save"),
        Binding("y", "choose('start')", "Start", tooltip="Start the new run without saving", id="newrun.start"),
        Binding("escape,n", "cancel", "Stay", tooltip="Keep training this run", id="newrun.stay"),
    ]

    def __init__(self, unsaved_steps: int, run_name: str, save_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unsaved_steps, self.run_name, self.save_path = unsaved_steps, run_name, save_path

    def question(self) -> str:
        steps = f"{self.unsaved_steps:,} step{'s' if self.unsaved_steps != 1 else ''}"
        return (
            f"{in_markup(self.run_name)} has {steps} not saved to disk. It stays in the runs list (w) either way,\n"
            f"but only this session keeps it unless you save it (to {in_markup(self.save_path)}).\n\n"
            "[b]s[/b] save, then start · [b]y[/b] start without saving · [b]esc[/b] stay"
        )

    def compose_answer(self) -> ComposeResult:
        yield self.button_row(
            self.choice_button("Save, then start", "save", id="save", variant="primary"),
            self.choice_button("Start without saving", "start", id="start"),
            self.choice_button("Stay (esc)", None, id="stay"),
        )
