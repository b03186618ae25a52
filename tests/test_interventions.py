"""Ablations: what switching heads off changes, measured without touching the weights."""

import math

import pytest

from engine import Config, Trainer
from engine.interventions import all_heads, compare_ablation, head_effects, kl_divergence, total_variation

CONFIG = Config(n_embd=8, n_head=2, n_layer=2, steps=50, seed=11)


@pytest.fixture
def trainer(small_docs):
    trainer = Trainer(small_docs, CONFIG)
    for _ in range(15):
        trainer.step()
    return trainer


def state(trainer):
    return trainer.model.flat_weights(), trainer.optimizer.state(), trainer.step_count


def test_ablation_helpers_leave_weights_adam_and_step_count_untouched(trainer, small_docs):
    before = state(trainer)
    compare_ablation(trainer, small_docs[0], {(0, None), (1, 1)})
    head_effects(trainer, small_docs[1])
    assert state(trainer) == before


def test_an_empty_ablation_changes_nothing(trainer, small_docs):
    rec = compare_ablation(trainer, small_docs[2], set())
    assert rec.loss_after == rec.loss_before
    assert rec.probs_after == rec.probs_before
    assert rec.kl == [0.0] * len(rec.kl) and rec.total_variation == [0.0] * len(rec.kl)


def test_ablating_a_layer_moves_the_predictions_and_matches_evaluate(trainer, small_docs):
    doc = small_docs[3]
    rec = compare_ablation(trainer, doc, {(0, None)})
    assert rec.loss_before == trainer.evaluate(doc).loss
    assert rec.loss_after == trainer.evaluate(doc, frozenset({(0, None)})).loss
    assert rec.loss_after != rec.loss_before
    assert len(rec.kl) == len(rec.total_variation) == len(doc) + 1 == len(rec.tokens) - 1
    assert all(0.0 <= tv <= 1.0 for tv in rec.total_variation)
    assert all(kl >= 0.0 for kl in rec.kl)
    assert max(rec.total_variation) > 0.0
    # The first position attends only to itself, and its one weight is still 1.0.
    assert rec.attention_after[0][0][0] == [1.0]
    assert rec.p_target_after == [p[t] for p, t in zip(rec.probs_after, rec.tokens[1:])]
    assert rec.ablate == [(0, None)]


def test_bad_layers_or_heads_are_refused_with_a_clear_message(trainer):
    with pytest.raises(ValueError, match="layer must be in 0..1"):
        compare_ablation(trainer, "emma", {(2, 0)})
    with pytest.raises(ValueError, match="head must be None or in 0..1"):
        compare_ablation(trainer, "emma", {(0, 2)})


def test_head_effects_gives_one_loss_change_per_head(trainer, small_docs):
    doc = small_docs[5]
    effects = head_effects(trainer, doc)
    assert [(e.layer, e.head) for e in effects] == all_heads(CONFIG) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    for e in effects:
        rec = compare_ablation(trainer, doc, {(e.layer, e.head)})
        assert e.loss_delta == rec.loss_after - rec.loss_before


def test_total_variation_and_kl_on_hand_computed_distributions():
    p, q = [0.5, 0.5, 0.0], [0.25, 0.75, 0.0]
    assert total_variation(p, q) == 0.25
    assert kl_divergence(p, q) == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3))
    assert kl_divergence([1.0, 0.0], [0.0, 1.0]) == math.inf
    assert kl_divergence(q, q) == 0.0
