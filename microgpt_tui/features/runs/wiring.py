"""Provides the runs' wiring: o (settings, a new run) and w (the runs side by side), their dialogs and screens."""

from __future__ import annotations

from microgpt_tui.core.views import AskNewRun, AskSettings, RunsCompareView, RunsView
from microgpt_tui.features.runs.compare_screen import RunsCompareScreen
from microgpt_tui.features.runs.new_run_screen import NewRunScreen
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.features.runs.settings_form import NewRun, SettingsForm
from microgpt_tui.features.runs.settings_screen import SettingsScreen
from microgpt_tui.features.runs.state import Experiments
from microgpt_tui.shell import Shell
from microgpt_tui.wiring import Wiring


def _settings(app: Shell, experiments: Experiments, ask: AskSettings) -> None:
    async def applied(choice: NewRun | None) -> None:
        app.apply(await experiments.apply_settings(choice))

    assert isinstance(ask.form, SettingsForm)
    app.push_screen(SettingsScreen(ask.form, experiments.check_settings), applied)


def _new_run(app: Shell, experiments: Experiments, ask: AskNewRun) -> None:
    async def answered(answer: str | None) -> None:
        assert isinstance(ask.choice, NewRun)
        app.apply(await experiments.new_run_answer(answer, ask.choice))

    app.push_screen(NewRunScreen(ask.unsaved, ask.run_name, ask.save_path), answered)


def _runs(app: Shell, experiments: Experiments, ask: RunsView) -> None:
    app.push_screen(RunsScreen(ask, experiments.session.save_path.with_suffix("").name + "-run"))


def _compare(app: Shell, experiments: Experiments, ask: RunsCompareView) -> None:
    screen = RunsCompareScreen(ask)
    screen.held_out_seen = experiments.held_out.landings  # (the view was made just now: no need to make it again)
    app.push_screen(screen)


def _follow(experiments: Experiments, screen: RunsScreen) -> None:
    screen.view = experiments.runs_view()


def _follow_compare(experiments: Experiments, screen: RunsCompareScreen) -> None:
    """The two runs again once their held-out figures landed (nothing else changes under this screen)."""
    if screen.is_mounted and screen.held_out_seen != experiments.held_out.landings:
        screen.held_out_seen = experiments.held_out.landings
        a, b = (row.number for row in screen.view.rows)
        view = experiments.compare_runs(a, b)
        if view is not None:
            screen.show(view)


WIRING = Wiring(
    "experiments",
    actions={
        "settings": lambda experiments: experiments.ask_settings(),
        "runs": lambda experiments: experiments.show_runs(),
    },
    handlers={
        RunsScreen.Rename: lambda experiments, message: experiments.rename_run(message.number, message.name),
        RunsScreen.Remove: lambda experiments, message: experiments.remove_run(message.number),
        RunsScreen.Save: lambda experiments, message: experiments.save_run(message.number, message.path),
        RunsScreen.Load: lambda experiments, message: experiments.load_run(message.path),
        RunsScreen.Compare: lambda experiments, message: experiments.compare(message.a, message.b),
    },
    openers={AskSettings: _settings, AskNewRun: _new_run, RunsView: _runs, RunsCompareView: _compare},
    followers={RunsScreen: _follow, RunsCompareScreen: _follow_compare},
)
