"""The fused tape is the textbook graph, only faster: same numbers as `Value`, node for node.

- forward: the fused loss and probabilities equal the plain (`Value`) ones and the
  graph-free `FloatOps` ones bit for bit (the same float operations in the same order);
- backward: every parameter's gradient equals the plain engine's to 1e-12 (only the
  order in which contributions are added up differs);
- the fused backward is the chain rule over the edges the tape shows (`edges(i)`);
- three Trainer steps later the weights still agree to 1e-12.

Small synthetic documents keep the suite fast.
"""

import math

import pytest

from microgpt_engine import Config, Trainer
from microgpt_engine.ops import FloatOps, FusedOps, PlainOps
from microgpt_engine.train import run_document

DEFAULT = Config()  # n_embd 16, 4 heads, 1 layer, block 16
DEEP = Config(n_layer=2, n_head=2, n_embd=8, block_size=8)

NAMES = ["emma", "olivia", "ava", "noah", "liam", "mia"]
UNICODE = ["Émile", "Zoë", "ÅSA", "naïve", "Ólafur", "MIA"]

CASES = {
    # (config, training documents, documents to compare on)
    "default": (DEFAULT, NAMES, ["ab", "olivia", "aaaaaaaaaaaaaaaaaaaa", "emmaemmaemmaemmaemma"]),
    "2 layers, 2 heads, 8 wide, block 8": (DEEP, NAMES, ["a", "mia", "liamliamliam", "aavvaa"]),
    "uppercase and unicode vocabulary": (DEFAULT, UNICODE, ["Zoë", "ÉmileÉmileÉmile", "naïve", "ÅÅÅÅ"]),
}


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def run(trainer, ops_class, doc):
    """Loss value, per-position probabilities, parameter gradients (None for FloatOps)."""
    model = trainer.model
    ops = ops_class(model.weights)
    loss, positions, _, _ = run_document(model, ops, trainer.tokenizer.document(doc))
    probs = [p.probs for p in positions]
    if ops_class is FloatOps:
        return loss, probs, None, ops
    ops.backward(loss)
    return ops.data(loss), probs, ops.param_grads(list(model.shapes)), ops


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    config, train_docs, docs = CASES[request.param]
    trainer = Trainer(train_docs + docs, config, engine="fused")  # a vocabulary that covers them all
    trainer.step()  # weights a little away from their initialisation
    return trainer, docs


@pytest.fixture(scope="module")
def runs(case):
    """Each engine's run of each document, made once per case: the tests below only read them."""
    trainer, docs = case
    return {
        doc: {ops_class: run(trainer, ops_class, doc) for ops_class in (FusedOps, PlainOps, FloatOps)} for doc in docs
    }


def test_fused_forward_equals_plain_and_float_bit_for_bit(case, runs):
    trainer, docs = case
    for doc in docs:
        fused_loss, fused_probs, _, _ = runs[doc][FusedOps]
        plain_loss, plain_probs, _, _ = runs[doc][PlainOps]
        float_loss, float_probs, _, _ = runs[doc][FloatOps]
        assert fused_loss == plain_loss == float_loss, doc
        assert fused_probs == plain_probs == float_probs, doc


def test_fused_gradients_equal_plain_to_1e_12(case, runs):
    trainer, docs = case
    for doc in docs:
        fused_loss, _, fused_grads, _ = runs[doc][FusedOps]
        plain_loss, _, plain_grads, _ = runs[doc][PlainOps]
        assert close(fused_loss, plain_loss)
        assert len(fused_grads) == len(plain_grads) == trainer.model.num_params
        bad = [i for i, (f, p) in enumerate(zip(fused_grads, plain_grads)) if not close(f, p)]
        assert not bad, (
            f"{doc!r}: {len(bad)} gradients differ, e.g. #{bad[0]}: {fused_grads[bad[0]]} vs {plain_grads[bad[0]]}"
        )
        assert any(g != 0.0 for g in fused_grads)


def test_fused_backward_is_the_chain_rule_over_the_edges_it_shows(case, runs):
    # Node by node, from the last to the first: grad[child] += local * grad[node].
    _, docs = case
    _, _, _, ops = runs[docs[1]][FusedOps]
    tape = ops.tape
    grad = [0.0] * len(tape)
    grad[len(tape) - 1] = 1.0  # the loss is the last node
    for i in range(len(tape) - 1, -1, -1):
        for child, local in tape.edges(i):
            assert child < i  # children come first: creation order is topological
            grad[child] += local * grad[i]
    assert all(close(a, b) for a, b in zip(grad, tape.grad))
    assert tape.num_edges() == sum(len(tape.edges(i)) for i in range(len(tape)))


def test_three_trainer_steps_leave_the_same_weights(case):
    trainer, _ = case
    config = trainer.config
    docs = list(trainer.docs)
    fused, plain = Trainer(docs, config, engine="fused"), Trainer(docs, config, engine="plain")
    for _ in range(3):
        f, p = fused.step(), plain.step()
        assert f.doc == p.doc and f.loss == p.loss
    fw, pw = fused.model.flat_weights(), plain.model.flat_weights()
    assert all(close(a, b) for a, b in zip(fw, pw))
    assert fw != Trainer(docs, config).model.flat_weights()  # the steps did move them
