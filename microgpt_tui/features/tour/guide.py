"""Provides `Tour` (which step of the guided tour is showing) and `TourGuide` (the tour in a session).

Plain state, no widgets: the steps are `texts.TOUR`. The app tells the tour
what happened (an action it performed, or "paused" when training stopped)
and the tour moves on if that is what its step was waiting for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.markup import escape

from microgpt_tui import texts
from microgpt_tui.core.views import TourCard
from microgpt_tui.language import _
from microgpt_tui.texts import TourStep


class Tour:
    def __init__(self, steps: Iterable[TourStep]):
        self.steps = list(steps)
        self.index = 0  # the step showing; len(steps) once finished

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def step(self) -> TourStep | None:
        """The step showing (None once finished)."""
        return None if self.finished else self.steps[self.index]

    def happened(self, event: str) -> bool:
        """`event` (an action's name, or "paused") took place: True if it moved the tour on."""
        step = self.step
        if step is None or event not in step.on:
            return False
        self.index += 1
        return True

    def next(self) -> None:
        if not self.finished:
            self.index += 1

    def back(self) -> bool:
        """One step back; False at the first step."""
        if self.index == 0:
            return False
        self.index -= 1
        return True


class TourGuide:
    """The tour in progress and the card it shows; the lab tells it what happened.

    `applies(action)` says whether an action can happen now, `why(action)` why
    not (a step waiting for one that cannot says so, and enter moves on; enter
    moves on from any step), `training()` whether training runs, `facts()`
    this session's figures for the texts, `remember(**flags)` notes in the
    user's state that the tour was taken or finished. Each method returns the
    note to show, or None.
    """

    def __init__(
        self,
        applies: Callable[[str], bool | None],
        training: Callable[[], bool],
        facts: Callable[[], dict[str, str]],
        remember: Callable[..., None],
        why: Callable[[str], str | None] = lambda action: None,
    ):
        self.applies, self.training, self.facts, self.remember = applies, training, facts, remember
        self.why = why
        self.tour: Tour | None = None
        self.card: TourCard | None = None

    def start(self) -> str | None:
        if self.tour is not None:
            return _(texts.TOUR_RUNNING)
        self.tour = Tour(texts.TOUR)
        self.remember(tour_taken=True)
        return self._settle()

    def happened(self, event: str) -> str | None:
        """An action happened (or "paused": training stopped): the tour moves on if it waited for it."""
        if self.tour is not None and self.tour.happened(event):
            return self._settle()
        return None

    def next(self) -> str | None:
        tour = self.tour
        if tour is None or tour.step is None:
            return None  # (a key pressed as the tour ended)
        tour.next()  # enter always moves on: the learner may read a step without doing it
        return self._settle()

    def refresh(self) -> str | None:
        """What applies has changed (training stopped by itself): show the step again with its prompt."""
        return self._settle() if self.tour is not None else None

    def back(self) -> str | None:
        if self.tour is not None and self.tour.back():
            return self._settle(forward=False)
        return None

    def end(self, finished: bool = False) -> str | None:
        tour, self.tour, self.card = self.tour, None, None
        if tour is None:
            return None
        if finished:
            self.remember(tour_finished=True)
            return _(texts.TOUR_FINISHED)
        return _(texts.TOUR_ENDED).format(at=tour.index + 1, total=len(tour.steps))

    def _already_done(self, step: TourStep) -> bool:
        """A step asking to pause training when it is not running (it finished by itself)."""
        return "paused" in step.on and not self.training()

    def _unavailable(self, step: TourStep) -> bool:
        """The step waits for an action that cannot happen now: enter may skip it."""
        actions = ["run" if event == "paused" else event for event in step.on]
        return all(self.applies(action) is not True for action in actions)

    def _settle(self, forward: bool = True) -> str | None:
        """Show the current step (or end the tour after the last); none is ever skipped.

        A step whose key cannot do its part now (training already stopped, or
        complete) says why, and enter moves on.
        """
        tour = self.tour
        assert tour is not None
        step = tour.step
        if step is None:
            return self.end(finished=True)
        if not step.on:
            prompt = _(texts.TOUR_NEXT)
        elif self._already_done(step):
            prompt = _(texts.TOUR_ALREADY).format(why=_(texts.TOUR_STOPPED))
        elif self._unavailable(step):
            why = next((self.why(a) for a in step.on if self.why(a)), None) or _(texts.TOUR_STOPPED)
            prompt = _(texts.TOUR_ALREADY).format(why=escape(why))
        else:
            prompt = _(texts.TOUR_PRESS).format(key=step.key)
        body = texts.fill(_(step.body), self.facts())
        self.card = TourCard(tour.index + 1, len(tour.steps), _(step.title), body, prompt, step.panel)
        return None
