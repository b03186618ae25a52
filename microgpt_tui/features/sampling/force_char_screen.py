"""Provides `ForceCharScreen`: asks which character the sample takes next."""

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from microgpt_tui.language import N_, _
from microgpt_tui.literal import in_markup
from microgpt_tui.screens.dialog import Dialog


class ForceCharScreen(Dialog[int | None]):
    """Dismisses with a token id of the vocabulary, or None."""

    ID_PREFIX = "force"
    FRAME_TITLE = N_("choose the next character")
    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Let the model choose", id="force.cancel")]

    def __init__(self, chars: Iterable[str], bos_label: str, bos: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chars, self.bos_label, self.bos = list(chars), bos_label, bos

    def question(self) -> str:
        knows = _("The model knows {count} characters: {chars}").format(
            count=len(self.chars), chars=in_markup("".join(self.chars))
        )
        type_one = _("Type one and press enter, or end the name ({bos}). esc: let the model choose.").format(
            bos=in_markup(self.bos_label)
        )
        return f"{knows}\n{type_one}"

    def compose_answer(self) -> ComposeResult:
        yield Input(max_length=1, placeholder=_("a character"), id="force-input")
        yield self.error_line()
        yield self.button_row(
            self.choice_button(_("End the name {bos}").format(bos=self.bos_label), self.bos, id="force-end"),
            self.choice_button(N_("Cancel (esc)"), None, id="force-cancel"),
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        char = event.value
        if char in self.chars:
            self.dismiss(self.chars.index(char))
        elif not char:
            self.show_error(_("type one character first"))
        else:
            self.show_error(
                _("“{char}” is not in the vocabulary: the model has never seen it. Try one of {chars}").format(
                    char=char, chars="".join(self.chars)
                )
            )
            event.input.value = ""
