"""Provides `Dialog`: the frame the app's questions share (fork, go to step, force a character, quit)."""

from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from microgpt_tui.language import _
from microgpt_tui.literal import literal

Choice = TypeVar("Choice")


class Dialog(ModalScreen[Choice]):
    """A question in a bordered frame on a plain backdrop, dismissed with the user's choice.

    A subclass sets `ID_PREFIX` and `FRAME_TITLE`, writes `question()` and
    `compose_answer()`, and binds its keys to `choose(value)` and `cancel`
    (escape, dismissing with None). Its widgets are named from the prefix:
    `#fork-dialog` (the frame), `#fork-question`, `#fork-buttons`, `#fork-error`.
    """

    ID_PREFIX: ClassVar[str] = "dialog"
    """Names the frame and its parts: "fork" gives #fork-dialog, #fork-question, …"""

    FRAME_TITLE: ClassVar[str] = ""
    """The frame's border title: the question in a few words."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices: dict[str, Choice | None] = {}
        """Button id → what pressing it dismisses with (a button not here cancels)."""
        self.labels: dict[str, str] = {}  # button id → its label as written (English, to translate again)

    def compose(self) -> ComposeResult:
        # A scroll frame: on a small terminal (80x24) the question scrolls and Tab keeps the focused button in view.
        with VerticalScroll(id=f"{self.ID_PREFIX}-dialog", classes="dialog-frame", can_focus=False) as frame:
            frame.border_title = _(self.FRAME_TITLE)
            yield Static(self.question(), id=f"{self.ID_PREFIX}-question", classes="dialog-question")
            yield from self.compose_answer()

    def question(self) -> str:
        """The question, in console markup."""
        raise NotImplementedError

    def compose_answer(self) -> ComposeResult:
        """What goes under the question: buttons, or an input with its error line."""
        yield from ()

    def choice_button(self, label: str, choice: Choice | None, id: str, **kwargs: Any) -> Button:
        """A button that dismisses the dialog with `choice` (`label`: marked English, or a sentence already
        translated)."""
        self.choices[id] = choice
        self.labels[id] = label
        return Button(_(label), id=id, **kwargs)

    def retranslate(self) -> None:
        """The language changed (switching.py), or a kept dialog opens again after a switch: its frame and its
        buttons of a marked label in the current language (a question is written anew where it is asked)."""
        self.query_one(f"#{self.ID_PREFIX}-dialog").border_title = _(self.FRAME_TITLE)
        for button in self.query(Button):
            if button.id in self.labels:
                button.label = _(self.labels[button.id])

    def button_row(self, *buttons: Button) -> Horizontal:
        return Horizontal(*buttons, id=f"{self.ID_PREFIX}-buttons", classes="dialog-buttons")

    def error_line(self) -> Static:
        """Empty until `show_error` says why the typed answer was refused."""
        return Static("", id=f"{self.ID_PREFIX}-error", classes="dialog-error")

    def show_error(self, text: str) -> None:
        self.query_one(f"#{self.ID_PREFIX}-error", Static).update(literal(text))  # (it may quote what was typed)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.choices.get(event.button.id) if event.button.id is not None else None)

    def action_choose(self, choice: Choice | None) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
