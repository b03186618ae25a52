"""A burst of keys queued at once (101 x r, then 30 x q n r) ends where the keys say, through the app's own queue.

In a real terminal this burst took 42-46 s to drain (tmux, a loaded 2-core machine), then 5-7 s: every
dialog opened and closed made the key bar remount all its keys; every q waited for the training step in
flight, composed a new dialog, laid it out twice and re-tinted the whole screen under it on each render;
every r and q restyled the whole main screen; 100 of the 101 r's asked one run to pause. Now the bar keeps
its keys, q asks at once with the app's one quit dialog, which is opaque (nothing is drawn under it), and
an r takes back a pause not yet acted on (~0.4 s in tmux). The timing lives in bench/ui_stalls.py; these
tests count.
"""

from app_helpers import handled, make_app, make_gated_app, press_sent, restyles, send, settled, until, widget_text
from rich.table import Table
from textual.screen import Screen
from textual.widgets._footer import FooterKey
from textual.worker import WorkerState

from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.screens.help import HelpScreen
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
        await press_sent(pilot, "escape", "r")  # (while training: sent, not pressed)
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
        await press_sent(pilot, "escape")  # (while training: sent, not pressed)
        for key in footer.query(FooterKey):  # dimmed exactly where the key does not apply now (training)
            assert key.has_class("-disabled") == (app.applies(key.action.partition("(")[0]) is not True), key.key
        assert keys["space"].has_class("-disabled")  # one step does not apply while training
        await press_sent(pilot, "r")  # (while training: sent, not pressed)
        await app.workers.wait_for_complete()
        await until(pilot, lambda: not keys["space"].has_class("-disabled"))  # (the key bar follows on a refresh)
        assert keys["space"] is footer.query(FooterKey).first()


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
        await press_sent(pilot, "escape")  # (while training: sent, not pressed)
        await until(pilot, lambda: app.screen is app.main and footer.query(FooterKey).first().has_class("-disabled"))
        assert footer.query(FooterKey).first().has_class("-disabled")  # training: one step does not apply
        for key in footer.query(FooterKey):
            assert key.has_class("-disabled") == (app.applies(key.action.partition("(")[0]) is not True), key.key
        await press_sent(pilot, "r")  # (while training: sent, not pressed)
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


async def open_and_settle(pilot, key: str, screen_type) -> None:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    await pilot.pause()


# (That every screen over the main one is opaque, so that Textual tints nothing under it: checked while
# test_app_hostile_views.py walks every screen.)


