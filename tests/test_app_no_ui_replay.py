"""No replay on the UI thread: looking at the last trained document (z, x, v), the glossary, compare and a fork
find every state they read at hand, and what they show is a fresh trainer's numbers to the bit."""

import re
import threading

import pytest
from app_helpers import DOCS, make_app, panel, trained, until

from microgpt_engine import Config, Trainer
from microgpt_engine.insight import timetravel
from microgpt_engine.insight.forward_trace import trace_forward
from microgpt_engine.train import evaluate_tokens
from microgpt_tui.lab.forward import input_tokens

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


async def test_z_and_x_on_the_last_trained_document_replay_nothing_and_show_step_43s_numbers(ui_replays):
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        lab = app.lab
        assert lab.time.now == STEPS and not lab.time.ready(STEPS - 1)  # (no snapshot, no window: a replay on main)
        doc = lab.sequence.text
        truth = reference(STEPS - 1)
        await pilot.press("z")
        assert lab.interventions.ablation == {(0, 0)} and "ABLATED L0H0" in panel(app, "#tokens")
        seen = lab.shown()
        ablated, intact = evaluated(truth, doc, {(0, 0)}), evaluated(truth, doc)
        assert seen.probs == [p.probs for p in ablated.positions]
        assert seen.probs_before == [p.probs for p in intact.positions]
        await pilot.press("u", "x")
        assert lab.interventions.ablation == {(0, None)}
        assert lab.shown().probs == [p.probs for p in evaluated(truth, doc, {(0, None)}).positions]
        assert ui_replays == []


async def test_v_on_the_last_trained_document_replays_nothing_and_traces_step_43s_weights(ui_replays):
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("v")
        view = app.lab.inside.forward_view()
        assert view.trace is not None and f"before step {STEPS}'s update" in view.source
        truth = reference(STEPS - 1)
        tokens = input_tokens(app.lab, app.lab.shown())
        assert view.trace == trace_forward(truth.model, tokens, view.trace.pos)
        await pilot.press("escape", "z", "v")  # the ablated trace, too
        ablated = app.lab.inside.forward_view()
        assert ablated.trace == trace_forward(truth.model, tokens, ablated.trace.pos, frozenset({(0, 0)}))
        assert ui_replays == []


async def test_training_with_every_view_closed_hands_over_the_weights_the_last_step_started_from():
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        step, weights = app.lab.time.before
        assert step == STEPS and app.lab.time.weights_ready(STEPS - 1)
        flat = [w for rows in weights.values() for row in rows for w in row]
        assert flat == reference(STEPS - 1).model.flat_weights()


async def test_keys_that_read_past_weights_find_them_at_hand_after_a_run(ui_replays):
    """y (glossary), c (compare: its middle step replays off the UI thread), m, e, then z and v again."""
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
        assert ui_replays == []


async def test_z_after_single_steps_reads_the_weights_the_last_one_started_from(ui_replays):
    app = make_app(steps=STEPS, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["space"] * STEPS, "z")
        assert app.lab.time.now == STEPS and app.lab.interventions.ablation == {(0, 0)}
        truth = reference(STEPS - 1)
        assert app.lab.shown().probs == [p.probs for p in evaluated(truth, app.lab.sequence.text, {(0, 0)}).positions]
        assert ui_replays == []
