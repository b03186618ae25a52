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
from microgpt_tui.features.lessons.wrap import wrapped
from microgpt_tui.language import N_, _
from microgpt_tui.texts import TOUR_KEYS


class TourPanel(Widget, can_focus=True):
    """The tour's current step: its title, a few sentences, and the key it asks for."""

    BINDINGS = [
        Binding(
            "enter",
            "next",
            N_("tour: next"),
            show=False,
            tooltip=N_("Go on to the next step of the tour"),
            id="tour.next",
        ),
        Binding(
            "backspace",
            "back",
            N_("tour: back"),
            show=False,
            tooltip=N_("Go back one step of the tour"),
            id="tour.back",
        ),
        Binding(
            "escape", "end", N_("tour: end"), show=False, tooltip=N_("End the tour (t starts it again)"), id="tour.end"
        ),
    ]

    card: reactive[TourCard | None] = reactive(None, layout=True)
    """The step shown."""

    class Next(Message):
        """The learner pressed enter."""

    class Back(Message):
        """The learner pressed backspace."""

    class End(Message):
        """The learner pressed escape."""

    class Redraw(Message):
        """The language changed: the tour is to make its card again, in the new one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_subtitle = _(TOUR_KEYS)

    def watch_card(self, card: TourCard | None) -> None:
        self.border_title = (
            _("tour {number}/{total} · {title}").format(number=card.number, total=card.total, title=card.title)
            if card
            else _("tour")
        )

    def retranslate(self) -> None:
        """The language changed (switching.py): the keys now, the step once the tour makes it again."""
        self.border_subtitle = _(TOUR_KEYS)
        self.watch_card(self.card)
        self.post_message(self.Redraw())

    def render(self) -> RenderResult:
        card = self.card
        if card is None:
            return Text("")
        text = Text.from_markup(card.body)
        text.append("\n")
        text.append_text(Text.from_markup("▸ " + card.prompt, style="bold"))
        return wrapped(text)

    def action_next(self) -> None:
        self.post_message(self.Next())

    def action_back(self) -> None:
        self.post_message(self.Back())

    def action_end(self) -> None:
        self.post_message(self.End())
