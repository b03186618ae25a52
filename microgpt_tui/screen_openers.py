"""Provides `open_asked`: the screen each question or view of a lab intent opens, and where its answer goes.

An intent returns a `Change` whose `ask` says what to open (lab/views.py).
`OPENERS` maps each kind of ask to a function that pushes its screen on the
app and hands the learner's answer back to the lab's part that asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from microgpt_tui.core.views import (
    AskChar,
    AskFork,
    AskNewRun,
    AskOverwrite,
    AskProbe,
    AskQuit,
    AskSettings,
    AskStep,
    Change,
    CompareView,
    ForwardOpen,
    GraphOpen,
    MatrixOpen,
    RunsView,
)
from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.graph.screen import GraphScreen
from microgpt_tui.features.matrix.screen import MatrixScreen
from microgpt_tui.features.probe.screen import ProbeScreen
from microgpt_tui.features.runs.new_run_screen import NewRunScreen
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.features.runs.settings_form import NewRun
from microgpt_tui.features.runs.settings_screen import SettingsScreen
from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen
from microgpt_tui.features.saving.overwrite_screen import OverwriteScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.features.time_travel.compare_screen import CompareScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen
from microgpt_tui.shell import Shell


def _fork(app: Shell, ask: AskFork) -> None:
    lab = app.lab
    settings = {"lr": f"{ask.lr:g}", "remaining": str(ask.remaining), "temperature": f"{ask.temperature:g}"}
    screen = ForkScreen(ask.step, ask.now, ask.later, settings, lab.travel.check_fork)
    app.push_screen(screen, lambda c: app.apply(lab.travel.fork_answer(c, ask.then)))


def _quit(app: Shell, ask: AskQuit) -> None:
    async def chosen(choice: str | None) -> None:
        app.apply(await app.lab.saving.quit_answer(choice))

    app.push_screen(QuitScreen.asking(app, ask.unsaved, Path(ask.save_path)), chosen)


def _overwrite(app: Shell, ask: AskOverwrite) -> None:
    async def answered(overwrite: bool | None) -> None:
        app.apply(await app.lab.saving.overwrite_answer(overwrite, ask))

    app.push_screen(OverwriteScreen(ask.save_path), answered)


def _step(app: Shell, ask: AskStep) -> None:
    lab = app.lab
    app.push_screen(GoToStepScreen(ask.first, ask.now, ask.viewed), lambda step: app.apply(lab.travel.go_to(step)))


def _char(app: Shell, ask: AskChar) -> None:
    lab = app.lab
    app.push_screen(ForceCharScreen(list(ask.chars), ask.bos_label, ask.bos), lambda t: app.apply(lab.drawing.force(t)))


def _compare(app: Shell, ask: CompareView) -> None:
    screen = CompareScreen(
        ask.doc,
        list(ask.columns),
        list(ask.vocab_labels),
        ask.layer,
        ask.head,
        ask.n_head,
        ask.position,
        ask.tag,
    )

    def closed(position: int | None) -> None:
        if position is not None:
            app.lab.set_position(position)
        app.apply(Change())

    app.push_screen(screen, closed)


def _settings(app: Shell, ask: AskSettings) -> None:
    lab = app.lab

    async def applied(choice: NewRun | None) -> None:
        app.apply(await lab.experiments.apply_settings(choice))

    app.push_screen(SettingsScreen(ask.form, lab.experiments.check_settings), applied)  # type: ignore[arg-type]


def _new_run(app: Shell, ask: AskNewRun) -> None:
    async def answered(answer: str | None) -> None:
        app.apply(await app.lab.experiments.new_run_answer(answer, ask.choice))  # type: ignore[arg-type]

    app.push_screen(NewRunScreen(ask.unsaved, ask.run_name, ask.save_path), answered)


def _runs(app: Shell, ask: RunsView) -> None:
    app.push_screen(RunsScreen(ask, app.lab.save_path.with_suffix("").name + "-run"))


def _graph(app: Shell, ask: GraphOpen) -> None:
    app.push_screen(GraphScreen(ask.graph, list(ask.vocab_labels), list(ask.tokens), ask.shapes, ask.position))


OPENERS: dict[type, Callable[[Shell, Any], None]] = {
    AskFork: _fork,
    AskQuit: _quit,
    AskOverwrite: _overwrite,
    AskStep: _step,
    AskChar: _char,
    CompareView: _compare,
    AskSettings: _settings,
    AskNewRun: _new_run,
    RunsView: _runs,
    ForwardOpen: lambda app, ask: app.push_screen(ForwardScreen()),
    MatrixOpen: lambda app, ask: app.push_screen(MatrixScreen()),
    AskProbe: lambda app, ask: app.push_screen(ProbeScreen(ask.typed)),
    GraphOpen: _graph,
}


def open_asked(app: Shell, ask: object) -> None:
    """Open what `ask` asks for (nothing, for a kind no screen answers)."""
    opener = OPENERS.get(type(ask))
    if opener is not None:
        opener(app, ask)
