"""The matrix view's numbers: cells cut from the flat state, the update Δ, the histogram, and the nudge check."""

import pytest

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.matrices import histogram, largest, matrix_of, nudge, offsets

DOCS = load_documents(bundled_names_path())[:50]


@pytest.fixture(scope="module")
def stepped():
    trainer = Trainer(DOCS, Config(steps=20, seed=42))
    trainer.step()
    before = {n: [r[:] for r in rows] for n, rows in trainer.model.weights.items()}
    doc = trainer.document()
    trainer.step()
    grads = trainer.last_ops.param_grads(list(trainer.model.shapes))
    return trainer, before, doc, list(grads)


def test_matrix_of_cuts_each_matrix_out_of_the_flat_weights(stepped):
    trainer = stepped[0]
    flat = trainer.model.flat_weights()
    for name, rows in trainer.model.weights.items():
        assert matrix_of(trainer.model.shapes, flat, name) == rows
    assert offsets(trainer.model.shapes)["wpe"] == trainer.model.vocab_size * trainer.config.n_embd


@pytest.mark.parametrize("name", ["wte", "lm_head", "layer0.attn_wv", "layer0.mlp_fc1"])
def test_the_nudge_estimate_is_autograds_gradient_to_a_millionth(stepped, name):
    trainer, before, doc, grads = stepped
    shapes = trainer.model.shapes
    cells = largest(matrix_of(shapes, grads, name), 1)
    row, col, grad = cells[0]
    assert abs(grad) > 1e-3
    check = nudge(before, trainer.model, trainer.tokenizer, doc, name, row, col, grad)
    assert check.estimate == pytest.approx(grad, rel=1e-6) and check.relative_error < 1e-6
    assert check.loss_plus != check.loss_minus
    assert (
        before[name][row][col]
        == matrix_of(shapes, [w for rows in before.values() for r in rows for w in r], name)[row][col]
    )


def test_histogram_is_symmetric_about_zero_and_counts_every_value():
    lo, hi, counts = histogram([-2.0, -0.1, 0.0, 0.1, 1.0], bins=5)
    assert (lo, hi) == (-2.0, 2.0) and sum(counts) == 5 and counts == [1, 0, 3, 1, 0]
    assert largest([[0.1, -3.0], [2.0, 0.0]], 2) == [(0, 1, -3.0), (1, 0, 2.0)]
