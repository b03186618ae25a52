"""Pilot tests of the `Dialog` base through the app's four questions, each alone on a throwaway app's screen.

The cases of one question (its keys, its buttons) are answered in turn in one app: each dialog is pushed fresh
over the app's empty screen, as it was in an app of its own, and popped if it is still up.
"""

from pathlib import Path

from textual.app import App

import microgpt_tui
from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen
from microgpt_tui.screens.dialog import Dialog

NOT_YET = object()  # no dismissal recorded


class DialogApp(App):
    """Pushes one dialog at start (then each one `show` is given) and records what it dismisses with."""

    CSS_PATH = Path(microgpt_tui.__file__).parent / "app.tcss"  # the app's layout, so clicks land

    def __init__(self, dialog):
        super().__init__()
        self.dialog, self.dismissed = dialog, NOT_YET

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.record)

    def show(self, dialog) -> None:
        """Put `dialog` up in place of the last one (popped if it is still up), with nothing recorded yet."""
        if self.screen is self.dialog:
            self.pop_screen()
        self.dialog, self.dismissed = dialog, NOT_YET
        self.push_screen(dialog, self.record)

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


async def answers(cases):
    """Each (dialog, keys, button) in turn in one app: put the dialog up alone, click `button` (None: none),
    press `keys`; return [(dismissal, error line or None)], one per case."""
    app = DialogApp(cases[0][0])
    results = []
    async with app.run_test(size=(100, 30)) as pilot:
        for dialog, keys, click in cases:
            if dialog is not app.dialog:
                app.show(dialog)
            await pilot.pause()
            assert app.screen is dialog
            if click:
                await pilot.click(click)
            await pilot.press(*keys)
            await pilot.pause()
            errors = dialog.query(f"#{dialog.ID_PREFIX}-error") if app.screen is dialog else []
            results.append((app.dismissed, str(errors[0].render()) if errors else None))
    return results


async def answer(dialog, *keys, click=None):
    """Run `dialog` alone, click the button `click` and press `keys`; return (dismissal, error line or None)."""
    [result] = await answers([(dialog, keys, click)])
    return result


NAMES = ["fork", "quit", "goto", "force"]


async def test_escape_dismisses_every_dialog_with_none():
    shown = [dialogs()[name] for name in NAMES]
    assert all(isinstance(dialog, Dialog) for dialog in shown)
    results = await answers([(dialog, ["escape"], None) for dialog in shown])
    assert [dismissed for dismissed, _ in results] == [None] * len(NAMES)


async def test_every_dialog_shows_its_question_in_a_titled_frame():
    shown = dialogs()
    app = DialogApp(shown[NAMES[0]])
    async with app.run_test(size=(100, 30)) as pilot:
        for name in NAMES:
            dialog = shown[name]
            if dialog is not app.dialog:
                app.show(dialog)
            await pilot.pause()
            frame = dialog.query_one(f"#{name}-dialog")
            assert frame.border_title == dialog.FRAME_TITLE != "", name
            question = dialog.question().replace("[b]", "").replace("[/b]", "")
            assert str(dialog.query_one(f"#{name}-question").render()) == question, name
            assert app.dismissed is NOT_YET, name


FORK_KEYS = [("y", "fork"), ("f", "fork"), ("n", "now")]


async def test_fork_dialog_keys_choose_fork_or_back_to_now():
    results = await answers([(ForkScreen(3, 10, 7), [key], None) for key, _ in FORK_KEYS])
    assert [dismissed for dismissed, _ in results] == [choice for _, choice in FORK_KEYS]


FORK_BUTTONS = [("#fork", "fork"), ("#now", "now"), ("#stay", None)]


async def test_fork_dialog_buttons_dismiss_with_their_choice():
    results = await answers([(ForkScreen(3, 10, 7), [], button) for button, _ in FORK_BUTTONS])
    assert [dismissed for dismissed, _ in results] == [choice for _, choice in FORK_BUTTONS]


async def test_fork_question_counts_the_later_steps_kept_as_a_branch():
    app = DialogApp(ForkScreen(3, 10, 7))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        question = str(app.screen.query_one("#fork-question").render())
        assert "the 7 later steps (4–10) are kept as a branch" in question


QUIT_KEYS = [("s", "save"), ("q", "quit"), ("y", "quit"), ("n", None)]


async def test_quit_dialog_keys_save_quit_or_stay():
    results = await answers([(QuitScreen(5, "run.json"), [key], None) for key, _ in QUIT_KEYS])
    assert [dismissed for dismissed, _ in results] == [choice for _, choice in QUIT_KEYS]


QUIT_BUTTONS = [("#save", "save"), ("#quit", "quit"), ("#stay", None)]


async def test_quit_dialog_buttons_dismiss_with_their_choice():
    results = await answers([(QuitScreen(5, "run.json"), [], button) for button, _ in QUIT_BUTTONS])
    assert [dismissed for dismissed, _ in results] == [choice for _, choice in QUIT_BUTTONS]


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


FORCE_BUTTONS = [("#force-end", 3), ("#force-cancel", None)]


async def test_force_char_buttons_end_the_name_or_cancel():
    results = await answers([(ForceCharScreen("abc", "◆", 3), [], button) for button, _ in FORCE_BUTTONS])
    assert [dismissed for dismissed, _ in results] == [choice for _, choice in FORCE_BUTTONS]
