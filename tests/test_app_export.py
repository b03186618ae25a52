"""Pilot tests for export (ctrl+x): an SVG of the screen and the step history as CSV, the CLI's --log columns."""

import csv
import dataclasses

from app_helpers import DOCS, make_app, panel, wait_until, widget_text
from quick_pilot import keys, palette_typed

from microgpt_engine import Config, Trainer
from microgpt_engine.insight.export import header, row
from microgpt_engine.insight.history import RunHistory
from microgpt_tui.cli.headless import train_loop
from microgpt_tui.features.embeddings.screen import EmbeddingScreen
from microgpt_tui.features.graph.screen import GraphScreen

SIZE = (120, 40)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


async def test_ctrl_x_writes_the_screen_as_svg_and_one_csv_row_per_step_next_to_the_checkpoint(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "space", "ctrl+x")
        await pilot.pause()
        svg, table = tmp_path / "microgpt-step3.svg", tmp_path / "microgpt-step3.csv"
        assert svg.exists() and "<svg" in svg.read_text(encoding="utf-8")
        rows = read_csv(table)
        assert rows[0] == header(app.lab.stepping.latest)
        assert [row[:2] for row in rows[1:]] == [[str(step), app.lab.trainer.document(step - 1)] for step in (1, 2, 3)]
        assert f"{app.lab.stepping.latest.loss:.6f}" == rows[-1][2]
        assert "microgpt-step3.svg" in panel(app, "#status")
        await pilot.press("ctrl+x")  # again at the same step: new names, nothing overwritten
        await pilot.pause()
        assert (tmp_path / "microgpt-step3-2.svg").exists() and (tmp_path / "microgpt-step3-2.csv").exists()


async def test_the_app_export_and_the_cli_log_share_columns_and_numbers(tmp_path):
    app = make_app(tmp_path, steps=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "ctrl+x")
        await pilot.pause()
    exported = read_csv(tmp_path / "microgpt-step2.csv")
    cli_log = tmp_path / "cli.csv"
    trainer = Trainer(DOCS, Config(steps=2, seed=42))
    assert train_loop(trainer, plain=True, log_path=str(cli_log)) == 0  # what `microgpt-tui train --log` runs
    logged = read_csv(cli_log)
    assert exported[0] == logged[0]
    drop_ms = [i for i, name in enumerate(logged[0]) if name != "ms"]
    assert [[row[i] for i in drop_ms] for row in exported] == [[row[i] for i in drop_ms] for row in logged]


async def test_an_unwritable_folder_is_a_notification_not_a_crash(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = make_app(config={})
    app.lab.session.save_path = blocker / "ckpt.json"  # its folder is a file
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "ctrl+x")
        await pilot.pause()
        assert app.is_running
        assert "could not export" in panel(app, "#status")
        assert any(n.severity == "error" and "could not export" in n.message for n in app._notifications)


async def test_ctrl_x_inside_the_graph_explorer_and_over_the_embedding_map_saves_that_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "g")
        await pilot.pause()
        assert isinstance(app.screen, GraphScreen)
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert "autograd graph" in (tmp_path / "microgpt-step1.svg").read_text(encoding="utf-8").replace("&#160;", " ")
        await pilot.press("escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, EmbeddingScreen)
        await pilot.press("ctrl+x")
        await pilot.pause()
        svg = (tmp_path / "microgpt-step1-2.svg").read_text(encoding="utf-8").replace("&#160;", " ")
        assert "token embeddings" in svg and (tmp_path / "microgpt-step1-2.csv").exists()


async def test_the_command_palette_exports(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        await palette_typed(pilot, "export")
        await wait_until(pilot, lambda: "export SVG + CSV (ctrl+x)" in widget_text(app.screen.query_one("CommandList")))
        await pilot.press("enter")
        await wait_until(pilot, lambda: (tmp_path / "microgpt-step1.csv").exists())


def test_the_run_history_keeps_what_a_csv_row_needs_skips_diverged_steps_and_forgets_steps_a_fork_dropped():
    trainer = Trainer(DOCS, Config(steps=5, seed=42))
    records = [trainer.step() for _ in range(4)]
    history = RunHistory(trainer.model.shapes)
    for record in records:
        history.append(record)
    kept = list(history.rows())
    assert [r.step for r in kept] == [1, 2, 3, 4]
    assert header(kept[0]) == header(records[0])
    assert [row(r) for r in kept] == [row(r) for r in records]
    assert kept[2].loss == records[2].loss and kept[2].params[0].grad_norm == records[2].params[0].grad_norm
    history.fork(1)  # the run went back to step 1
    assert [r.step for r in history.rows()] == [1]
    history.append(dataclasses.replace(records[1], diverged=True))
    assert len(history) == 1
