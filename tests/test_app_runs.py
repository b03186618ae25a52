"""Experiments in the app, as a learner does them: settings (o), a new run, the runs screen (w), the speed ({ })."""

from app_helpers import landed, make_app, panel, trained, until, wait_until, widget_text
from quick_pilot import fill, keys
from textual.widgets import DataTable

from microgpt_tui.features.runs.compare_screen import RunsCompareScreen
from microgpt_tui.features.runs.new_run_screen import NewRunScreen
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.features.runs.settings_screen import SettingsScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen

SIZE = (120, 40)


async def type_into(pilot, selector, text):
    """Focus a field of the open screen and put `text` in it (typing it key by key is Textual's Input's)."""
    await fill(pilot, selector, text)


async def new_run_with_lr(pilot, lr):
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    await type_into(pilot, "#set-lr", lr)
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(pilot.app.screen, NewRunScreen):
        await pilot.press("y")  # start without saving (the first run stays in the list)
        await pilot.pause()


async def test_a_bad_value_changes_nothing_then_change_lr_apply_train_and_see_two_curves_and_two_rows():
    app = make_app(steps=20)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")  # a bad value shows its message and changes nothing
        await pilot.press("o")
        await pilot.pause()
        await type_into(pilot, "#set-n_embd", "10")
        screen = app.screen
        message = widget_text(screen.query_one("#err-n_embd"))
        assert "n_embd (10) must be divisible by n_head (4)" in message
        assert screen.query_one("#apply").disabled
        await pilot.press("enter")  # refused: the form stays open
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.lab.trainer.config.n_embd == 16 and app.lab.trainer.step_count == 2 and len(app.lab.book.runs) == 1
        await trained(pilot)
        await new_run_with_lr(pilot, "0.05")
        assert app.lab.trainer.config.lr == 0.05 and app.lab.trainer.step_count == 0
        await trained(pilot)
        assert app.lab.trainer.step_count == 20
        await wait_until(pilot, lambda: app.lab.bigram is not None)
        plot = app.main.query_one("#loss")
        assert [c.name for c in plot.view.others] == ["run 0"] and plot.view.name == "run 1"
        assert "━ run 1 ━ run 0" in panel(app, "#loss")  # the legend names both curves
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        cells = [list(map(str, table.get_row_at(i))) for i in range(2)]  # (cells are Text: never markup)
        assert cells[0][1].strip() == "run 0" and cells[1][1].startswith("▶ run 1") and cells[1][2] == "lr 0.05"
        run0 = app.lab.book.runs[0]
        assert cells[0][4] == f"{sum(run0.history.losses) / 20:.3f}"  # the mean of its (last 100) steps
        await pilot.press("c")  # the highlighted live run against run 0
        await pilot.pause()
        assert isinstance(app.screen, RunsCompareScreen)
        assert [row.name for row in app.screen.view.rows] == ["run 0", "run 1"]
        assert "run 0 vs run 1" in widget_text(app.screen.query_one("#runs-compare-body"))


async def test_renaming_and_removing_a_run_on_the_runs_screen():
    app = make_app(steps=5)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await new_run_with_lr(pilot, "0.02")
        await pilot.press("w")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=0)
        await keys(pilot, "n")
        await type_into(pilot, "#runs-input", "slow")
        await pilot.press("enter")
        await pilot.pause()
        assert app.lab.book.runs[0].name == "slow" and "slow" in str(table.get_row_at(0)[1])
        await pilot.press("delete")
        await pilot.pause()
        assert [r.name for r in app.lab.book.runs] == ["run 1"] and table.row_count == 1


