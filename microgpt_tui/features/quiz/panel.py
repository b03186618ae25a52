"""Provides `QuizPanel`: predict, then reveal, in place of the next-token panel.

While it has focus it takes every typed character as a guess, so letters never
reach the app's key bindings. It posts what the learner did; the app scores it
(engine.quiz.Quiz) and hands back a new `QuizCard`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.core.views import QuizCard
from microgpt_tui.features.quiz.card import render_card
from microgpt_tui.language import _


class QuizPanel(Widget, can_focus=True):
    """The context, the question, then the model's answer and the score."""

    card: reactive[QuizCard | None] = reactive(None)
    """What to show; the app replaces it as a whole."""

    @dataclass
    class Guess(Message):
        """The learner typed a character ('' for enter: the name ends)."""

        char: str

    @dataclass
    class Move(Message):
        """The learner asked for the next (1) or previous (-1) position."""

        delta: int

    class Leave(Message):
        """The learner left the quiz (esc, or p once the answer shows)."""

    def __init__(self, vocab_labels: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vocab_labels = vocab_labels
        self.border_title = _("predict, then reveal")

    def retranslate(self) -> None:
        """The language changed (switching.py)."""
        self.border_title = _("predict, then reveal")

    def on_key(self, event: events.Key) -> None:
        revealed = self.card is not None and self.card.probs is not None
        if event.key == "escape" or (revealed and event.character == "p"):
            self.post_message(self.Leave())
        elif event.key in ("left", "right"):
            self.post_message(self.Move(1 if event.key == "right" else -1))
        elif event.key == "enter":
            self.post_message(self.Guess(""))
        elif event.is_printable and event.character:
            self.post_message(self.Guess(event.character))
        else:
            return  # tab, ctrl+p, ctrl+s…: the app's keys
        event.stop()
        event.prevent_default()

    def render(self) -> RenderResult:
        if self.card is None:
            return Text("")
        return render_card(self.card, self.vocab_labels, self.content_size.height)
