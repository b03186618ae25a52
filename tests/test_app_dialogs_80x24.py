"""Every dialog at 80x24: Tab reaches each of its controls, and whatever has the focus is on screen (it scrolls)."""

import pytest
from app_helpers import landed, make_app, press_sent, until
from quick_pilot import fill, keys
from textual.widgets import Button

from microgpt_tui.features.probe.screen import ProbeScreen
from microgpt_tui.features.runs.new_run_screen import NewRunScreen
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.features.runs.settings_screen import SettingsScreen
from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen
from microgpt_tui.features.saving.overwrite_screen import OverwriteScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen
from microgpt_tui.screens.dialog import Dialog

SMALL = (80, 24)
TINY = dict(n_embd=8, n_head=2)


def on_screen(app, widget) -> bool:
    """The widget is drawn where it is: its middle cell is inside the terminal and shows it (or a part of it)."""
    region = widget.region
    if not region.area:
        return False
    x, y = region.x + region.width // 2, region.y + region.height // 2
    if not (0 <= x < SMALL[0] and 0 <= y < SMALL[1]):
        return False
    shown, _ = app.screen.get_widget_at(x, y)
    return shown is widget or widget in shown.ancestors


async def tab_through(pilot, screen):
    """Press Tab until the focus comes round again; every focused widget must be on screen. Returns the widgets
    it reached."""
    app, reached = pilot.app, set()
    first = app.focused
    for _ in range(40):
        focused = app.focused
        assert focused is not None and on_screen(app, focused), f"{focused!r} has the focus but is not on screen"
        reached.add(focused)
        await press_sent(pilot, "tab")  # (Tab's own wiring, under Pilot: the twelve tabs below, test_wiring.py)
        await pilot.pause()
        if app.focused is first:
            break
    assert app.screen is screen  # (Tab never answered the dialog)
    return reached


async def open_settings(pilot):
    await keys(pilot, "o")


async def open_new_run(pilot):
    await keys(pilot, "space", "o")
    await fill(pilot, "#set-lr", "0.05")
    await keys(pilot, "enter")


async def open_fork(pilot):
    await keys(pilot, "space", "space", "space", "comma")
    await landed(pilot)
    await keys(pilot, "space")


async def open_goto(pilot):
    await keys(pilot, "space", "space", "space")
    await pilot.app.run_action("goto_step")


async def open_force(pilot):
    await keys(pilot, "s", "f")


async def open_quit(pilot):
    await keys(pilot, "space", "q")


async def open_overwrite(pilot):
    await keys(pilot, "space", "ctrl+s")


async def open_probe(pilot):
    await keys(pilot, "slash")


async def open_runs_save(pilot):
    await keys(pilot, "w", "s")  # (the runs table, asking where to save)


OPENERS = {
    "settings": (open_settings, SettingsScreen),
    "new run": (open_new_run, NewRunScreen),
    "fork": (open_fork, ForkScreen),
    "go to step": (open_goto, GoToStepScreen),
    "force a character": (open_force, ForceCharScreen),
    "quit": (open_quit, QuitScreen),
    "overwrite": (open_overwrite, OverwriteScreen),
    "probe": (open_probe, ProbeScreen),
    "runs": (open_runs_save, RunsScreen),
}


@pytest.mark.parametrize("name", list(OPENERS))
async def test_tab_reaches_every_control_of_the_dialog_and_it_is_on_screen_when_focused(
    name, tmp_path, someones_checkpoint
):
    opener, kind = OPENERS[name]
    app = make_app(tmp_path if name == "overwrite" else None, steps=20, config=TINY)
    async with app.run_test(size=SMALL) as pilot:
        await opener(pilot)
        await until(pilot, lambda: isinstance(app.screen, kind))
        await pilot.pause()
        screen = app.screen
        controls = {widget for widget in screen.query("*") if widget.focusable and widget.display}
        typed = isinstance(screen, (GoToStepScreen, ProbeScreen, RunsScreen))  # (an input, no buttons)
        assert any(isinstance(widget, Button) for widget in controls) or typed
        reached = await tab_through(pilot, screen)
        assert controls <= reached, f"Tab never reached {controls - reached}"
        if isinstance(screen, Dialog):
            assert screen.query_one(".dialog-frame").region.bottom <= SMALL[1]  # the frame fits the terminal


async def test_twelve_tabs_and_enter_in_the_settings_press_the_button_on_screen():
    """What a new user did: 12 x Tab, then enter, started a bigram run from a button below the frame."""
    app = make_app(steps=20, config=TINY)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*["tab"] * 12)
        await pilot.pause()
        focused = app.focused
        assert focused is not None and on_screen(app, focused)