async def test_at_two_steps_a_second_training_takes_about_two_steps_a_second():
    app = make_app(steps=100)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, *["left_curly_bracket"] * 4)  # max -> 30 -> 10 -> 5 -> 2
        assert app.lab.stepping.pace.rate == 2
        assert "speed 2/s" in panel(app, "#status")
        await pilot.press("r")
        await until(pilot, lambda: app.lab.history.now >= 5, timeout=10)
        rate = app.lab.stepping.rate.rate()  # the app's own clock: the hand-over times of the steps
        await pilot.press("r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert rate is not None and 1.2 < rate < 3.0
        assert app.lab.history.now < 12


async def test_a_fork_with_ten_times_the_lr_in_the_fork_dialog_trains_another_way():
    app = make_app(steps=10)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        original = app.lab.history.losses
        await pilot.press("comma", "comma", "comma", "comma")  # view step 6
        await landed(pilot)
        await keys(pilot, "space")
        await pilot.pause()
        assert isinstance(app.screen, ForkScreen)
        await type_into(pilot, "#fork-lr", "0.1")
        await pilot.press("enter")  # fork with the typed lr, then the one step space asked for
        await pilot.pause()
        await keys(pilot, "space", "space")
        losses = app.lab.history.losses
        assert app.lab.trainer.config.lr == 0.1 and len(losses) == 9
        assert losses[:7] == original[:7] and all(a != b for a, b in zip(losses[7:], original[7:9]))
        assert app.lab.current_run.origin == "forked at step 6 with lr 0.1 (was 0.01)"
        await pilot.press("w")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2 and "run 0 steps 7–10" in str(table.get_row_at(1)[1])


async def test_a_finished_run_continues_from_the_settings_screen_on_the_redrawn_schedule():
    app = make_app(steps=5)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        assert app.lab.done
        await pilot.press("o")
        await pilot.pause()
        await type_into(pilot, "#set-steps", "8")
        await pilot.click("#continue")
        await pilot.pause()
        assert len(app.lab.book.runs) == 1 and app.lab.trainer.config.steps == 8 and not app.lab.done
        assert "continues to 8 steps: step 6 at lr 0.00375" in app.lab.event
        await trained(pilot)
        assert app.lab.trainer.step_count == 8 and app.lab.history.summary(6).lr == 0.01 * (1 - 5 / 8)
        assert app.lab.history.summary(5).lr == 0.01 * (1 - 4 / 5)  # the first 5 steps kept their schedule
        await pilot.press("comma", "comma", "comma", "comma")  # back to step 4: a replay on the old schedule
        await landed(pilot)
        assert app.lab.viewed_step == 4


async def test_save_a_run_from_the_runs_screen_and_load_it_back_with_its_whole_curve(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # (a short name to type)
    app = make_app(tmp_path, steps=6)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        losses = app.lab.history.losses
        await new_run_with_lr(pilot, "0.05")
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(DataTable).move_cursor(row=0)
        await keys(pilot, "s")
        path = tmp_path / "run0.json"
        await type_into(pilot, "#runs-input", path.name)
        await pilot.press("enter")
        await wait_until(pilot, path.exists)
        await keys(pilot, "l")
        await type_into(pilot, "#runs-input", path.name)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.lab.book.runs) == 3)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3 and str(table.get_row_at(2)[1]).startswith("▶ run 0")  # loaded, live
        await pilot.press("escape")
        await pilot.pause()
        plot = app.main.query_one("#loss")
        assert list(plot.view.losses) == losses and plot.view.xs == tuple(range(1, 7))  # the whole curve
        assert "loaded run 0 at step 6 with its loss curve of 6 steps" in panel(app, "#status")


async def test_a_preset_run_with_no_transformer_block_trains():
    app = make_app(steps=6)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.click("#preset-no-block")
        await pilot.pause()
        assert widget_text(app.screen.query_one("#settings-summary")).startswith("1,120 parameters")
        await pilot.click("#apply")
        await pilot.pause()
        assert app.lab.trainer.config.n_layer == 0 and len(app.lab.book.runs) == 2
        await trained(pilot)
        assert app.lab.trainer.step_count == 6 and len(app.lab.history) == 6
        assert "no attention: n_layer 0" in panel(app, "#attention")
        assert app.lab.book.differs(app.lab.current_run) == "n_layer 0"


async def test_the_bigram_preset_adds_a_run_of_counts_with_its_samples():
    app = make_app(steps=6)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.click("#preset-bigram")
        await wait_until(pilot, lambda: len(app.lab.book.runs) == 2)
        await wait_until(pilot, lambda: app.lab.bigram is not None)
        run = app.lab.book.runs[1]
        assert run.name == "bigram table" and run.level == app.lab.bigram and len(run.samples.entries) == 10
        await pilot.press("w")
        await pilot.pause()
        row = list(map(str, app.screen.query_one(DataTable).get_row_at(1)))
        assert row[4] == f"{app.lab.bigram:.3f}" and row[5] == "-"  # (a count table has no weights to hold out)
        assert row[8] == ", ".join(n for n, _ in list(run.samples.entries)[:3])


async def test_the_no_attention_preset_trains_a_model_whose_blocks_keep_only_their_mlp():
    app = make_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.click("#preset-no-attention")
        await pilot.pause()
        await pilot.click("#apply")
        await pilot.pause()
        assert not app.lab.trainer.config.attention and app.lab.book.differs(app.lab.current_run) == "attention off"
        await trained(pilot)
        assert app.lab.trainer.step_count == 4
        assert "no attention: each block keeps only its" in panel(app, "#attention")
        assert app.check_action("ablate_head", ()) is None  # nothing to switch off
