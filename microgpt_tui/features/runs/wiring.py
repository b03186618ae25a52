"""Provides the runs' wiring: o (settings, a new run) and w (the runs side by side), their dialogs and screens."""

from __future__ import annotations

from microgpt_tui.core.views import AskNewRun, AskSettings, Change, RunsCompareView, RunsView
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
    app.push_screen(RunsCompareScreen(ask))


def _follow(experiments: Experiments, screen: RunsScreen) -> None:
    screen.view = experiments.runs_view()


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
        RunsScreen.Compare: lambda experiments, message: Change(ask=experiments.compare_runs(message.a, message.b)),
    },
    openers={AskSettings: _settings, AskNewRun: _new_run, RunsView: _runs, RunsCompareView: _compare},
    followers={RunsScreen: _follow},
)
