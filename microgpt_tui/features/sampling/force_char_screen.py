"""Provides `ForceCharScreen`: asks which character the sample takes next."""

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from microgpt_tui.literal import in_markup
from microgpt_tui.screens.dialog import Dialog


class ForceCharScreen(Dialog[int | None]):
    """Dismisses with a token id of the vocabulary, or None."""

    ID_PREFIX = "force"
    FRAME_TITLE = "choose the next character"
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Let the model choose", id="force.cancel")]

    def __init__(self, chars: Iterable[str], bos_label: str, bos: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chars, self.bos_label, self.bos = list(chars), bos_label, bos

    def question(self) -> str:
        return (
            f"The model knows {len(self.chars)} characters: {in_markup(''.join(self.chars))}\n"
            f"Type one and press enter, or end the name ({in_markup(self.bos_label)}). esc: let the model choose."
        )

    def compose_answer(self) -> ComposeResult:
        yield Input(max_length=1, placeholder="a character", id="force-input")
        yield self.error_line()
        yield self.button_row(
            self.choice_button(f"End the name {self.bos_label}", self.bos, id="force-end"),
            self.choice_button("Cancel (esc)", None, id="force-cancel"),
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        char = event.value
        if char in self.chars:
            self.dismiss(self.chars.index(char))
        elif not char:
            self.show_error("type one character first")
        else:
            self.show_error(
                f"“{char}” is not in the vocabulary: the model has never seen it. Try one of {''.join(self.chars)}"
            )
            event.input.value = ""
