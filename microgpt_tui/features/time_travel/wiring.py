"""Provides time travel's wiring: , . and the go-to and compare keys, and the dialogs that fork, go to a step and
compare."""

from __future__ import annotations

from microgpt_tui.core.views import AskFork, AskStep, CompareView
from microgpt_tui.features.time_travel.compare_screen import CompareScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen
from microgpt_tui.features.time_travel.state import TimeTravel
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _fork(app: Shell, travel: TimeTravel, ask: AskFork) -> None:
    settings = {"lr": f"{ask.lr:g}", "remaining": str(ask.remaining), "temperature": f"{ask.temperature:g}"}
    screen = ForkScreen(ask.step, ask.now, ask.later, settings, travel.check_fork)
    app.push_screen(screen, lambda choice: app.apply(travel.fork_answer(choice, ask.then)))


def _go_to(app: Shell, travel: TimeTravel, ask: AskStep) -> None:
    screen = GoToStepScreen(ask.first, ask.now, ask.viewed)
    app.push_screen(screen, lambda step: app.apply(travel.go_to(step)))


def _compare(app: Shell, travel: TimeTravel, ask: CompareView) -> None:
    screen = CompareScreen(
        ask.doc, list(ask.columns), list(ask.vocab_labels), ask.layer, ask.head, ask.n_head, ask.position, ask.tag
    )

    def closed(position: int | None) -> None:
        app.apply(travel.select_position(position))

    app.push_screen(screen, closed)


WIRING = Wiring(
    "travel",
    actions={
        "view_step": lambda travel, delta: travel.view_step(delta),
        "goto_step": lambda travel: travel.ask_step(),
        "compare": lambda travel: travel.compare(),
    },
    openers={AskFork: _fork, AskStep: _go_to, CompareView: _compare},
)
