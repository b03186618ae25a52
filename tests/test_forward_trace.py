"""The forward-pass trace records the training forward's own numbers, to the bit."""

import random

import pytest

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Sampler, Trainer
from microgpt_engine.insight.forward_trace import logit_lens, stage_names, trace_forward
from microgpt_engine.ops import FloatOps, softmax_floats

DOCS = load_documents(bundled_names_path())[:50]


@pytest.fixture(scope="module")
def trainer():
    trainer = Trainer(DOCS, Config(steps=20, seed=42))
    for _ in range(3):
        trainer.step()
    return trainer


def test_every_stage_in_the_order_the_code_computes_it(trainer):
    tokens = trainer.tokenizer.document("emma")
    trace = trace_forward(trainer.model, tokens, 2)
    assert trace.names == stage_names(trainer.config.n_layer)
    n = trainer.config.n_embd
    sizes = {s.name: len(s.values) for s in trace.stages}
    assert sizes["layer0.mlp_fc1"] == 4 * n and sizes["layer0.q"] == n
    assert sizes["layer0.attn_weights"] == trainer.config.n_head * 3  # positions 0..2, per head
    assert sizes["logits"] == trainer.tokenizer.vocab_size


def test_recorded_logits_and_probs_are_the_training_forwards_to_the_bit(trainer):
    doc = trainer.document()
    record = trainer.evaluate(doc)
    tokens = trainer.tokenizer.document(doc[: trainer.config.block_size])
    for pos, position in enumerate(record.positions):
        trace = trace_forward(trainer.model, tokens, pos)
        assert list(trace.probs) == position.probs
        keys, values = trainer.model.empty_cache()
        ops = FloatOps(trainer.model.weights)
        for p in range(pos + 1):
            logits = trainer.model.forward(ops, tokens[p], p, keys, values)
        assert list(trace.logits) == logits
        weights = trace.stage("layer0.attn_weights").values
        per_head = [list(weights[h * (pos + 1) : (h + 1) * (pos + 1)]) for h in range(trainer.config.n_head)]
        assert per_head == [record.attention[0][h][pos] for h in range(trainer.config.n_head)]


def test_lm_head_on_the_last_residual_is_the_logits(trainer):
    tokens = trainer.tokenizer.document("olivia")
    trace = trace_forward(trainer.model, tokens, 4)
    last = trace.stage("layer0.mlp_residual")
    assert FloatOps({}).linear(last.values, trainer.model.weights["lm_head"]) == list(trace.logits)
    probs = softmax_floats(list(trace.logits))
    top = sorted(range(len(probs)), key=lambda i: -probs[i])[:3]
    assert [t for t, _ in last.lens] == top and [p for _, p in last.lens] == [probs[i] for i in top]
    assert logit_lens(trainer.model.weights["lm_head"], last.values) == last.lens
    assert [s.name for s in trace.stages if s.residual] == ["emb_norm", "layer0.attn_residual", "layer0.mlp_residual"]


def test_relu_zeroes_the_negative_fc1_units_and_the_residuals_add_up(trainer):
    trace = trace_forward(trainer.model, trainer.tokenizer.document("ava"), 1)
    fc1, relu = trace.stage("layer0.mlp_fc1").values, trace.stage("layer0.mlp_relu").values
    assert [max(x, 0.0) for x in fc1] == list(relu) and 0.0 in relu
    before, wo = trace.stage("emb_norm").values, trace.stage("layer0.attn_wo").values
    assert [a + b for a, b in zip(wo, before)] == list(trace.stage("layer0.attn_residual").values)


def test_a_samples_trace_has_the_samplers_probabilities_and_an_ablation_zeroes_the_head(trainer):
    sampler = Sampler(trainer.model, trainer.tokenizer, random.Random(1), temperature=0.5, ablate={(0, 1)})
    records = [sampler.step() for _ in range(3)]
    tokens = [r.token for r in records]
    trace = trace_forward(trainer.model, tokens, 2, ablate={(0, 1)}, temperature=0.5)
    assert list(trace.probs) == records[2].probs
    hd = trainer.config.head_dim
    assert trace.stage("layer0.head_out").values[hd : 2 * hd] == (0.0,) * hd


def test_a_position_outside_the_tokens_is_refused(trainer):
    with pytest.raises(IndexError, match="outside"):
        trace_forward(trainer.model, [0, 1], 5)


def test_a_model_without_attention_is_traced_as_its_forward_runs_it():
    """The no-attention preset: the trace walks only the MLPs, as `GPT.forward` does, and gives its numbers."""
    trainer = Trainer(DOCS, Config(steps=5, seed=42, attention=False))
    trainer.step()
    doc = trainer.document()
    record = trainer.evaluate(doc)
    tokens = trainer.tokenizer.document(doc[: trainer.config.block_size])
    for pos, position in enumerate(record.positions):
        trace = trace_forward(trainer.model, tokens, pos)
        assert trace.names == stage_names(1, attention=False) and "layer0.q" not in trace.names
        assert list(trace.probs) == position.probs
