"""The app under faults and hostile input, driven through Pilot: files it must not clobber, and more."""

import pytest
from app_helpers import make_app, panel

from microgpt_engine import Config, Trainer, load_checkpoint, save_checkpoint
from microgpt_tui.screens.overwrite import OverwriteScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


@pytest.fixture
def someones_checkpoint(tmp_path):
    """A 5-step checkpoint already in the folder, written by another run."""
    trainer = Trainer(["emma", "ava", "mia"], Config(steps=5, seed=1, **TINY))
    for _ in range(5):
        trainer.step()
    path = tmp_path / "ckpt.json"
    save_checkpoint(trainer, path)
    return path


async def test_a_fresh_app_asks_before_saving_over_a_checkpoint_it_did_not_write(tmp_path, someones_checkpoint):
    before = someones_checkpoint.read_bytes()
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "ctrl+s")
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("n")
        assert app.screen is app.main and someones_checkpoint.read_bytes() == before
        assert "not saved" in panel(app, "#status") and app.lab.saved_step == 0
        await pilot.press("ctrl+s", "y")
        assert app.screen is app.main and load_checkpoint(someones_checkpoint).step == 1
        await pilot.press("space", "ctrl+s")  # the session wrote it: no question any more
        assert app.screen is app.main and load_checkpoint(someones_checkpoint).step == 2


async def test_save_and_quit_asks_too_and_quits_once_replaced(tmp_path, someones_checkpoint):
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "q", "s")
        assert isinstance(app.screen, OverwriteScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0 and load_checkpoint(someones_checkpoint).step == 1


async def test_the_checkpoint_the_session_loaded_is_saved_over_without_asking(tmp_path, someones_checkpoint):
    trainer = load_checkpoint(someones_checkpoint).restore(["emma", "ava", "mia"])
    trainer.config = Config(**{**trainer.config.to_dict(), "steps": 8})
    from microgpt_tui.app import MicroGPTApp

    app = MicroGPTApp(
        trainer, save_path=someones_checkpoint, docs=["emma", "ava", "mia"], loaded_from=someones_checkpoint
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "ctrl+s")
        assert app.screen is app.main
    assert load_checkpoint(someones_checkpoint).step == 6
