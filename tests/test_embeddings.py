"""PCA of the embeddings in pure Python: exact on hand-computable cases, orthogonal, deterministic."""

import random

import pytest

from microgpt_engine import Config, Trainer
from microgpt_engine.insight.embeddings import covariance, dot, embedding_map, mat_vec, pca


def test_points_on_a_line_put_all_the_variance_on_the_first_axis():
    direction = [1.0, -2.0, 0.5, 3.0]
    offset = [0.3, 0.1, -1.0, 2.0]
    rows = [[o + t * d for o, d in zip(offset, direction)] for t in (-2.0, -0.5, 0.0, 1.0, 4.0)]
    fit = pca(rows)
    assert fit.explained[0] == pytest.approx(1.0, abs=1e-12)
    assert fit.explained[1] == pytest.approx(0.0, abs=1e-12)
    unit = [d / dot(direction, direction) ** 0.5 for d in direction]
    assert abs(dot(fit.components[0], unit)) == pytest.approx(1.0, abs=1e-12)
    assert fit.components[0][3] > 0  # sign convention: the largest entry is positive


def test_an_axis_aligned_cross_gives_the_hand_computed_variances():
    # x spread: (9 + 9) / 4 = 4.5; y spread: (1 + 1) / 4 = 0.5; z: none.
    rows = [[3.0, 0.0, 0.0], [-3.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, -1.0, 0.0]]
    fit = pca(rows)
    assert fit.variances == pytest.approx([4.5, 0.5], abs=1e-12)
    assert fit.total_variance == 5.0
    assert fit.explained == pytest.approx([0.9, 0.1], abs=1e-12)
    assert fit.components[0] == pytest.approx([1.0, 0.0, 0.0], abs=1e-12)
    assert fit.components[1] == pytest.approx([0.0, 1.0, 0.0], abs=1e-12)
    assert fit.project([3.0, 0.0, 0.0]) == pytest.approx([3.0, 0.0], abs=1e-12)


def test_components_are_orthonormal_eigenvectors_of_the_covariance():
    rng = random.Random(0)
    scales = [3.0, 2.0, 1.0, 0.5, 0.2, 0.1]
    rows = [[rng.gauss(0, s) for s in scales] for _ in range(200)]
    fit = pca(rows)
    _, cov = covariance(rows)
    u1, u2 = fit.components
    assert dot(u1, u1) == pytest.approx(1.0, abs=1e-12) and dot(u2, u2) == pytest.approx(1.0, abs=1e-12)
    assert abs(dot(u1, u2)) < 1e-10
    for u, lam in zip(fit.components, fit.variances):
        assert mat_vec(cov, u) == pytest.approx([lam * x for x in u], abs=1e-9)
    assert fit.variances[0] >= fit.variances[1] > 0
    # The variance of the projections is the eigenvalue.
    xs = [fit.project(r)[0] for r in rows]
    assert sum(x * x for x in xs) / len(xs) == pytest.approx(fit.variances[0], rel=1e-9)


def test_the_sign_convention_makes_the_axes_independent_of_the_datas_orientation():
    rng = random.Random(1)
    rows = [[rng.gauss(0, 2), rng.gauss(0, 1), rng.gauss(0, 0.3)] for _ in range(50)]
    flipped = [[-x for x in r] for r in rows]
    assert pca(rows).components == pca(flipped).components
    for u in pca(rows).components:
        assert max(u, key=abs) > 0


def test_a_single_point_has_no_spread_and_zero_axes():
    fit = pca([[1.0, 2.0]])
    assert fit.explained == [0.0, 0.0] and fit.components == [[0.0, 0.0], [0.0, 0.0]]


def test_embedding_map_places_every_token_with_its_label(small_docs):
    trainer = Trainer(small_docs, Config(n_embd=8, n_head=2, steps=10))
    emap = embedding_map(trainer.model.weights, trainer.tokenizer)
    tok = trainer.tokenizer
    assert [p.token for p in emap.points] == list(range(tok.vocab_size))
    assert [p.label for p in emap.points] == [tok.label(i) for i in range(tok.vocab_size)]
    assert emap.points[-1].label == "◆"
    assert sum(p.x for p in emap.points) == pytest.approx(0.0, abs=1e-12)  # centred
    assert 0 < emap.explained[1] <= emap.explained[0] < 1
    positions = embedding_map(trainer.model.weights, tok, matrix="wpe")
    assert [p.label for p in positions.points] == [str(i) for i in range(trainer.config.block_size)]
