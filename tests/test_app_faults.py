"""The app under faults and hostile input, driven through Pilot: files it must not clobber, and more."""

import pytest
from app_helpers import make_app, panel, press_sent, until, widget_text
from quick_pilot import keys

from microgpt_engine import Config, Trainer, load_checkpoint
from microgpt_tui.features.saving.overwrite_screen import OverwriteScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


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


# -- numbers that are not finite, or finite but huge -----------------------------------------------

# every screen a key opens from the main screen (v m y k w o came later: m raised NaN to int on weights of 1e308)
VIEWS = ["e", "g", "c", "i", "b", "question_mark", "p", "t", "v", "m", "y", "k", "w", "o", "slash"]


def blown_up(tmp_path, how):
    if how == "lr 1e154":  # the first Adam update overflows the weights to inf / NaN
        return make_app(tmp_path, config={**TINY, "lr": 1e154})
    app = make_app(tmp_path, config=TINY)  # a checkpoint may hold 1e308: finite, but any sum of two overflows
    weights = app.lab.trainer.model.weights
    for name in weights:
        weights[name] = [
            [1e308 if (i + j) % 2 else -1e308 for j in range(len(row))] for i, row in enumerate(weights[name])
        ]
    return app


@pytest.mark.parametrize("how", ["lr 1e154", "weights 1e308"])
async def test_every_view_of_blown_up_numbers_draws_instead_of_raising(tmp_path, how):
    app = blown_up(tmp_path, how)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        for key in VIEWS:  # (sent: the keys' wiring is test_wiring's; each pause draws what they opened)
            await press_sent(pilot, key)
            await pilot.pause()
            for _ in range(3):
                if app.screen is app.main:
                    break
                await keys(pilot, "escape")
            assert app.screen is app.main, f"{key} left {app.screen!r}"
        await keys(pilot, "s", "n", "n", "n")
    assert app.return_code in (None, 0)  # run_test re-raises any exception a view raised


# -- what is typed into a dialog ---------------------------------------------------------------------


PASTES = {"5000 digits": "9" * 5000, "negative": "-" + "9" * 5000, "arabic digits": "١٢", "escape": "3\x1b[2J"}


async def test_the_go_to_step_dialog_answers_any_paste_with_a_message(tmp_path):
    from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen

    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space", "space")
        for label, typed in PASTES.items():  # one session: each paste asked from now, as the first was
            await app.run_action("goto_step")
            await pilot.pause()
            assert isinstance(app.screen, GoToStepScreen), label
            field = app.screen.query_one("#goto-input")
            field.value = typed  # a paste: the Input's own integer filter is not the only guard
            await keys(pilot, "enter")  # (then laid out: the message is read at its widget's size)
            error = " ".join(widget_text(app.screen.query_one("#goto-error")).split())
            assert "is not a step of this run: type a number from 0 to 3" in error, label
            assert "\x1b" not in error and len(error) < 400, label
            field.value = "2"
            await press_sent(pilot, "enter")
            await until(pilot, lambda: app.lab.viewed_step == 2)  # (step 2 is replayed off the UI thread first)
            assert app.screen is app.main, label
            app.apply(app.lab.travel.back_to_now())
            await until(pilot, lambda: app.lab.viewed_step is None)


def test_a_weight_typed_into_the_graph_screen_is_checked_without_raising_anything_else():
    from microgpt_tui.features.graph.screen import parse_weight

    shapes, vocab = {"wte": (3, 4)}, ["a", "b", "◆"]
    for typed in ["wte[" + "9" * 5000 + ",1]", "wte[0," + "9" * 5000 + "]", "wte[٣,1]", "x" * 10_000]:
        with pytest.raises(ValueError) as caught:
            parse_weight(typed, shapes, vocab)
        assert len(str(caught.value)) < 200 and "Exceeds the limit" not in str(caught.value)
    assert parse_weight("wte[b,3]", shapes, vocab) == ("wte", 1, 3)


# -- memory stays flat ---------------------------------------------------------------------------------


async def test_mode_changes_and_screen_opens_leave_no_footer_keys_behind(tmp_path):
    """Each recompose of the Footer kept its ~18 removed keys alive (1,026 after 30 rounds of s and space)."""
    import gc

    from textual.widgets._footer import FooterKey

    def alive():
        gc.collect()
        return sum(isinstance(o, FooterKey) for o in gc.get_objects())

    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        before = alive()
        for _ in range(6):
            await pilot.press("s", "space", "q", "escape")  # sampling, paused, the quit dialog, back
            await pilot.pause()
        assert app.screen is app.main
        assert alive() <= before + 5, f"{alive()} footer keys alive, {before} at the start"


# -- no freezes ------------------------------------------------------------------------------------


def test_a_billion_configured_steps_keep_time_travel_snapshots_spaced_by_the_steps_done():
    """With --steps 1000000000 the interval was 16 million: one `,` after 2,362 steps replayed them all (16 s)."""
    from microgpt_engine import Config
    from microgpt_engine.insight.history import RunHistory
    from microgpt_engine.insight.timetravel import capture
    from microgpt_tui.core.lens import make_time_machine

    trainer = Trainer(["emma", "ava", "mia"], Config(steps=10**9, seed=3, n_embd=8, n_head=2, block_size=8))
    history = RunHistory(trainer.model.shapes)
    machine = make_time_machine(trainer, history)
    machine.most = 6  # a small budget, to see it double within a short test
    machine.every = 10
    reference = {}
    for _ in range(200):
        record = trainer.step()
        history.append(record)
        reference[record.step] = list(trainer.model.weights["wte"][0])
        if machine.due(record.step):
            machine.keep(capture(trainer))
    assert len(machine._snapshot_steps) <= 6 and machine.every <= 2 * 200 // 5  # bounded, and spaced by 200 steps
    gaps = [b - a for a, b in zip(machine._snapshot_steps, machine._snapshot_steps[1:])]
    assert max(gaps) <= machine.every
    for step in (7, 95, 151, 199):  # any step still replays to the very same numbers
        assert machine.weights_at(step)["wte"][0] == reference[step]


def test_the_nearest_name_among_megabyte_lines_is_bounded_not_computed_in_full():
    """Two 1 MB lines of data: each sample's nearest-name search took 2.5-7 s on the UI thread."""
    from microgpt_engine.insight.names import LONG, NameIndex, edit_distance

    long_a, long_b = "ab" * 500_000, "c" * 1_000_001
    index = NameIndex([long_a, long_b])
    near = index.nearest("abba")
    assert near.doc == long_a
    assert len(long_a) - 4 <= near.distance <= len(long_a)  # within a name's length of the truth
    assert near.distance == edit_distance("abba", long_a[:LONG]) + len(long_a) - LONG
    assert NameIndex(["emma", "ava", long_a]).nearest("emmy") == ("emma", 1)  # names: exact, as before
