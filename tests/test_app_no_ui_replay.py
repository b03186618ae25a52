"""No replay on the UI thread: looking at the last trained document (z, x, v), the glossary, compare and a fork
find every state they read at hand, and what they show is a fresh trainer's numbers to the bit."""

import re
import threading

import pytest
from app_helpers import DOCS, make_app, panel, trained, until
from lab_helpers import replays
from quick_pilot import act, keys

from microgpt_engine import Config, Trainer
from microgpt_engine.insight import timetravel
from microgpt_engine.insight.forward_trace import trace_forward
from microgpt_engine.train import evaluate_tokens
from microgpt_tui.features.forward.state import input_tokens

SIZE = (120, 40)
TINY = {"n_embd": 8, "n_head": 2, "block_size": 8}
STEPS = 44  # snapshots every 10 steps: the last step is not one, so step 43 is not kept


@pytest.fixture
def ui_replays(monkeypatch):
    """Every replay run on the main (UI) thread, as (from, to) steps: a test asserts there is none."""
    seen = []
    real = timetravel.replay_steps

    def watched(trainer, step, recorded, stop=lambda: False):
        if threading.current_thread() is threading.main_thread() and trainer.step_count < step:
            seen.append((trainer.step_count, step))
        return real(trainer, step, recorded, stop)

    monkeypatch.setattr(timetravel, "replay_steps", watched)
    return seen


def reference(steps):
    """A fresh trainer taken to `steps` (the same seed, data and config as the app's)."""
    trainer = Trainer(DOCS, Config(steps=STEPS, seed=42, **TINY))
    for _ in range(steps):
        trainer.step()
    return trainer


def evaluated(trainer, doc, ablate=frozenset()):
    tokenizer = trainer.tokenizer
    return evaluate_tokens(trainer.model, tokenizer, tokenizer.document(doc), frozenset(ablate))


async def test_z_x_and_v_on_the_last_trained_document_replay_nothing_and_show_step_43s_numbers(ui_replays):
    """One trained app: the hand-over with every view closed, then z, v (its trace) and x, each checked."""
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        lab = app.lab
        truth = reference(STEPS - 1)
        step, weights = lab.time.before  # every view closed: handed over all the same
        assert step == STEPS and lab.time.weights_ready(STEPS - 1)
        assert [w for rows in weights.values() for row in rows for w in row] == truth.model.flat_weights()
        assert lab.time.now == STEPS and not lab.time.ready(STEPS - 1)  # (no snapshot, no window: a replay on main)
        doc = lab.sequence.text
        await keys(pilot, "z")
        assert lab.interventions.ablation == {(0, 0)} and "ABLATED L0H0" in panel(app, "#tokens")
        seen = lab.shown()
        ablated, intact = evaluated(truth, doc, {(0, 0)}), evaluated(truth, doc)
        assert seen.probs == [p.probs for p in ablated.positions]
        assert seen.probs_before == [p.probs for p in intact.positions]
        await pilot.press("u", "v")  # v traces step 43's weights
        view = lab.forward.view()
        assert view.trace is not None and f"before step {STEPS}'s update" in view.source
        tokens = input_tokens(lab, lab.shown())
        assert view.trace == trace_forward(truth.model, tokens, view.trace.pos)
        await pilot.press("escape", "z", "v")  # the ablated trace, too
        ablated_trace = lab.forward.view()
        assert ablated_trace.trace == trace_forward(truth.model, tokens, ablated_trace.trace.pos, frozenset({(0, 0)}))
        await pilot.press("escape", "u", "x")
        assert lab.interventions.ablation == {(0, None)}
        assert lab.shown().probs == [p.probs for p in evaluated(truth, doc, {(0, None)}).positions]
        assert ui_replays == []


async def test_keys_that_read_past_weights_find_them_at_hand_after_a_run(ui_replays):
    """y (glossary), c (compare: its middle step replays off the UI thread), m, e, then z and v again; then on
    step 43, viewed (its state replayed off the UI thread), z, v, y, c and the quiz (p)."""
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        for key in ("y", "escape", "m", "escape", "e", "escape", "z", "v", "escape", "y", "escape"):
            await pilot.press(key)
        await pilot.press("c")
        await until(pilot, lambda: app.lab.travel.going.running is None and not app.lab.travel.moving)
        await pilot.pause()
        await pilot.press("escape", "u", "comma")
        await until(pilot, lambda: app.lab.viewed_step == STEPS - 1)
        for key in ("z", "v", "escape", "y", "escape", "c", "escape"):
            await pilot.press(key)
        assert re.search(r"viewing step 43 of 44", panel(app, "#status"))
        await pilot.press("p", "right", "p")  # the quiz on the viewed step (ablated by z above)
        assert app.lab.viewed_step == STEPS - 1
        assert ui_replays == []


