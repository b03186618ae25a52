"""Provides `GoToStepScreen`: asks which step of the run to look at."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from microgpt_tui.core.labels import visible_text
from microgpt_tui.core.typed import whole_number
from microgpt_tui.language import N_, _
from microgpt_tui.screens.dialog import Dialog


class GoToStepScreen(Dialog[int | None]):
    """Dismisses with a step number in first..now, or None."""

    ID_PREFIX = "goto"
    FRAME_TITLE = N_("go to step")
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Stay where you are", id="goto.cancel")]

    def __init__(self, first: int, now: int, viewed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.first, self.now, self.viewed = first, now, viewed

    def question(self) -> str:
        which = _("Which step? {first} is the start, {now} is now.").format(
            first=f"{self.first:,}", now=f"{self.now:,}"
        )
        return which + "\n" + _("enter to go · esc to cancel")

    def compose_answer(self) -> ComposeResult:
        yield Input(
            value="" if self.viewed is None else str(self.viewed),
            placeholder=f"{self.first}–{self.now}",
            type="integer",
            id="goto-input",
        )
        yield self.error_line()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        step = whole_number(text, self.first, self.now)
        if step is None:
            shown = visible_text(text if len(text) <= 24 else text[:20] + "…")  # a paste of any length, any bytes
            self.show_error(
                _("“{shown}” is not a step of this run: type a number from {first} to {now}").format(
                    shown=shown, first=f"{self.first:,}", now=f"{self.now:,}"
                )
            )
            return
        self.dismiss(step)
