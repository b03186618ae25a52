"""Pilot tests for time travel: , . < > view earlier and later steps, c compares, training from the past forks."""

import re

from app_helpers import (
    landed,
    make_app,
    palette_searched,
    panel,
    press_sent,
    settled,
    trained,
    until,
    wait_until,
    widget_text,
)
from quick_pilot import keys, palette_typed

from microgpt_tui.features.time_travel.compare_screen import CompareScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen

SIZE = (120, 40)


def shown_percents(text):
    """The bars' percentages as printed (the header's p is the first)."""
    return re.findall(r"(\d+\.\d)%", text)[1:]


def as_printed(probs):
    return [f"{p * 100:.1f}" for p in sorted(probs, reverse=True)]


def rows(panel):
    """What the parameter table shows of each matrix."""
    return [(r.name, r.mean, r.std, r.grad_norm) for r in panel.view.rows]


def stats(params):
    return [(p.name, p.mean, p.std, p.grad_norm) for p in params]


async def train_all(pilot):
    """Press r and wait until training stops at the configured number of steps (quicker than spaces)."""
    await trained(pilot)
    assert pilot.app.lab.trainer.done


def trained_state(app):
    adam = app.lab.trainer.optimizer.state()
    return app.lab.trainer.step_count, app.lab.trainer.model.flat_weights(), list(adam["m"]), list(adam["v"]), adam["t"]


async def test_comma_twice_shows_step_3_of_5_everywhere_full_stop_comes_back_and_looking_changes_nothing():
    """, , shows step 3 of 5 in every panel and . . comes back to now; then more looking back and comparing:
    none of it changes the trained state."""
    app = make_app(steps=5)
    async with app.run_test(size=SIZE) as pilot:
        await train_all(pilot)
        before = trained_state(app)
        doc, position = app.lab.sequence.text, app.lab.selection.position
        live = panel(app, "#tokens")
        await pilot.press("comma", "comma")
        await landed(pilot)
        assert app.lab.viewed_step == 3
        assert "viewing step 3 of 5 (now)" in panel(app, "#status")
        then = app.lab.time.view_at(3, doc)
        tokens = panel(app, "#tokens")
        assert "step 3/5" in tokens.splitlines()[0]
        assert shown_percents(tokens) == as_printed(then.positions[position].probs)
        assert "step 3/5" in panel(app, "#attention").splitlines()[-1]
        assert app.main.query_one("#attention").sequence.attention == then.attention
        params = app.main.query_one("#params")
        assert rows(params) == stats(app.lab.history.summary(3).params) and "step 3" in params.border_title
        assert app.main.query_one("#loss").view.viewed_step == 3
        await pilot.press("full_stop")
        assert app.lab.viewed_step == 4 and "viewing step 4 of 5" in panel(app, "#status")
        await pilot.press("full_stop")
        assert app.lab.viewed_step is None
        assert "back to now: step 5" in panel(app, "#status")
        assert panel(app, "#tokens") == live  # exactly the live panel again
        assert rows(app.main.query_one("#params")) == stats(app.lab.stepping.latest.params)
        assert app.main.query_one("#loss").view.viewed_step is None
        await pilot.press("comma", "comma", "comma", "less_than_sign", "full_stop")
        await landed(pilot)  # (c waits for the step asked for)
        await pilot.press("c")
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("right", "l", "escape", "greater_than_sign")
        assert app.lab.viewed_step is None
        assert trained_state(app) == before


async def test_less_than_and_greater_than_jump_ten_steps_within_the_run():
    app = make_app(steps=12)
    async with app.run_test(size=SIZE) as pilot:
        await train_all(pilot)
        await pilot.press("less_than_sign")
        await landed(pilot)
        assert app.lab.viewed_step == 2
        await pilot.press("less_than_sign")
        assert app.lab.viewed_step == 0 and "the initial weights" in panel(app, "#status")
        assert all(
            row.mean is None for row in app.main.query_one("#params").view.rows
        )  # before any update: no statistics
        await pilot.press("greater_than_sign")
        await landed(pilot)
        assert app.lab.viewed_step == 10
        await pilot.press("greater_than_sign")
        assert app.lab.viewed_step is None


