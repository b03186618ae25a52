"""What waits on a save goes on after the question about replacing someone else's checkpoint, through the keys.

A save asked for on the way to something else (save, then start the new run;
save, then quit; ctrl+s while training) can run into "replace the checkpoint
this session did not write?". Replace: the file is written and the pending
intent happens. Keep (n or escape): nothing is written, the live run stays as
it was, and the status line says what did not happen.
"""

from app_helpers import make_app, panel, send, until
from quick_pilot import fill, keys

from microgpt_engine import load_checkpoint
from microgpt_tui.features.runs.new_run_screen import NewRunScreen
from microgpt_tui.features.runs.settings_screen import SettingsScreen
from microgpt_tui.features.saving.overwrite_screen import OverwriteScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


async def ask_new_run_with_lr(pilot, lr: str) -> None:
    """o, type another lr, enter: the ask-first dialog about the unsaved steps opens."""
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    await fill(pilot, "#set-lr", lr)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NewRunScreen)


async def test_save_then_start_replacing_the_file_saves_and_starts_the_new_run(tmp_path, someones_checkpoint):
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space", "space")
        old = app.lab.trainer
        await ask_new_run_with_lr(pilot, "0.05")
        await keys(pilot, "s")
        await pilot.pause()
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is app.main
        assert load_checkpoint(someones_checkpoint).step == 3  # the old run's 3 steps are on disk
        assert app.lab.trainer is not old and app.lab.trainer.config.lr == 0.05 and app.lab.trainer.step_count == 0
        assert [run.name for run in app.lab.book.runs] == ["run 0", "run 1"]
        assert "run 1 started" in panel(app, "#status")


async def test_save_then_start_keeping_the_file_leaves_the_old_run_live_and_says_so(tmp_path, someones_checkpoint):
    """n, then escape: each way to keep the file (the old run trains on between them: the next asks again)."""
    before = someones_checkpoint.read_bytes()
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space", "space")
        old = app.lab.trainer
        for steps, key in ((3, "n"), (4, "escape")):
            app.lab.session.event = ""  # (what the last answer said is not this one's)
            await ask_new_run_with_lr(pilot, "0.05")
            await keys(pilot, "s")
            await pilot.pause()
            assert isinstance(app.screen, OverwriteScreen), key
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is app.main, key
            assert someones_checkpoint.read_bytes() == before
            assert app.lab.trainer is old and old.step_count == steps and old.config.lr == 0.01, key
            assert app.lab.saved_step == 0 and len(app.lab.book.runs) == 1, key
            status = panel(app, "#status")
            assert "not saved" in status and "new run was not started" in status, key
            await keys(pilot, "space")  # the old run trains on
            assert old.step_count == steps + 1, key


async def test_save_and_quit_keeping_the_file_stays_in_the_app_and_says_so(tmp_path, someones_checkpoint):
    before = someones_checkpoint.read_bytes()
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        for key in ("n", "escape"):  # each way to keep the file (the app stays: the next asks again)
            app.lab.session.event = ""  # (what the last answer said is not this one's)
            await pilot.press("q")
            assert isinstance(app.screen, QuitScreen)
            await keys(pilot, "s")
            await pilot.pause()
            assert isinstance(app.screen, OverwriteScreen)
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running and app.screen is app.main and app.lab.trainer.step_count == 2, key
            assert someones_checkpoint.read_bytes() == before
            assert "the app did not quit" in panel(app, "#status"), key


async def test_ctrl_s_while_training_goes_on_training_after_the_answer(tmp_path, someones_checkpoint):
    """n, then y: kept, the file is still someone else's (the next ctrl+s asks again); replaced, it is saved."""
    app = make_app(tmp_path, steps=100_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("n", "y"):
            before, steps = someones_checkpoint.read_bytes(), app.lab.trainer.step_count
            send(app, "r", "r")  # (keys are sent, not pressed, while training: Pilot waits ~1 s for an idle CPU)
            await until(pilot, lambda steps=steps: app.lab.trainer.step_count >= steps + 2)
            send(app, "ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, OverwriteScreen))
            await pilot.pause()
            assert isinstance(app.screen, OverwriteScreen) and app.lab.stepping.run is None, key  # paused, asking
            send(app, key, key)
            await until(pilot, lambda: app.screen is app.main and app.lab.stepping.run is not None)  # training again
            assert (someones_checkpoint.read_bytes() != before) == (key == "y")
            if key == "y":
                assert load_checkpoint(someones_checkpoint).step == app.lab.saved_step >= 2
            send(app, "r", "r")
            await app.workers.wait_for_complete()


async def test_save_then_start_when_the_save_fails_keeps_the_old_run_and_says_why(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app = make_app(blocker, config=TINY)  # saves to not-a-folder/ckpt.json: cannot be written
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        old = app.lab.trainer
        await ask_new_run_with_lr(pilot, "0.05")
        await keys(pilot, "s")
        await pilot.pause()
        assert app.screen is app.main and app.lab.trainer is old and len(app.lab.book.runs) == 1
        assert "could not save, so the new run was not started" in panel(app, "#status")