async def test_z_after_single_steps_reads_the_weights_the_panels_showed_after_and_with_d_before_the_update(
    ui_replays,
):
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await act(pilot, *["step"] * STEPS)  # space, 44 times (the key's own action)
        await keys(pilot, "z")
        assert app.lab.time.now == STEPS and app.lab.interventions.ablation == {(0, 0)}
        truth = reference(STEPS)  # the panels showed the document after the last update: z keeps those weights
        assert app.lab.shown().probs == [p.probs for p in evaluated(truth, app.lab.sequence.text, {(0, 0)}).positions]
        await keys(pilot, "d")  # before the update: the weights the last step started from
        truth = reference(STEPS - 1)
        assert app.lab.shown().probs == [p.probs for p in evaluated(truth, app.lab.sequence.text, {(0, 0)}).positions]
        assert ui_replays == []


async def view_snapshot_step_40(pilot):
    """From step 44: , four times (43 is replayed off the UI thread; 42, 41 were passed; 40 is a snapshot)."""
    app = pilot.app
    for _ in range(4):
        await pilot.press("comma")
        await until(pilot, lambda: not app.lab.travel.moving)
    assert app.lab.viewed_step == 40 and app.lab.time.kept(40) and not app.lab.time.weights_ready(39)


async def test_a_fork_at_a_snapshot_step_waits_off_the_ui_thread_for_the_step_before_then_forks(
    ui_replays, monkeypatch
):
    from test_app_travel_off_thread import GatedReplays

    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await view_snapshot_step_40(pilot)
        replays = GatedReplays(monkeypatch)
        await pilot.press("r", "y")  # r from the past: fork, then train on
        await until(pilot, replays.started.is_set)
        lab = app.lab
        assert lab.travel.moving and lab.viewed_step == 40 and lab.trainer.step_count == STEPS  # not forked yet
        assert "forking at step 40 once step 39 is replayed… (replaying; the panels show step 40" in panel(
            app, "#status"
        )
        await pilot.press("r")  # waits, says why
        assert lab.mode == "paused" and "space, r and c wait" in lab.event
        replays.gate.set()
        await until(pilot, lambda: lab.mode == "paused" and lab.trainer.step_count == STEPS and lab.time.branches)
        assert replays.targets == [39] and lab.time.branches[0].fork_step == 40
        assert ui_replays == []


async def test_after_a_fork_at_a_snapshot_step_z_and_v_read_the_step_before_it_to_the_bit(ui_replays):
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await view_snapshot_step_40(pilot)
        await pilot.press("space", "y")  # fork at 40, then one step: 41
        await until(pilot, lambda: app.lab.trainer.step_count == 41 and not app.lab.travel.moving)
        await pilot.pause()
        lab = app.lab
        assert lab.time.branches[0].fork_step == 40 and lab.sequence.step == 41
        await keys(pilot, "d", "z")  # the step's document before its update (d), ablated
        truth = reference(40)
        assert lab.shown().probs == [p.probs for p in evaluated(truth, lab.sequence.text, {(0, 0)}).positions]
        await pilot.press("u", "v")  # ... and traced
        view = lab.forward.view()
        assert "before step 41's update" in view.source
        assert view.trace == trace_forward(truth.model, input_tokens(lab.session, lab.shown()), view.trace.pos)
        assert ui_replays == []


def test_the_fork_record_is_the_fork_steps_document_seen_with_the_weights_before_it(small_docs):
    """Without an app: fork_answer at a kept step plans the step before, and the record it forks to once that
    lands is the step's own, made by those weights (never a replay here)."""
    from microgpt_tui.core.lab import Lab

    lab = Lab(Trainer(small_docs, Config(steps=30, seed=3, n_embd=8, n_head=2)), small_docs)
    lab.begin()
    for _ in range(22):
        lab.step()
    lab.travel.go(20)
    assert lab.viewed_step == 20 and lab.time.kept(20) and not lab.time.weights_ready(19)
    change = lab.travel.fork_answer("fork", "run")
    assert replays(lab, change) == 1 and lab.trainer.step_count == 22 and lab.travel.going.running.step == 19
    lab.travel.landed(lab.travel.replay_work().run())
    assert lab.trainer.step_count == 20 and lab.training  # forked, and the run starts from there
    latest = lab.stepping.latest
    twin = Trainer(small_docs, Config(steps=30, seed=3, n_embd=8, n_head=2))
    for _ in range(19):
        twin.step()
    seen = twin.evaluate(latest.doc)
    assert latest.step == 20 and latest.doc == lab.history.summary(20).doc
    assert [p.probs for p in latest.positions] == [p.probs for p in seen.positions]


def test_the_matrix_views_update_is_at_hand_after_any_step_and_says_what_to_do_before_one(small_docs):
    from microgpt_tui.core.lab import Lab

    lab = Lab(Trainer(small_docs, Config(steps=30, seed=3, n_embd=8, n_head=2)), small_docs)
    lab.begin()
    lab.matrices.kind = "delta"
    assert lab.matrices.view().message == "no update at hand: take a step (space)"
    lab.step()
    assert lab.matrices.view().cells is not None and lab.time.before[0] == 1
