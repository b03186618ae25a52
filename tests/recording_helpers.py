"""Helpers of the recording tests: a screen as text, and a replay of a recording, headless."""

import io

from app_helpers import until
from rich.console import Console

from microgpt_engine import Trainer
from microgpt_tui.features.recording import format as rec
from microgpt_tui.replay import Player, ReplayApp, handled


def screen_text(app) -> str:
    """Every cell of the screen on top (and those it lets through) as plain text, as a screenshot draws it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system=None,
                      record=True, legacy_windows=False, safe_box=False)  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def shown(app) -> str:
    """The screen once every key and message is handled, every panel drawn from the state now (while training
    the app redraws them by turns, at its repaint timer's pace), without its toasts (they time out by the clock)."""
    await handled(app)
    panels = app.panels
    for push in (panels.push_status, panels.push_view, panels.push_params, panels.push_loss):
        push()
    app.clear_notifications()
    await handled(app)
    app.screen._on_timer_update()
    return screen_text(app)


def weights(app):
    return {name: [row[:] for row in rows] for name, rows in app.lab.trainer.model.weights.items()}


async def replayed(recording: rec.Recording, docs, tmp_path, size, setup=lambda app: None, **player):
    """Replay `recording` headless at full speed; the screens before each key, the final screen, the app.
    `setup(app)` before it runs."""
    screens: dict[int, str] = {}
    trainer = Trainer(docs, recording.header.config, engine=recording.header.engine)

    def make(app):
        async def before_key(n):
            screens[n] = await shown(app)

        return Player(app, recording, speed=0, before_key=before_key, **player)

    app = ReplayApp(
        trainer, dataset_name="names.txt", save_path=tmp_path / "replay.json", docs=docs, show_timing=False, player=make
    )
    setup(app)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.player.done, timeout=60)
        final = await shown(app)
        return screens, final, app
