"""Provides `LessonDock`: keeps the lesson panel on the screen on top while the lessons are on.

The chapter teaches with the real views, so its panel goes where the learner looks: under the main
screen's panels (the tour's place) or over a view's footer (the forward pass, a matrix, the graph, the
embedding map, the code). The app syncs it after every intent and when a view closes; it also runs the
action a chapter's `Open` step (or the menu's chapter 0, the tour) asked for, as if its key were pressed.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen

from microgpt_tui.core.lab import Lab
from microgpt_tui.features.embeddings.screen import EmbeddingScreen
from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.graph.screen import GraphScreen
from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.features.matrix.screen import MatrixScreen
from microgpt_tui.features.reference.code_screen import CodeScreen
from microgpt_tui.screens.main import MainScreen
from microgpt_tui.widgets.footer import KeysFooter

HOSTS = (MainScreen, ForwardScreen, MatrixScreen, GraphScreen, EmbeddingScreen, CodeScreen)


class LessonDock:
    def __init__(self, app: App[Any], lab: Lab) -> None:
        self.app, self.lab = app, lab
        self._retry = False  # a sync waits for a screen that is still composing
        self._shown = False  # a lesson panel may be mounted somewhere (else a sync with nothing on costs nothing)

    def settle(self) -> None:
        """Before the panels sync: one guide at a time, so a chapter on ends the tour (its panel goes)."""
        if self.lab.lessons.on and self.lab.touring.tour is not None:
            self.lab.touring.end_tour()

    def sync(self) -> None:
        app = self.app
        lessons = self.lab.lessons
        home, opening = lessons.take_home(), lessons.take_opening()
        if home or opening is not None:
            app.call_later(self._open, home, opening)
        if not lessons.on and not self._shown:
            return
        card = lessons.card()
        self._shown = card is not None
        for screen in app.screen_stack:
            panels = screen.query(LessonPanel)
            if card is None:
                panels.remove()
            else:
                for panel in panels:
                    panel.card = card
        top = app.screen
        if card is not None and isinstance(top, HOSTS):
            self._host(top, card)

    def _host(self, screen: Screen[Any], card: Any) -> None:
        panels = screen.query(LessonPanel)
        if panels:
            if not panels.first().has_focus and not isinstance(screen.focused, LessonPanel):
                panels.first().focus()
            return
        on_main = isinstance(screen, MainScreen)
        panel = LessonPanel(card, on_main=on_main, id="lesson")
        if on_main:
            screen.mount(panel, after="#body")
        else:
            footers = screen.query(KeysFooter)
            if not footers and not screen.is_mounted:
                if not self._retry:  # (pushed a moment ago: mount once it is composed)
                    self._retry = True
                    self.app.call_after_refresh(self._again)
                return
            screen.mount(panel, before=footers.first()) if footers else screen.mount(panel)
        self.app.call_after_refresh(panel.focus)

    async def _open(self, home: bool, action: str | None) -> None:
        """Run what the lesson asked: `home` closes the views over the main screen; `action` is an app action."""
        app = self.app
        if home:
            while len(app.screen_stack) > 1 and isinstance(app.screen, HOSTS):
                await app.pop_screen()
        if action is not None:
            await app.run_action(f"app.{action}")

    def _again(self) -> None:
        self._retry = False
        self.sync()
