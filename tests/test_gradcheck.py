"""Finite-difference checks: each fused op and the whole model's loss (float64, central differences)."""

import random

import pytest

from microgpt_engine import Config, Trainer
from microgpt_engine.ops import ENGINES, FloatOps, FusedOps
from microgpt_engine.tape import Tape
from microgpt_engine.train import run_document

H = 1e-6


def tape_with(xs):
    ops = FusedOps({})
    ops.tape = Tape()
    ids = [ops.tape.leaf(x, "x") for x in xs]
    return ops, ids


def readout(values, weights):
    return sum(v * w for v, w in zip(values, weights))


FUSED_OPS = {
    "dot": (lambda o, ids: [o.dot(ids[:3], ids[3:6])], 6),
    "rmsnorm": (lambda o, ids: o.rmsnorm(ids), 5),
    "softmax": (lambda o, ids: o.softmax(ids), 5),
    "cross_entropy": (lambda o, ids: [o.cross_entropy(ids, 2)[0]], 5),
    "relu": (lambda o, ids: o.relu(ids), 5),
    "mean": (lambda o, ids: [o.mean(ids)], 5),
    "add": (lambda o, ids: o.add(ids[:2], ids[2:4]), 4),
    "scale": (lambda o, ids: [o.scale(ids[0], 0.37)], 1),
    # A linear layer's rows are parameter rows: contiguous runs of leaf ids.
    "linear": (lambda o, ids: o.linear(ids[:3], [range(3, 6), range(6, 9)]), 9),
}


@pytest.mark.parametrize("name", list(FUSED_OPS))
def test_fused_op_gradient_matches_central_differences(name):
    build, n = FUSED_OPS[name]
    rng = random.Random(name)
    xs = [rng.uniform(-1.5, 1.5) for _ in range(n)]
    if name == "relu":
        xs = [x if abs(x) > 0.1 else 0.5 for x in xs]  # stay away from the kink
    ops, ids = tape_with(xs)
    outs = build(ops, ids)
    weights = [rng.uniform(-1, 1) for _ in outs]
    # Reduce to one scalar with a fixed weighted sum, then backprop.
    total = ops.dot(outs, [ops.tape.leaf(w, "w") for w in weights])
    grad = ops.tape.backward(total)

    def f(values):
        o, i = tape_with(values)
        return readout([o.data(x) for x in build(o, i)], weights)

    for k in range(n):
        up, down = list(xs), list(xs)
        up[k] += H
        down[k] -= H
        numeric = (f(up) - f(down)) / (2 * H)
        assert grad[ids[k]] == pytest.approx(numeric, rel=1e-5, abs=1e-7), f"d/dx{k}"


@pytest.mark.parametrize("engine", ["fused", "plain"])
def test_whole_model_loss_gradient_matches_central_differences(engine):
    config = Config(n_embd=8, n_head=2, n_layer=2, block_size=6, seed=3)
    trainer = Trainer(["anna", "bob", "carla", "dominique"], config, engine=engine)
    model = trainer.model
    tokens = trainer.tokenizer.document("dominique")  # longer than the block: cropped
    ops = ENGINES[engine](model.weights)
    loss, _, _, _ = run_document(model, ops, tokens)
    ops.backward(loss)
    grads = ops.param_grads(list(model.shapes))
    flat = model.flat_weights()

    def loss_at(values):
        model.set_flat_weights(values)
        return run_document(model, FloatOps(model.weights), tokens)[0]

    rng = random.Random(0)
    live = [i for i, g in enumerate(grads) if abs(g) > 1e-6]
    dead = [i for i, g in enumerate(grads) if g == 0]  # e.g. embeddings of unseen tokens
    assert len(live) > 100 and dead
    for i in rng.sample(live, 40) + rng.sample(dead, 5):
        up, down = list(flat), list(flat)
        up[i] += H
        down[i] -= H
        numeric = (loss_at(up) - loss_at(down)) / (2 * H)
        assert grads[i] == pytest.approx(numeric, rel=1e-4, abs=1e-7), f"parameter {i}"
    model.set_flat_weights(flat)
