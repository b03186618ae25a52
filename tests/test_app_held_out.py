"""The held-out names in the app: the end of a run says its loss on them, the runs table and compare show it."""

import math

from app_helpers import make_app, panel, trained, until, wait_until, widget_text
from quick_steps import start_run
from textual.widgets import DataTable

from microgpt_tui.features.runs.compare_screen import RunsCompareScreen
from microgpt_tui.features.runs.runs_screen import COLUMNS, RunsScreen


def unseen_loss(app, run, steps):
    """The run's held-out figure computed here, the plain way: every name of the (small) data its steps did not take."""
    trainer = app.lab.trainer
    unseen = sorted(set(app.lab.docs) - {trainer.document(i) for i in range(steps)})
    return math.fsum(trainer.evaluate(name).loss for name in unseen) / len(unseen), len(unseen)


async def test_the_end_of_a_run_the_runs_table_and_the_compare_show_the_held_out_loss():
    app = make_app(steps=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await trained(pilot)
        await wait_until(pilot, lambda: "held-out names" in app.lab.event)
        expected, count = unseen_loss(app, app.lab.current_run, 20)
        assert f"held-out names: loss {expected:.3f} on the {count} of 200 this run never trained on" in app.lab.event
        assert "held-out names: loss" in panel(app, "#status")
        start_run(app, lr=0.05)  # a second run
        await trained(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen)
        table = app.screen.query_one(DataTable)
        column = COLUMNS.index("held-out")
        await until(pilot, lambda: "…" not in {str(table.get_row_at(i)[column]) for i in range(2)})
        live, _ = unseen_loss(app, app.lab.current_run, 20)
        assert str(table.get_row_at(1)[column]) == f"{live:.3f}"
        assert str(table.get_row_at(0)[column]) == f"{expected:.3f}"
        assert "held-out: the mean loss on the names" in widget_text(app.screen.query_one("#runs-held-out-note"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, RunsCompareScreen)
        await until(pilot, lambda: app.screen.view.held_out is not None)
        summary = widget_text(app.screen.query_one("#runs-compare-summary"))
        assert "held-out names neither run trained on" in " ".join(summary.split())
        lower = "run 0" if expected < live else "run 1"
        assert f"{lower} is lower by" in " ".join(summary.split())
