"""Quicker ways for Pilot tests to get where they test, where the keys on the way are not what is tested.

Pilot's `press` waits for an idle CPU twice per key (40 ms or more each); a
test that takes 44 steps or types a file name only to reach its state spends
seconds there. Each key's wiring is tested elsewhere (every binding under
Pilot, `test_wiring.py`); these run the same app code without the waits.
"""

from app_helpers import press_sent
from textual.command import CommandInput
from textual.pilot import Pilot
from textual.widgets import Input


async def keys(pilot: Pilot, *names: str) -> None:
    """Press keys whose actions finish on the UI thread (no worker to wait for): each is sent and handled
    in turn (app_helpers.press_sent), then the app settles and draws once (a Pilot pause). Pilot's `press`
    instead waits twice per key for an idle CPU, 40 ms or more even when the key's work took 5."""
    await press_sent(pilot, *names)
    await pilot.pause()


async def act(pilot: Pilot, *actions: str) -> None:
    """Run each app action as its key would (the app's `run_action`: the binding's check, then the action and
    the intent's `apply`), then let the app settle and draw."""
    for action in actions:
        await pilot.app.run_action(action)
    await pilot.pause()


async def fill(pilot: Pilot, selector: str, text: str) -> None:
    """Put `text` in a field of the screen on top, as typing it would (its Changed message), and let the
    screen handle it."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.pause()


async def palette_typed(pilot: Pilot, text: str) -> None:
    """Open the command palette (ctrl+p) and search for `text`, as typing it would."""
    await pilot.press("ctrl+p")
    await fill(pilot, CommandInput.__name__, text)
