"""`microgpt-tui --load RUN.json` opens the app on a saved run with its whole curve; an older checkpoint still loads."""

import asyncio
import json

import pytest
from app_helpers import panel, trained
from cli_helpers import cli

from microgpt_engine import Config, Trainer, save_checkpoint
from microgpt_tui.cli.launch import loaded_run, make_app
from microgpt_tui.cli.options import build_parser, make_trainer
from microgpt_tui.core.lab import Lab

DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn"]
CONFIG = Config(n_embd=8, n_head=2, block_size=8, steps=9, seed=5)
SIZE = (120, 40)


@pytest.fixture
def names(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the first-launch state stays here
    path = tmp_path / "names.txt"
    path.write_text("\n".join(DOCS) + "\n")
    return path


async def saved_lab(tmp_path, steps):
    """A session that trained `steps` steps, renamed its run and saved it with its curve to run.json."""
    lab = Lab(Trainer(DOCS, CONFIG), DOCS, "names.txt", tmp_path / "ckpt.json")
    lab.begin()
    for _ in range(steps):
        lab.step()
    lab.experiments.rename_run(0, "small")
    await lab.experiments.save_run(0, str(tmp_path / "run.json"))
    return lab


def launched(*argv):
    """The app `microgpt-tui ARGV` opens (made as the CLI makes it, run under Pilot by the test)."""
    args = build_parser().parse_args(argv)
    trainer, docs, data_name, extra = make_trainer(args)
    return make_app(args, trainer, docs, data_name, loaded_run(args, trainer, extra))


async def test_launching_with_a_saved_run_shows_its_whole_curve_its_step_and_its_trends(tmp_path, names):
    before = await saved_lab(tmp_path, 6)
    app = launched("--data", str(names), "--load", str(tmp_path / "run.json"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lab = app.lab
        assert lab.trainer.step_count == 6 and lab.history.losses == before.history.losses
        assert lab.current_run.name == "small" and lab.current_run.origin == "loaded from run.json"
        plot = app.main.query_one("#loss")
        assert plot.view.xs == tuple(range(1, 7)) and list(plot.view.losses) == before.history.losses
        status = " ".join(panel(app, "#status").split())
        assert f"step 6/9 loss {before.history.losses[-1]:.3f} ema {before.history.ema:.3f}" in status
        assert f"lr {before.history.summary(6).lr:.4f}" in status
        last = before.history.params(6)
        rows = {row.name: row for row in app.main.query_one("#params").view.rows}
        assert [rows[p.name].grad_norm for p in last] == [p.grad_norm for p in last]  # the last step's numbers...
        trend = rows["wte"].trend
        assert trend == tuple(before.history.grad_norms("wte", 6, len(trend))) and len(trend) == 6  # ...and trends
        await trained(pilot)  # and it trains on to its last step, the curve growing from there
        assert lab.trainer.step_count == 9 and len(lab.history) == 9 and lab.history.losses[:6] == before.history.losses


async def test_launching_with_a_checkpoint_of_the_older_format_starts_at_its_step_without_a_curve(tmp_path, names):
    lab = await saved_lab(tmp_path, 4)
    save_checkpoint(lab.trainer, tmp_path / "old.json")  # no history: what every earlier version wrote
    app = launched("--data", str(names), "--load", str(tmp_path / "old.json"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.lab.trainer.step_count == 4 and len(app.lab.history) == 0 and app.lab.history.start == 4
        assert app.lab.current_run.origin == ""  # as before: the session's first run
        await trained(pilot)
        assert len(app.lab.history) == 5 and app.lab.history.start == 4


def test_a_damaged_curve_at_launch_is_one_line_and_exit_code_2(tmp_path, names):
    asyncio.run(saved_lab(tmp_path, 3))
    path = tmp_path / "run.json"
    state = json.loads(path.read_text())
    state["history"]["loss"] = state["history"]["loss"][:2]
    path.write_text(json.dumps(state))
    result = cli("--data", str(names), "--load", str(path))
    assert result.returncode == 2 and "its loss curve is damaged" in result.stderr and "Traceback" not in result.stderr
