"""A burst of keys queued at once (101 x r, then 30 x q n r) ends where the keys say, through the app's own queue.

In a real terminal this burst took 42-46 s to drain (tmux, a loaded 2-core machine): every dialog opened
and closed made the key bar remount all its keys, and every start or pause did it again. The bar now
keeps its keys and only dims the ones that do not apply. The timing lives in bench/ui_stalls.py; these
tests count.
"""

from app_helpers import make_app, send, until
from textual.widgets._footer import FooterKey
from textual.worker import WorkerState

from microgpt_tui.screens.help import HelpScreen
from microgpt_tui.screens.quit import QuitScreen
from microgpt_tui.widgets.footer import KeysFooter

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


def training_workers(app) -> int:
    live = (WorkerState.PENDING, WorkerState.RUNNING)
    return sum(1 for worker in app.workers if worker.group == "training" and worker.state in live)


async def burst(pilot, keys: list[str]) -> None:
    """Queue every key at once (as a terminal delivers a paste or a held key), then `?`; wait for the help."""
    for key in keys:
        send(pilot.app, key, key if len(key) == 1 else None)
    send(pilot.app, "question_mark", "?")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), 300)


async def test_101_r_then_30_q_n_r_ends_training_with_one_worker_and_no_dialog_left():
    app = make_app(steps=1_000_000, config=TINY)
    asked = []
    push = app.push_screen

    def counting_push(screen, *args, **kwargs):
        asked.append(type(screen).__name__)
        return push(screen, *args, **kwargs)

    app.push_screen = counting_push
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")  # one unsaved step: q asks first
        await burst(pilot, ["r"] * 101 + ["q", "n", "r"] * 30)
        assert asked.count("QuitScreen") == 30  # every q asked, every n answered it
        assert not any(isinstance(screen, QuitScreen) for screen in app.screen_stack)
        assert (
            app.lab.stepping.run is not None and app.lab.mode == "training"
        )  # 101 r: running; each q n r: running again
        assert training_workers(app) == 1
        assert app.is_running
        await pilot.press("escape", "r")
        await app.workers.wait_for_complete()
        assert app.lab.stepping.run is None and training_workers(app) == 0


async def test_an_even_burst_ends_paused_with_no_worker():
    app = make_app(steps=1_000_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await burst(pilot, ["r"] * 100 + ["q", "n", "r", "r"] * 10)
        await app.workers.wait_for_complete()
        assert app.lab.stepping.run is None and app.lab.mode == "paused" and training_workers(app) == 0
        assert not any(isinstance(screen, QuitScreen) for screen in app.screen_stack)


async def test_dialogs_and_pauses_keep_the_key_bar_and_dim_the_keys_that_do_not_apply():
    app = make_app(steps=1_000_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        footer = app.main.query_one(KeysFooter)
        keys = {key.key: key for key in footer.query(FooterKey)}
        await burst(pilot, ["q", "n"] * 10 + ["r"])
        assert {key.key: key for key in footer.query(FooterKey)} == keys  # the same widgets: nothing remounted
        await pilot.press("escape")
        await pilot.pause()
        for key in footer.query(FooterKey):  # dimmed exactly where the key does not apply now (training)
            assert key.has_class("-disabled") == (app.applies(key.action.partition("(")[0]) is not True), key.key
        assert keys["space"].has_class("-disabled")  # one step does not apply while training
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not keys["space"].has_class("-disabled") and keys["space"] is footer.query(FooterKey).first()


async def test_a_key_bar_that_changed_under_a_dialog_is_right_when_the_dialog_closes():
    app = make_app(steps=1_000_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        footer = app.main.query_one(KeysFooter)
        assert not footer.query(FooterKey).first().has_class("-disabled")  # space: one step applies
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        app.apply(app.lab.run_or_pause())  # training starts while the help is open (as a message could)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main)
        await pilot.pause()
        assert footer.query(FooterKey).first().has_class("-disabled")  # training: one step does not apply
        for key in footer.query(FooterKey):
            assert key.has_class("-disabled") == (app.applies(key.action.partition("(")[0]) is not True), key.key
        await pilot.press("r")
        await app.workers.wait_for_complete()


async def test_a_recompose_queued_for_the_bar_of_a_closed_screen_does_nothing():
    """Textual may run a bar's queued recompose after its screen closed (the 2,000-key fuzz met it after
    escape from the embedding map): the bar has no screen then, and must not raise NoScreen."""
    app = make_app(steps=1_000_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "e")
        await until(pilot, lambda: app.screen is not app.main)
        bar = app.screen.query_one(KeysFooter)
        assert bar.query(FooterKey)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main)
        await bar.recompose()  # what the queued callback does
        assert not bar.is_attached and not bar.query(FooterKey)  # (nothing mounted into the closed screen)
        assert app.screen is app.main and app.return_code is None
