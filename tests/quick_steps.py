"""Steps for tests of what the screen shows after them, not of the key that takes them."""

from textual.pilot import Pilot


async def stepped(pilot: Pilot, steps: int) -> None:
    """`steps` single steps through the intent space runs (the lab's `step`, each applied to the app as its
    action's would be), then one frame: Pilot's press draws a frame and waits for an idle CPU after every
    key. For a layout after some steps; a test of space itself presses it."""
    app = pilot.app
    for _ in range(steps):
        app.apply(app.lab.step())
    await pilot.pause()
