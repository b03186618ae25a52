"""Provides `Touring`: the guided tour in a session, its state and its intents (start, next, back, end).

This part owns the tour (`guide`, a `TourGuide`: the step showing and its
card), whether this launch offers it (and where the user's answer is
remembered) and the mode the app was in after the last intent, which tells
it when training or sampling stopped. The panels read `tour` and `card`;
the intents here write them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_tui import texts, user_state
from microgpt_tui.core.views import Change, TourCard
from microgpt_tui.features.tour.guide import Tour, TourGuide

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Touring:
    """The tour in progress, and the intents that start, move and end it."""

    def __init__(
        self, session: Session, rules: Interlocks, offer: bool = False, state_path: Path | None = None
    ) -> None:
        self.session, self.rules = session, rules
        self._offer = offer  # a real launch: offer the tour the first time, and remember it
        self._state_path = state_path  # where that is remembered (None: user_state.default_path())
        self._guide = TourGuide(
            rules.applies, lambda: rules.training, rules.facts, self._remember, rules.why_not_reason
        )
        self._last_mode = "paused"  # the mode after the last intent

    @property
    def tour(self) -> Tour | None:
        """The tour in progress (None: none)."""
        return self._guide.tour

    @property
    def card(self) -> TourCard | None:
        """What the tour panel shows."""
        return self._guide.card

    def offer(self) -> str | None:
        """The note offering the tour on a first launch (None: not offered); offering it is remembered."""
        if not self._offer or user_state.load(self._state_path or user_state.default_path()).get("tour_offered"):
            return None
        self._remember(tour_offered=True)
        return texts.OFFER

    def _remember(self, **changes: bool) -> None:
        if self._offer:
            user_state.save(self._state_path or user_state.default_path(), **changes)

    def _guided(self, note: str | None) -> Change:
        return self.session.say(note) if note is not None else Change()

    def after_intent(self) -> Change:
        """After every intent: training or sampling stopping moves the tour on."""
        mode, before = self.rules.mode, self._last_mode
        self._last_mode = mode
        if mode == "paused" and before != "paused":
            if self.rules.ended_by_itself():  # (finished or failed: the pause step says so and waits for enter)
                return self._guided(self._guide.refresh())
            return self.tour_event("paused")
        return Change()

    def start_tour(self) -> Change:
        """Start the guided tour (if it is on, it says so and the app brings it back into focus)."""
        return self._guided(self._guide.start())

    def tour_event(self, event: str) -> Change:
        """An action happened (or "paused": training stopped): the tour moves on if it waited for it."""
        return self._guided(self._guide.happened(event))

    def tour_next(self) -> Change:
        return self._guided(self._guide.next())

    def tour_back(self) -> Change:
        return self._guided(self._guide.back())

    def redraw(self) -> Change:
        """The language changed: the step showing, made again in the new one."""
        self._guide.refresh()
        return Change()

    def end_tour(self) -> Change:
        return self._guided(self._guide.end())