async def test_start_and_pause_restyle_the_status_line_and_the_loss_plot_not_the_whole_screen(monkeypatch):
    """The -training class sat on the main screen: each r restyled every widget on it (and every one was
    drawn again). It sits on the two widgets it styles now."""
    app = make_app(steps=1_000_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        restyled = restyles(app, monkeypatch)
        await pilot.press("space")
        await pilot.pause()
        status, loss = app.main.query_one("#status"), app.main.query_one("#loss")
        paused = status.styles.background, loss.styles.border
        restyled.clear()
        await press_sent(pilot, "r")  # (starts training: sent, not pressed, as every key while it trains)
        await until(pilot, lambda: app.lab.trainer.step_count > 2)
        await handled(pilot)
        training = status.styles.background, loss.styles.border
        await press_sent(pilot, "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.lab.mode == "paused"
        assert status in restyled and loss in restyled
        assert app.main not in restyled and len(restyled) < len(list(app.main.walk_children())) // 2
        assert training != paused  # (the look while training is kept)
        assert (status.styles.background, loss.styles.border) == paused


async def test_101_r_start_one_worker_and_train_each_pause_taken_back_by_the_next_r():
    """101 x r used to end paused: the first r started a run, the other 100 each asked it to pause. The
    worker is held in a step here while the keys drain, so that it cannot act on any pause meanwhile
    (when it has, the next r starts a new run once it stopped: tests/test_pause_taken_back.py)."""
    app = make_gated_app(config=TINY)
    started, start = [], app._start
    app._start = lambda job: (job.group == "training" and started.append(job), start(job))[1]
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.lab.trainer
        await pilot.press("space")
        trainer.hold()  # (the worker's steps wait for a permit)
        send(app, "r", "r")
        await until(pilot, lambda: trainer.waiting.is_set())  # the worker is in its first step
        await burst(pilot, ["r"] * 100)  # 101 in all
        assert app.lab.mode == "training" and not app.lab.stepping.run.stop_requested
        assert len(started) == 1 and training_workers(app) == 1
        await pilot.press("escape")
        await burst(pilot, ["r"] * 100)  # 100 more: still training, on the same worker
        assert app.lab.mode == "training" and not app.lab.stepping.run.stop_requested
        assert len(started) == 1 and training_workers(app) == 1
        await pilot.press("escape")
        send(app, "r", "r")  # one more: it pauses once the step ends
        trainer.release()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: app.lab.mode == "paused")
        assert len(started) == 1 and training_workers(app) == 0


async def test_q_opens_its_dialog_at_once_while_the_step_in_flight_ends_on_the_worker():
    """q used to wait for the training step in flight before asking (~30 ms a q on a loaded machine, the
    drain's cycle had 30 of them). Now it asks at once; the count follows the steps still handed over."""
    app = make_gated_app(config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        trainer = app.lab.trainer
        await pilot.press("space")
        await press_sent(pilot, "r")  # (starts training: sent, not pressed, as every key while it trains)
        await until(pilot, lambda: trainer.step_count >= 3)
        trainer.hold()
        await until(pilot, lambda: trainer.waiting.is_set())  # the worker is in a step, held there
        send(app, "q", "q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), 3)
        assert trainer.waiting.is_set()  # asked while the step is still in flight
        trainer.release()
        await until(pilot, lambda: app.lab.mode == "paused")
        await pilot.pause()
        steps = trainer.step_count
        assert app.screen.unsaved_steps == steps  # (one step was saved by none: all of them unsaved)
        assert f"{steps:,} training steps since the last save" in str(app.screen.query_one("#quit-question").render())
        await settled(pilot)  # the worker has ended
        assert trainer.step_count == steps  # nothing trains behind the dialog
        await pilot.press("n")
        assert app.screen is app.main and app.lab.mode == "paused"


async def test_the_quit_dialog_is_composed_once_and_asks_each_time_about_the_steps_of_then():
    """A new dialog every q composed, styled and laid out its widgets twice over (Textual lays a new screen
    out on resume, and again on the first resize it sends itself): ~40 ms a q. The app keeps its one quit
    dialog: opened again, it is neither composed nor resized (its new count is one frame)."""
    composed, resized = [], []
    compose, on_resize = QuitScreen.compose, Screen._on_resize
    app = make_app(steps=1_000_000, config=TINY)

    async def counting_resize(self, event):
        if isinstance(self, QuitScreen):
            resized.append(self)
        await on_resize(self, event)

    async with app.run_test(size=SIZE) as pilot:
        QuitScreen.compose = lambda self: (composed.append(self), (yield from compose(self)))[1]
        Screen._on_resize = counting_resize
        try:
            await pilot.press("space")
            for steps in range(1, 11):
                await open_and_settle(pilot, "q", QuitScreen)
                question = str(app.screen.query_one("#quit-question").render())
                assert f"{steps:,} training step{'s' if steps > 1 else ''} since the last save" in question
                if steps == 1:  # a new dialog has the focus on "save"
                    assert app.screen.focused is not None and app.screen.focused.id == "save"
                await pilot.press("n", "space")  # one more step each time
                await until(pilot, lambda: app.screen is app.main)
        finally:
            QuitScreen.compose, Screen._on_resize = compose, on_resize
        assert len(composed) == 1 and len(resized) == 1
        # asked again, the one dialog starts with the focus where a new one has it (once its own test)
        await open_and_settle(pilot, "q", QuitScreen)
        first = app.screen.focused
        assert first is not None and first.id == "save"
        await pilot.press("tab", "tab")  # to "Stay (esc)"
        assert app.screen.focused.id == "stay"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main)
        await open_and_settle(pilot, "q", QuitScreen)
        assert app.screen.focused is first  # enter would save and quit, as the first time
        await pilot.press("y")
        await until(pilot, lambda: app.return_code is not None)


async def test_the_help_draws_its_key_table_once_a_width_however_often_it_opens(monkeypatch):
    """? ends the burst: Textual drew the ~70-row key table five times an open (its height, then its lines,
    on each of a new screen's two layouts, with and without the scrollbar), ~150 ms of UI thread."""
    drawn = []
    draw = Table.__rich_console__

    def counting(self, console, options):
        drawn.append(options.max_width)
        return draw(self, console, options)

    monkeypatch.setattr(Table, "__rich_console__", counting)
    app = make_app(steps=1_000_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        drawn.clear()
        for _ in range(5):
            await open_and_settle(pilot, "question_mark", HelpScreen)
            shown = widget_text(app.screen.query_one("#help-table"))
            assert "space" in shown and "ctrl+s" in shown  # (every open shows the keys)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main)
        assert len(drawn) == len(set(drawn)) <= 2  # once for each width it was laid out at, over five opens
