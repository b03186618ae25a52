"""Provides `GuideActions`: the guided tour (t), what each panel means (i), microgpt beside production LLMs (b).

Mixed into `MicroGPTApp`. The tour is not a dialog: it docks a `TourPanel`
under the panels, highlights one panel at a time (the `-tour-focus` class)
and moves on when the app performs the action the step asked for. It learns
that by wrapping `run_action`, the one door every key, footer click and
palette command goes through, and by watching `mode` (training can stop on
its own). After the tour the session is an ordinary one: the tour only ever
watched.

On a real launch (`offer_tour`), the first one offers the tour in the status
line, and `user_state` remembers that it was offered, taken or finished.
"""

from textual.actions import parse

from . import texts, user_state
from .facts import session_facts
from .screens.about import AboutScreen
from .screens.explain import ExplainScreen
from .tour import Tour
from .widgets.tour_panel import TourCard, TourPanel

PANEL_IDS = tuple(texts.PANELS)  # the main screen's panels, by id
TOUR_FOCUS = "-tour-focus"


class GuideActions:
    """`action_tour`, `action_explain`, `action_about` and the tour's bookkeeping."""

    tour: Tour | None = None
    """The tour in progress, or None."""
    offer_tour = False
    """A real launch: offer the tour the first time, and remember it (tests leave this off)."""
    state_path = None
    """Where that is remembered (None: user_state.default_path())."""

    def on_ready(self) -> None:
        # Textual calls the on_ready of every class in the MRO: this runs after MicroGPTApp's.
        self.watch(self, "mode", self._tour_mode_changed, init=False)
        if self.offer_tour and not user_state.load(self._state_file()).get("tour_offered"):
            self.note = texts.OFFER
            self._push_history_status()
            self._remember(tour_offered=True)

    def _state_file(self):
        return self.state_path or user_state.default_path()

    def _remember(self, **changes):
        if self.offer_tour:
            user_state.save(self._state_file(), **changes)

    # -- explanations ------------------------------------------------------------------

    def focused_panel(self):
        """The id of the panel the learner focused (the tour's panel while the tour has focus), or None."""
        focused = self.main.focused
        if isinstance(focused, TourPanel) and self.tour is not None:
            return self.tour.step.panel
        return focused.id if focused is not None and focused.id in PANEL_IDS else None

    def action_explain(self):
        """Explain the focused panel in plain words (or choose a panel)."""
        facts = session_facts(self)
        explanations = [(pid, e.name, texts.fill(e.body, facts)) for pid, e in texts.PANELS.items()]
        self.push_screen(ExplainScreen(explanations, self.focused_panel()))

    def action_about(self):
        """Compare microgpt, with this session's figures, to production LLMs."""
        facts = session_facts(self)
        rows = [tuple(texts.fill(cell, facts) for cell in row) for row in texts.ABOUT_ROWS]
        footer = texts.fill(texts.ABOUT_FOOTER, facts)
        self.push_screen(AboutScreen(texts.ABOUT_TITLE, texts.ABOUT_HEADER, rows, footer, texts.ABOUT_HINT))

    # -- the tour --------------------------------------------------------------------------

    async def action_tour(self):
        """Start the guided tour (or, if it is on, bring it back into focus)."""
        if self.tour is not None:
            self.main.query_one(TourPanel).focus()
            self.note = texts.TOUR_RUNNING
            self._push_history_status()
            return
        self.tour = Tour(texts.TOUR)
        await self.main.mount(TourPanel(id="tour"), after="#body")
        self._remember(tour_taken=True)
        self._tour_settle()

    async def run_action(self, action, default_namespace=None, namespaces=None):
        """Run the action as usual; then tell the tour, if the app performed it."""
        handled = await super().run_action(action, default_namespace, namespaces)
        if handled and self.tour is not None:
            namespace, name, _ = action if isinstance(action, tuple) else parse(action)
            if namespace == "app" or (not namespace and default_namespace in (None, self)):
                self._tour_event(name)
        return handled

    def _tour_mode_changed(self, mode):
        if self.tour is not None and mode == "paused":
            self._tour_event("paused")

    def _tour_event(self, event):
        if self.tour.happened(event):
            self._tour_settle()

    def _already_done(self, step):
        """A step asking to pause training when it is not running (it finished by itself)."""
        return "paused" in step.on and self.mode != "training"

    def _unavailable(self, step):
        """The step waits for an action that cannot happen now: enter may skip it."""
        actions = ["run" if event == "paused" else event for event in step.on]
        return all(self.applies(action) is not True for action in actions)

    def _tour_settle(self, forward=True):
        """Skip steps already done, then show the current one (or end the tour after the last)."""
        tour = self.tour
        while not tour.finished and self._already_done(tour.step):
            if forward:
                tour.next()
            elif not tour.back():
                break
        if tour.finished:
            self._tour_end(finished=True)
            return
        step = tour.step
        if not step.on:
            prompt = texts.TOUR_NEXT
        elif self._unavailable(step):
            prompt = texts.TOUR_UNAVAILABLE.format(key=step.key)
        else:
            prompt = texts.TOUR_PRESS.format(key=step.key)
        body = texts.fill(step.body, session_facts(self))
        panel = self.main.query_one(TourPanel)
        panel.card = TourCard(tour.index + 1, len(tour.steps), step.title, body, prompt)
        for pid in PANEL_IDS:
            self.main.query_one(f"#{pid}").set_class(pid == step.panel, TOUR_FOCUS)
        panel.focus()

    def on_tour_panel_next(self, message: TourPanel.Next) -> None:
        if self.tour is None:
            return  # (a key pressed as the tour ended)
        step = self.tour.step
        if step.on and not self._unavailable(step):
            self.note = texts.TOUR_WAITING.format(key=step.key)
            self._push_history_status()
            return
        self.tour.next()
        self._tour_settle()

    def on_tour_panel_back(self, message: TourPanel.Back) -> None:
        if self.tour is not None and self.tour.back():
            self._tour_settle(forward=False)

    def on_tour_panel_end(self, message: TourPanel.End) -> None:
        if self.tour is not None:
            self._tour_end(finished=False)

    def _tour_end(self, finished):
        tour, self.tour = self.tour, None
        for pid in PANEL_IDS:
            self.main.query_one(f"#{pid}").remove_class(TOUR_FOCUS)
        self.main.query(TourPanel).remove()
        if finished:
            self.note = texts.TOUR_FINISHED
            self._remember(tour_finished=True)
        else:
            self.note = texts.TOUR_ENDED.format(at=tour.index + 1, total=len(tour.steps))
        self._push_history_status()
