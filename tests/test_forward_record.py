"""`GPT.forward`'s record hook: it hands over each stage as the pass makes it and changes nothing it computes."""

import pytest

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.forward_trace import stage_names
from microgpt_engine.ops import FloatOps, FusedOps, PlainOps

DOCS = load_documents(bundled_names_path())[:50]


def forward_four(model, ops_class, tokens, recording: bool):
    """Four positions through `model.forward`: logits, attention rows, KV cache (as floats), and what was recorded."""
    ops = ops_class(model.weights)
    keys, values = model.empty_cache()
    attention: list = []
    recorded: list[tuple[str, list[float]]] = []

    def note(name, xs):
        recorded.append((name, [ops.data(x) for x in xs]))

    logits = []
    for pos, token in enumerate(tokens[:4]):
        out = model.forward(ops, token, pos, keys, values, attention, record=note if recording else None)
        logits.append([ops.data(x) for x in out])
    cache = [[[ops.data(x) for x in k] for k in layer] for layer in keys + values]
    return logits, attention, cache, recorded


@pytest.mark.parametrize("ops_class", [FloatOps, FusedOps, PlainOps], ids=lambda c: c.__name__)
@pytest.mark.parametrize("config", [Config(seed=42), Config(seed=7, n_layer=2, n_embd=8, n_head=2)], ids=["1x4", "2x2"])
def test_recording_names_every_stage_in_order_and_leaves_logits_attention_and_cache_as_they_were(ops_class, config):
    trainer = Trainer(DOCS, config)
    trainer.step()
    tokens = trainer.tokenizer.document("olivia")
    plain_logits, plain_attention, plain_cache, none = forward_four(trainer.model, ops_class, tokens, False)
    logits, attention, cache, recorded = forward_four(trainer.model, ops_class, tokens, True)
    assert none == []
    assert (logits, attention, cache) == (plain_logits, plain_attention, plain_cache)  # to the bit
    per_position = stage_names(config.n_layer)[:-2]  # (logits are what forward returns; probs the trace's own)
    assert [name for name, _ in recorded] == list(per_position) * 4
    last = dict(recorded[-len(per_position) :])
    residual = last[f"layer{config.n_layer - 1}.mlp_residual"]  # the last stage: lm_head of it is the logits
    assert FloatOps({}).linear(residual, trainer.model.weights["lm_head"]) == pytest.approx(logits[-1], abs=1e-12)
    weights = last[f"layer{config.n_layer - 1}.attn_weights"]
    assert weights == [w for head in attention[-1] for w in head]  # every head's row over positions 0..3
