"""Provides `ForkScreen`: asks before training from an earlier step rewinds the run."""

from textual.app import ComposeResult
from textual.binding import Binding

from .dialog import Dialog


class ForkScreen(Dialog[str | None]):
    """Dismisses with "fork" (rewind, keep the later steps as a branch), "now" (no training) or None (stay)."""

    ID_PREFIX = "fork"
    FRAME_TITLE = "train from the past?"
    BINDINGS = [
        Binding(
            "y,f", "choose('fork')", "Fork", tooltip="Rewind to the viewed step and train from there", id="fork.fork"
        ),
        Binding("n", "choose('now')", "Back to now", tooltip="Leave the past without training", id="fork.now"),
        Binding("escape", "cancel", "Stay", tooltip="Keep viewing this step", id="fork.stay"),
    ]

    def __init__(self, step, now, later, **kwargs):
        super().__init__(**kwargs)
        self.step, self.now, self.later = step, now, later

    def question(self) -> str:
        step, later = self.step, self.later
        if later == 1:
            steps = f"the later step ({self.now:,}) is kept as a branch, not lost,"
        else:
            steps = f"the {later:,} later steps ({step + 1:,}–{self.now:,}) are kept as a branch, not lost,"
        return (
            f"You are viewing step {step:,}; the run is at step {self.now:,}.\n"
            f"Fork from step {step:,}: {steps} and training continues from step {step:,}.\n\n"
            "[b]y[/b] fork and train · [b]n[/b] back to now, no training · [b]esc[/b] stay here"
        )

    def compose_answer(self) -> ComposeResult:
        yield self.button_row(
            self.choice_button(f"Fork from step {self.step:,}", "fork", id="fork", variant="primary"),
            self.choice_button("Back to now", "now", id="now"),
            self.choice_button("Stay (esc)", None, id="stay"),
        )
