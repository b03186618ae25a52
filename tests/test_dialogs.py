"""Pilot tests of the `Dialog` base through the app's four questions, each alone in a throwaway app."""

from pathlib import Path

import pytest
from textual.app import App

import microgpt_tui
from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen
from microgpt_tui.screens.dialog import Dialog

NOT_YET = object()  # no dismissal recorded


class DialogApp(App):
    """Pushes one dialog at start and records what it dismisses with."""

    CSS_PATH = Path(microgpt_tui.__file__).parent / "app.tcss"  # the app's layout, so clicks land

    def __init__(self, dialog):
        super().__init__()
        self.dialog, self.dismissed = dialog, NOT_YET

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.record)

    def record(self, choice) -> None:
        self.dismissed = choice


def dialogs():
    return {
        "fork": ForkScreen(3, 10, 7),
        "quit": QuitScreen(5, "run.json"),
        "goto": GoToStepScreen(0, 10, viewed=4),
        "force": ForceCharScreen("abc", "◆", 3),
    }


def error(app):
    return str(app.screen.query_one(f"#{app.dialog.ID_PREFIX}-error").render())


async def answer(dialog, *keys, click=None):
    """Run `dialog` alone, click the button `click` and press `keys`; return (dismissal, error line or None)."""
    app = DialogApp(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen is dialog
        if click:
            await pilot.click(click)
        await pilot.press(*keys)
        await pilot.pause()
        errors = dialog.query(f"#{dialog.ID_PREFIX}-error") if app.screen is dialog else []
        return app.dismissed, str(errors[0].render()) if errors else None


@pytest.mark.parametrize("name", ["fork", "quit", "goto", "force"])
async def test_escape_dismisses_every_dialog_with_none(name):
    dialog = dialogs()[name]
    assert isinstance(dialog, Dialog)
    dismissed, _ = await answer(dialog, "escape")
    assert dismissed is None


@pytest.mark.parametrize("name", ["fork", "quit", "goto", "force"])
async def test_every_dialog_shows_its_question_in_a_titled_frame(name):
    dialog = dialogs()[name]
    app = DialogApp(dialog)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        frame = dialog.query_one(f"#{name}-dialog")
        assert frame.border_title == dialog.FRAME_TITLE != ""
        assert str(dialog.query_one(f"#{name}-question").render()) == dialog.question().replace("[b]", "").replace(
            "[/b]", ""
        )
        assert app.dismissed is NOT_YET


@pytest.mark.parametrize(("key", "choice"), [("y", "fork"), ("f", "fork"), ("n", "now")])
async def test_fork_dialog_keys_choose_fork_or_back_to_now(key, choice):
    dismissed, _ = await answer(ForkScreen(3, 10, 7), key)
    assert dismissed == choice


@pytest.mark.parametrize(("button", "choice"), [("#fork", "fork"), ("#now", "now"), ("#stay", None)])
async def test_fork_dialog_buttons_dismiss_with_their_choice(button, choice):
    dismissed, _ = await answer(ForkScreen(3, 10, 7), click=button)
    assert dismissed == choice


async def test_fork_question_counts_the_later_steps_kept_as_a_branch():
    app = DialogApp(ForkScreen(3, 10, 7))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        question = str(app.screen.query_one("#fork-question").render())
        assert "the 7 later steps (4–10) are kept as a branch" in question


@pytest.mark.parametrize(("key", "choice"), [("s", "save"), ("q", "quit"), ("y", "quit"), ("n", None)])
async def test_quit_dialog_keys_save_quit_or_stay(key, choice):
    dismissed, _ = await answer(QuitScreen(5, "run.json"), key)
    assert dismissed == choice


@pytest.mark.parametrize(("button", "choice"), [("#save", "save"), ("#quit", "quit"), ("#stay", None)])
async def test_quit_dialog_buttons_dismiss_with_their_choice(button, choice):
    dismissed, _ = await answer(QuitScreen(5, "run.json"), click=button)
    assert dismissed == choice


async def test_go_to_step_dismisses_with_a_step_in_range():
    dismissed, _ = await answer(GoToStepScreen(0, 10, viewed=4), "backspace", "7", "enter")
    assert dismissed == 7


async def test_go_to_step_refuses_text_that_is_not_a_number():
    app = DialogApp(GoToStepScreen(0, 10, viewed=4))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#goto-input").value = "abc"  # an integer Input would not take the keys
        await pilot.press("enter")
        assert error(app) == "“abc” is not a step of this run: type a number from 0 to 10"
        assert app.dismissed is NOT_YET


async def test_go_to_step_refuses_a_step_out_of_range():
    dismissed, shown = await answer(GoToStepScreen(0, 1200, viewed=4), "backspace", "1", "2", "0", "1", "enter")
    assert shown == "“1201” is not a step of this run: type a number from 0 to 1,200"
    assert dismissed is NOT_YET


async def test_force_char_dismisses_with_the_token_id_of_a_known_character():
    dismissed, _ = await answer(ForceCharScreen("abc", "◆", 3), "b", "enter")
    assert dismissed == 1


async def test_force_char_refuses_a_character_not_in_the_vocabulary_and_clears_it():
    app = DialogApp(ForceCharScreen("abc", "◆", 3))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("Z", "enter")
        assert error(app) == "“Z” is not in the vocabulary: the model has never seen it. Try one of abc"
        assert app.screen.query_one("#force-input").value == ""
        assert app.dismissed is NOT_YET
        await pilot.press("enter")
        assert error(app) == "type one character first"


@pytest.mark.parametrize(("button", "choice"), [("#force-end", 3), ("#force-cancel", None)])
async def test_force_char_buttons_end_the_name_or_cancel(button, choice):
    dismissed, _ = await answer(ForceCharScreen("abc", "◆", 3), click=button)
    assert dismissed == choice
