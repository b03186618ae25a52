"""Steps and runs for tests of what the screen shows after them, not of the keys and dialogs that make them."""

from dataclasses import replace
from typing import Any

from textual.pilot import Pilot

from microgpt_tui.app import MicroGPTApp
from microgpt_tui.core.views import Change
from microgpt_tui.features.runs.settings_form import NewRun


async def stepped(pilot: Pilot, steps: int) -> None:
    """`steps` single steps through the intent space runs (the lab's `step`, each applied to the app as its
    action's would be), then one frame: Pilot's press draws a frame and waits for an idle CPU after every
    key. For a layout after some steps; a test of space itself presses it."""
    app = pilot.app
    for _ in range(steps):
        app.apply(app.lab.step())
    await pilot.pause()


def start_run(app: MicroGPTApp, **settings: Any) -> Change:
    """A new run with the live run's settings but `settings` (e.g. lr=0.05), started through the intent the
    settings form's enter and the new-run dialog's y end in (without opening them: test_app_runs types into
    them), applied to the app."""
    trainer = app.lab.trainer
    choice = NewRun(replace(trainer.config, **settings), trainer.engine, tuple(app.lab.docs), app.lab.dataset_name)
    change = app.lab.experiments.start_run(choice)
    app.apply(change)
    return change
