"""Provides `TourPanel`: the guided tour's current step, docked under the panels.

It is not a dialog: every key it does not bind (space, r, s, →, ...) goes on
to the app, because the tour asks the learner to press the real keys. It binds
only enter (next, on a step that just explains), backspace (back) and escape
(end the tour), and reports them to the app as messages.
"""

from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.core.views import TourCard
from microgpt_tui.texts import TOUR_KEYS


class TourPanel(Widget, can_focus=True):
    """The tour's current step: its title, a few sentences, and the key it asks for."""

    BINDINGS = [
        Binding(
            "enter", "next", "tour: next", show=False, tooltip="Go on to the next step of the tour", id="tour.next"
        ),
        Binding("backspace", "back", "tour: back", show=False, tooltip="Go back one step of the tour", id="tour.back"),
        Binding("escape", "end", "tour: end", show=False, tooltip="End the tour (t starts it again)", id="tour.end"),
    ]

    card: reactive[TourCard | None] = reactive(None, layout=True)
    """The step shown."""

    class Next(Message):
        """The learner pressed enter."""

    class Back(Message):
        """The learner pressed backspace."""

    class End(Message):
        """The learner pressed escape."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_subtitle = TOUR_KEYS

    def watch_card(self, card: TourCard | None) -> None:
        self.border_title = f"tour {card.number}/{card.total} · {card.title}" if card else "tour"

    def render(self) -> RenderResult:
        card = self.card
        if card is None:
            return Text("")
        text = Text.from_markup(card.body)
        text.append("\n")
        text.append_text(Text.from_markup("▸ " + card.prompt, style="bold"))
        return text

    def action_next(self) -> None:
        self.post_message(self.Next())

    def action_back(self) -> None:
        self.post_message(self.Back())

    def action_end(self) -> None:
        self.post_message(self.End())