async def test_space_while_viewing_the_past_of_a_finished_run_asks_then_forks_and_keeps_the_later_steps_as_a_branch():
    """(First the fork dialog's answers that fork nothing: escape stays in the past, n returns to now.)"""
    app = make_app(steps=5)
    async with app.run_test(size=SIZE) as pilot:
        await train_all(pilot)
        assert app.check_action("step", ()) is None  # the run is over…
        await pilot.press("comma")
        await landed(pilot)
        await pilot.press("space", "escape")
        assert app.lab.viewed_step == 4 and app.lab.trainer.step_count == 5
        await pilot.press("space", "n")
        assert app.lab.viewed_step is None and app.lab.trainer.step_count == 5
        assert not app.lab.time.branches
        old_losses = app.lab.history.losses
        await pilot.press("comma", "comma")
        await landed(pilot)
        assert app.check_action("step", ()) is True  # …but from the past it can fork
        await keys(pilot, "space")
        assert isinstance(app.screen, ForkScreen)
        question = str(app.screen.query_one("#fork-question").render())
        assert "the 2 later steps (4–5) are kept as a branch, not lost" in question
        await pilot.press("y")
        assert app.lab.trainer.step_count == 4  # rewound to 3, then one step
        branch = app.lab.time.branches[0]
        assert branch.fork_step == 3 and (branch.history.start, branch.history.now) == (3, 5)
        assert branch.history.losses == old_losses[3:]
        assert app.lab.viewed_step is None and len(app.lab.history) == 4
        assert app.lab.history.losses == old_losses[:4]
        status = panel(app, "#status")
        assert "forked at step 3" in status and "branch 1" in status and "step 4/5" in status
        # Training is deterministic: redoing step 4 from the same state gives the same loss.
        assert app.lab.stepping.latest.step == 4 and app.lab.stepping.latest.loss == old_losses[3]


async def test_r_while_viewing_the_past_forks_then_trains_from_there():
    app = make_app(steps=8)
    async with app.run_test(size=SIZE) as pilot:
        await train_all(pilot)
        await pilot.press("comma", "less_than_sign")
        await landed(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, ForkScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert app.lab.trainer.step_count == 8 and app.lab.time.now == 8
        assert app.lab.time.branches[0].fork_step == 0  # 8 - 1 - 10, clamped to the start
        branch = app.lab.time.branches[0].history
        assert (branch.start, branch.now) == (0, 8)
        assert len(app.lab.history) == 8


async def test_comma_while_training_pauses_first_then_views_the_step_before():
    app = make_app(steps=1000)
    async with app.run_test(size=SIZE) as pilot:
        await press_sent(pilot, "r")  # (sent, not pressed: while training Pilot waits ~1 s for an idle CPU)
        await until(pilot, lambda: app.lab.trainer.step_count >= 2)  # (no settle: it waits for an idle CPU too)
        await press_sent(pilot, "comma")
        await landed(pilot)
        assert app.lab.mode == "paused"
        now = app.lab.trainer.step_count
        assert app.lab.time.now == now and app.lab.viewed_step == now - 1
        await settled(pilot)  # the worker has ended
        assert app.lab.trainer.step_count == now  # nothing trains behind the past view


async def test_palette_offers_time_travel_go_to_step_asks_for_a_number_and_c_compares_three_steps():
    app = make_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        assert app.check_action("view_step", ()) is None  # nothing to look back at yet
        await train_all(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "view earlier step (,)" in titles and "compare steps (c)" in titles
        assert "go to step… (time travel)" in titles
        await palette_typed(pilot, "go to step")
        await palette_searched(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, GoToStepScreen))
        await pilot.press("9", "enter")
        assert "not a step of this run" in str(app.screen.query_one("#goto-error").render())
        await pilot.press("backspace", "1", "enter")
        await landed(pilot)
        assert app.lab.viewed_step == 1 and "viewing step 1 of 4" in panel(app, "#status")
        # then step 2: c compares the start, the viewed step and now on the same document
        await pilot.press("full_stop")
        await landed(pilot)
        assert app.lab.viewed_step == 2
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        doc = app.lab.sequence.text
        columns = [widget_text(w) for w in screen.query(".compare-column")]
        assert len(columns) == 3
        for text, (step, name) in zip(columns, [(0, "start"), (2, "viewed"), (4, "now")]):
            assert f"step {step} ({name})" in text
            assert f"loss {app.lab.time.view_at(step, doc).loss:.3f} · bars: T 1 (raw)" in text
        await keys(pilot, "right")
        assert "pos 1" in widget_text(screen.query_one("#compare-caption"))
        await pilot.press("escape")
        assert app.screen is app.main and app.lab.selection.position == 1
