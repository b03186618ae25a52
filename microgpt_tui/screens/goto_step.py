"""Provides `GoToStepScreen`: asks which step of the run to look at."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class GoToStepScreen(ModalScreen[int | None]):
    """Dismisses with a step number in first..now, or None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", tooltip="Stay where you are", id="goto.cancel")]

    def __init__(self, first, now, viewed=None, **kwargs):
        super().__init__(**kwargs)
        self.first, self.now, self.viewed = first, now, viewed

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-dialog") as dialog:
            dialog.border_title = "go to step"
            yield Static(
                f"Which step? {self.first:,} is the start, {self.now:,} is now.\n"
                "enter to go · esc to cancel",
                id="goto-question",
            )
            yield Input(
                value="" if self.viewed is None else str(self.viewed),
                placeholder=f"{self.first}–{self.now}",
                type="integer",
                id="goto-input",
            )
            yield Static("", id="goto-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        step = int(text) if text.lstrip("-").isdigit() else None
        if step is None or not self.first <= step <= self.now:
            self.query_one("#goto-error", Static).update(
                f"“{text}” is not a step of this run: type a number from {self.first:,} to {self.now:,}"
            )
            return
        self.dismiss(step)

    def action_dismiss_none(self):
        self.dismiss(None)
