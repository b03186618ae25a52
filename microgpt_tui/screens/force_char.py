"""Provides `ForceCharScreen`: asks which character the sample takes next."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class ForceCharScreen(ModalScreen[int | None]):
    """Dismisses with a token id of the vocabulary, or None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", tooltip="Let the model choose", id="force.cancel")]

    def __init__(self, chars, bos_label, bos, **kwargs):
        super().__init__(**kwargs)
        self.chars, self.bos_label, self.bos = list(chars), bos_label, bos

    def compose(self) -> ComposeResult:
        with Vertical(id="force-dialog") as dialog:
            dialog.border_title = "choose the next character"
            yield Static(
                f"The model knows {len(self.chars)} characters: {''.join(self.chars)}\n"
                f"Type one and press enter, or end the name ({self.bos_label}). esc: let the model choose.",
                id="force-question",
            )
            yield Input(max_length=1, placeholder="a character", id="force-input")
            yield Static("", id="force-error")
            with Horizontal(id="force-buttons"):
                yield Button(f"End the name {self.bos_label}", id="force-end")
                yield Button("Cancel (esc)", id="force-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        char = event.value
        if char in self.chars:
            self.dismiss(self.chars.index(char))
        elif not char:
            self.query_one("#force-error", Static).update("type one character first")
        else:
            self.query_one("#force-error", Static).update(
                f"“{char}” is not in the vocabulary: the model has never seen it. Try one of {''.join(self.chars)}"
            )
            event.input.value = ""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.bos if event.button.id == "force-end" else None)

    def action_dismiss_none(self):
        self.dismiss(None)
