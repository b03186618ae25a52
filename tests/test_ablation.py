"""Ablations in the forward pass: switching heads off changes the predictions, never the weights."""

import pytest

from microgpt_engine import Config, Trainer

CONFIG = Config(n_embd=8, n_head=2, n_layer=2, steps=50, seed=11)


@pytest.fixture
def trainer(small_docs):
    trainer = Trainer(small_docs, CONFIG)
    for _ in range(15):
        trainer.step()
    return trainer


def state(trainer):
    return trainer.model.flat_weights(), trainer.optimizer.state(), trainer.step_count


def test_evaluating_with_an_ablation_leaves_weights_adam_and_step_count_untouched(trainer, small_docs):
    before = state(trainer)
    trainer.evaluate(small_docs[0], frozenset({(0, None), (1, 1)}))
    assert state(trainer) == before


def test_an_empty_ablation_changes_nothing(trainer, small_docs):
    assert trainer.evaluate(small_docs[2], frozenset()) == trainer.evaluate(small_docs[2])


def test_ablating_a_layer_moves_the_predictions_but_not_the_attention_weights_of_the_first_position(
    trainer, small_docs
):
    doc = small_docs[3]
    intact, ablated = trainer.evaluate(doc), trainer.evaluate(doc, frozenset({(0, None)}))
    assert ablated.loss != intact.loss
    assert len(ablated.positions) == len(doc) + 1
    assert any(a.probs != b.probs for a, b in zip(intact.positions, ablated.positions))
    # The first position attends only to itself, and its one weight is still 1.0.
    assert ablated.attention[0][0][0] == [1.0]


def test_ablating_one_head_differs_from_ablating_its_whole_layer(trainer, small_docs):
    doc = small_docs[5]
    one = trainer.evaluate(doc, frozenset({(1, 0)})).loss
    layer = trainer.evaluate(doc, frozenset({(1, None)})).loss
    both = trainer.evaluate(doc, frozenset({(1, 0), (1, 1)})).loss
    assert one != layer and both == layer
