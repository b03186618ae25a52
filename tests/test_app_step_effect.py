"""One step shows its effect: p before → after, the old bars behind the new, attention before/after (d),
the letters that moved most, and what the update did to each matrix."""

import math
import re

import pytest
from app_helpers import make_app, panel
from quick_pilot import keys

from microgpt_engine import GPT
from microgpt_engine.train import evaluate_tokens
from microgpt_tui.features.forward.state import input_tokens

SIZE = (120, 40)


def fresh(lab, weights, doc):
    """The document evaluated from scratch with `weights` (no record of the step involved)."""
    trainer = lab.trainer
    model = GPT(trainer.config, trainer.model.vocab_size, weights=weights)
    tokens = trainer.tokenizer.document(doc[: trainer.config.block_size])
    return evaluate_tokens(model, trainer.tokenizer, tokens)


def flat(weights, name):
    return [w for row in weights[name] for w in row]


async def test_space_shows_p_before_and_after_from_fresh_evaluations_and_d_shows_before_the_update():
    """Two steps: p before → after at positions 0 and 2 and the note, from fresh evaluations with the old and new
    weights; then d shows the attention and bars before the update, and the table what the update did."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        lab = app.lab
        step, old = lab.forward.before
        assert step == 2
        doc = lab.stepping.latest.doc
        then, now = fresh(lab, old, doc), fresh(lab, lab.trainer.model.weights, doc)
        shown = lab.shown()
        assert shown.probs_before == [p.probs for p in then.positions]
        assert shown.probs == [p.probs for p in now.positions] and shown.attention == now.attention
        for pos in (0, 2):
            await pilot.press(*(["right"] * pos))
            target = then.positions[pos].target
            before, after = then.positions[pos].probs[target], now.positions[pos].probs[target]
            text = panel(app, "#tokens")
            assert f"p {before * 100:.1f}% → {after * 100:.1f}%" in text and "after step 2" in text.splitlines()[0]
            assert "│" in text.split("\n", 5)[-1]  # the old distribution behind the bars
        note = lab.event
        assert "more likely" in note and ", less " in note and "positions, points of p: " in note
        change = [
            sum(a.probs[t] - b.probs[t] for a, b in zip(now.positions, then.positions)) / len(now.positions)
            for t in range(len(lab.vocab_labels))
        ]
        top = max(range(len(change)), key=lambda t: change[t])
        assert f"more likely {lab.vocab_labels[top]} {change[top] * 100:+.1f}" in note

        # d, on the same step at position 1: the attention and bars before the update, the table what it did
        await keys(pilot, "left")
        assert lab.selection.position == 1
        old = lab.forward.before[1]
        then, now = (
            fresh(lab, old, lab.stepping.latest.doc),
            fresh(lab, lab.trainer.model.weights, lab.stepping.latest.doc),
        )
        attention = app.main.query_one("#attention")
        assert attention.sequence.attention == now.attention
        await keys(pilot, "d")
        assert attention.sequence.attention == then.attention and "before step 2" in panel(app, "#attention")
        target = then.positions[1].target
        before, after = then.positions[1].probs[target], now.positions[1].probs[target]
        assert f"p {before * 100:.1f}% (→ {after * 100:.1f}% after)" in panel(app, "#tokens")
        table = panel(app, "#params")
        assert "what step 2 did" in table and "|Δ|" in table and "mean|m|" in table
        new = lab.trainer.model.weights
        for row in app.main.query_one("#params").view.rows:
            delta = [a - b for a, b in zip(flat(new, row.name), flat(old, row.name))]
            assert row.update_norm == pytest.approx(math.hypot(*delta), rel=1e-9)
            assert row.update_max == pytest.approx(max(delta, key=abs), rel=1e-9)
        m = lab.trainer.optimizer.m[: 27 * 16]
        wte = next(r for r in app.main.query_one("#params").view.rows if r.name == "wte")
        assert wte.m_mean_abs == pytest.approx(sum(map(abs, m)) / len(m))
        assert re.search(rf"wte\s+27×16\s+{wte.update_norm:.3f}", table)
        await keys(pilot, "d")
        assert attention.sequence.attention == now.attention and "what step" not in panel(app, "#params")


async def test_the_forward_view_shows_the_model_the_bars_show_after_and_before_the_update():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "right", "v")
        lab = app.lab
        view = lab.forward.view()
        assert "after step 1's update" in view.source and list(view.trace.probs) == lab.shown().probs[1]
        assert lab.event.startswith("step 1 on")
        assert app.screen.query_one("#forward-note").render().plain == lab.status_note()  # the step's loss, here too
        await keys(pilot, "d")
        view = lab.forward.view()
        assert "before step 1's update" in view.source and list(view.trace.probs) == lab.shown().probs[1]
        assert input_tokens(lab.session, lab.shown())[0] == lab.trainer.tokenizer.bos


def test_most_changed_names_the_letters_whose_mean_p_rose_and_fell_most():
    from microgpt_tui.features.training.step_effect import most_changed

    before = [[0.5, 0.3, 0.2], [0.4, 0.4, 0.2]]
    after = [[0.3, 0.3, 0.4], [0.3, 0.4, 0.3]]  # a: -0.15, b: 0, c: +0.15 on average
    said = "mean of 2 positions, points of p: more likely c +15.0, less a −15.0"  # the mean and the unit, said
    assert most_changed(before, after, ["a", "b", "c"], top=2) == said
    assert most_changed(before[:1], after[:1], ["a", "b", "c"], top=1).startswith("at its one position, points of p")
    assert most_changed(before, before, ["a", "b", "c"]) == "no letter moved"
