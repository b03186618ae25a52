"""Provides `ForkScreen`: asks before training from an earlier step rewinds the run."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ForkScreen(ModalScreen[str | None]):
    """Dismisses with "fork" (rewind, keep the later steps as a branch), "now" (no training) or None (stay)."""

    BINDINGS = [
        Binding("y,f", "choose('fork')", "Fork", tooltip="Rewind to the viewed step and train from there", id="fork.fork"),
        Binding("n", "choose('now')", "Back to now", tooltip="Leave the past without training", id="fork.now"),
        Binding("escape", "choose(None)", "Stay", tooltip="Keep viewing this step", id="fork.stay"),
    ]

    def __init__(self, step, now, later, **kwargs):
        super().__init__(**kwargs)
        self.step, self.now, self.later = step, now, later

    def compose(self) -> ComposeResult:
        step, later = self.step, self.later
        if later == 1:
            steps = f"the later step ({self.now:,}) is kept as a branch, not lost,"
        else:
            steps = f"the {later:,} later steps ({step + 1:,}–{self.now:,}) are kept as a branch, not lost,"
        with Vertical(id="fork-dialog") as dialog:
            dialog.border_title = "train from the past?"
            yield Static(
                f"You are viewing step {step:,}; the run is at step {self.now:,}.\n"
                f"Fork from step {step:,}: {steps} and training continues from step {step:,}.\n\n"
                "[b]y[/b] fork and train · [b]n[/b] back to now, no training · [b]esc[/b] stay here",
                id="fork-question",
            )
            with Horizontal(id="fork-buttons"):
                yield Button(f"Fork from step {step:,}", id="fork", variant="primary")
                yield Button("Back to now", id="now")
                yield Button("Stay (esc)", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"fork": "fork", "now": "now"}.get(event.button.id))

    def action_choose(self, choice):
        self.dismiss(choice)
