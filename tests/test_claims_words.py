"""Claims about samples, the forward pass, the glossary's code lines and the about screen, checked on real runs.

As test_claims_training.py: each test names its sentence and the one it replaced, and fails on that one.
"""

from __future__ import annotations

import math
import random

import pytest
from claim_runs import tour, words
from in_both import LANGUAGES, quotes, speaking

from microgpt_engine import Config, Sampler, Trainer
from microgpt_engine.insight.bigram import BigramTable
from microgpt_engine.insight.forward_trace import stage_names, trace_forward
from microgpt_tui import texts
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.reference import glossary
from microgpt_tui.features.reference.code import SECTIONS
from microgpt_tui.features.reference.facts import seen_names, session_facts

# -- samples (item 8) --------------------------------------------------------------------------


def test_a_sample_in_the_data_is_often_one_training_never_showed(reference_run):
    """texts.PANELS["samples"] and the tour's "Sample a name": ✓ means a line of the file, not memorised
    (old: "the name is in the training data, memorised or simply common", "the others it made up")."""
    trainer = reference_run.trainer
    rng = random.Random()
    rng.setstate(reference_run.rng_after)
    names = [Sampler(trainer.model, trainer.tokenizer, rng, 0.5).run() for _ in range(20)]
    assert names[:3] == ["kamon", "ann", "karai"]  # microgpt's own samples (the reference's continuation)
    in_file = set(trainer.docs)
    trained = set(trainer.docs[: trainer.step_count])
    known = [name for name in names if name in in_file]
    assert len(known) >= 5 and [name for name in known if name not in trained]  # ✓ yet never trained on
    assert "That does not mean the model memorised it" in words(texts.PANELS["samples"].body)
    assert "though training may never have shown it" in tour("Sample a name")


def test_the_note_on_a_sample_in_the_data_says_whether_training_showed_it(bundled_names):
    lab = Lab(Trainer(bundled_names[:300], Config(steps=5, n_embd=8, n_head=2)), bundled_names[:300])
    lab.begin()
    for _ in range(3):
        lab.step()
    trained, untrained = lab.trainer.docs[1], lab.trainer.docs[200]
    assert lab.drawing.in_data(trained) == "in the data, and trained on"
    assert lab.drawing.in_data(untrained) == "in the data, but never trained on"


# -- the forward view's ReLU (item 11) ---------------------------------------------------------


def test_a_relu_unit_at_0_is_off_at_that_position_not_dead(reference_run):
    """engine forward_trace's ReLU title and the forward view's detail line (old: "(0: a dead unit)",
    "dead units N of 64"): after the run most outputs are 0 at a position, yet every unit is on somewhere."""
    trainer = reference_run.trainer
    model, tokenizer, block = trainer.model, trainer.tokenizer, trainer.config.block_size
    zeros = total = 0
    on_somewhere: set[int] = set()
    for doc in trainer.docs[-60:]:
        tokens = tokenizer.document(doc[:block])
        for pos in range(min(block, len(tokens) - 1)):
            relu = trace_forward(model, tokens, pos).stage("layer0.mlp_relu").values
            zeros += sum(v == 0.0 for v in relu)
            total += len(relu)
            on_somewhere.update(i for i, v in enumerate(relu) if v > 0)
    assert zeros / total > 0.5
    assert len(on_somewhere) == 4 * trainer.config.n_embd  # no unit is dead
    title = trace_forward(model, tokenizer.document("ann"), 0).stage("layer0.mlp_relu").title
    assert "off at this position" in title and "dead" not in title


# -- the glossary's code lines ("in microgpt:") ------------------------------------------------

# Every line the glossary shows under "in microgpt:", checked by hand against Karpathy's microgpt.py (its
# code, without the trailing comments). A line the glossary shows that is not here must be labelled ours.
MICROGPT_LINES = {
    "tokens = [BOS] + [uchars.index(ch) for ch in doc] + [BOS]",
    "BOS = len(uchars)",
    "vocab_size = len(uchars) + 1",
    "tok_emb = state_dict['wte'][token_id]",
    "pos_emb = state_dict['wpe'][pos_id]",
    "logits = linear(x, state_dict['lm_head'])",
    "probs = softmax(logits)",
    "probs = softmax([l / temperature for l in logits])",
    "loss = (1 / n) * sum(losses)",
    "loss_t = -probs[target_id].log()",
    "attn_weights = softmax(attn_logits)",
    "q = linear(x, state_dict[f'layer{li}.attn_wq'])",
    "k = linear(x, state_dict[f'layer{li}.attn_wk'])",
    "v = linear(x, state_dict[f'layer{li}.attn_wv'])",
    "q_h = q[hs:hs+head_dim]",
    "x = [a + b for a, b in zip(x, x_residual)]",
    "scale = (ms + 1e-5) ** -0.5",
    "x = linear(x, state_dict[f'layer{li}.mlp_fc1'])",
    "x = [xi.relu() for xi in x]",
    "x = linear(x, state_dict[f'layer{li}.mlp_fc2'])",
    "child.grad += local_grad * v.grad",
    "loss.backward()",
    "p.data -= lr_t * m_hat / (v_hat ** 0.5 + eps_adam)",
    "lr_t = learning_rate * (1 - step / num_steps)",
    "params = [p for mat in state_dict.values() for row in mat for p in row]",
}


def test_in_microgpt_shows_only_microgpts_lines_and_our_formulas_say_they_are_ours():
    """glossary: `math.log(vocab_size)`, the bigram count, the EMA line and std(new - old) / std(old) were shown
    "in microgpt:"; q/k/v and the MLP were abbreviations microgpt does not have."""
    for term in glossary.TERMS:
        lines = term.code.splitlines()
        if term.ours:
            assert not set(lines) <= MICROGPT_LINES, term.name
        else:
            assert set(lines) <= MICROGPT_LINES, term.name
    ours = {term.name for term in glossary.TERMS if term.ours}
    # (and the words of the app's own views: no line of microgpt computes them)
    views = {"logit lens", "PCA", "explained variance", "|x|", "lr/std", "points of p"}
    assert ours == {"uniform baseline", "bigram baseline", "EMA", "update:data ratio"} | views


def test_the_uniform_formula_is_the_line_the_plot_draws(bundled_names):
    lab = Lab(Trainer(bundled_names[:100], Config(steps=5)), bundled_names[:100])
    scope = {"math": math, "vocab_size": lab.trainer.tokenizer.vocab_size}
    exec(glossary.BY_NAME["uniform baseline"].code, scope)
    assert scope["uniform"] == lab.uniform


def test_rmsnorm_comes_after_the_embeddings_then_before_attention_and_the_mlp():
    """glossary "RMSNorm" (old: "before attention and before the MLP" only)."""
    names = [name.removeprefix("layer0.") for name in stage_names(1)]
    assert names.index("emb_norm") < names.index("attn_norm") < names.index("mlp_norm")
    assert "after the embeddings, then before attention and before the MLP" in words(glossary.BY_NAME["RMSNorm"].body)


# -- the about screen (item 13) ----------------------------------------------------------------


@pytest.mark.parametrize("engine", ["fused", "plain"])
def test_the_about_screen_names_the_autograd_this_session_runs(bundled_names, engine):
    """texts.ABOUT_ROWS "autograd" (old: "the chain rule over plain Python numbers, one value at a time": the
    default engine is the fused tape)."""
    lab = Lab(Trainer(bundled_names[:100], Config(steps=5), engine=engine), bundled_names[:100])
    lab.begin()
    lab.step()
    row = next(cells for cells in texts.ABOUT_ROWS if cells[0] == "autograd")
    said = texts.fill(row[1], session_facts(lab.session, lab.rules))
    nodes = lab.stepping.latest.graph_nodes
    if engine == "fused":
        assert "flat tape of fused nodes" in said and nodes > 0  # the tape counted its nodes
    else:
        assert "one Value per" in said and nodes == 0  # (no tape: a graph of Values)


def test_sampling_keeps_a_cache_of_keys_and_values_as_production_models_do(bundled_run):
    """texts.ABOUT_ROWS "sampling": "with a cache of keys and values as here" (old: listed the cache as what
    production adds)."""
    trainer = bundled_run.trainer
    sampler = Sampler(trainer.model, trainer.tokenizer, trainer.rng, 0.5)
    sampler.step(force=trainer.tokenizer.chars.index("a"))
    sampler.step(force=trainer.tokenizer.chars.index("n"))
    assert [len(keys) for keys in sampler.keys] == [2] * trainer.config.n_layer
    row = next(cells for cells in texts.ABOUT_ROWS if cells[0] == "sampling")
    assert "a cache of keys and values as here" in words(row[2])


def test_an_attention_row_is_the_softmax_of_query_key_over_the_root_of_the_head_size(bundled_run):
    """texts.PANELS["attention"]: "a softmax over the scores query·key / √head_dim" (old: "query·key")."""
    trainer = bundled_run.trainer
    hd = trainer.config.head_dim
    tokens = trainer.tokenizer.document("emma")
    traces = [trace_forward(trainer.model, tokens, pos) for pos in range(4)]
    q = traces[3].stage("layer0.q").values[:hd]  # head 0
    keys = [trace.stage("layer0.k").values[:hd] for trace in traces]
    scores = [sum(a * b for a, b in zip(q, k)) / math.sqrt(hd) for k in keys]
    exps = [math.exp(x - max(scores)) for x in scores]
    weights = traces[3].stage("layer0.attn_weights").values[:4]  # head 0's row at position 3
    assert weights == pytest.approx([e / sum(exps) for e in exps], rel=1e-9)
    assert "query·key / √{head_dim}" in texts.PANELS["attention"].body


def test_the_fused_tapes_softmax_nodes_are_attentions_and_the_next_token_one_is_in_each_cross_entropy(bundled_names):
    """texts.NODE_KINDS "softmax" and "cross_entropy", the code view's loss note (old: "one softmax output ...
    (attention or next-token)", "one node per softmax output and per cross-entropy"): the fused tape has no
    next-token softmax node, the cross-entropy holds it."""
    trainer = Trainer(bundled_names, Config())
    record = trainer.step()
    ops = trainer.last_ops.tape.ops
    n, cfg = len(record.positions), trainer.config
    assert ops.count("softmax") == cfg.n_layer * cfg.n_head * sum(range(1, n + 1))  # attention rows only
    assert ops.count("cross_entropy") == n
    assert "attention" in texts.NODE_KINDS["softmax"] and "next-token" not in texts.NODE_KINDS["softmax"]
    assert "softmax" in texts.NODE_KINDS["cross_entropy"]
    loss_note = next(note for key, _, _, note in SECTIONS if key == "loss")  # the code view's loss section
    assert "one node per position's cross-entropy (its softmax fused in)" in loss_note


@pytest.fixture(scope="module")
def spelt_by_the_table(reference_run):
    """50 names the bigram table of the reference list spells (no training), and the file's names: made once,
    read by each language's test."""
    trainer = reference_run.trainer
    table = BigramTable(trainer.docs, trainer.tokenizer, trainer.config.block_size)
    rng = random.Random(42)
    return [table.sample(rng, 0.5) for _ in range(50)], set(trainer.docs)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_samples_help_counts_the_names_training_sees_and_letter_statistics_spell_names_of_the_file(
    reference_run, spelt_by_the_table, lang
):
    """texts.PANELS["samples"]: "{seen_names}, and a short common line comes out of the letter statistics alone"
    (old: "memorised or simply common"): the bigram table alone, no training, spells names that are in the file."""
    trainer = reference_run.trainer
    with speaking(lang):  # (in English and in 中文: the same figures, tests/in_both.py)
        seen, each = seen_names(trainer.config.steps, len(trainer.docs)), seen_names(1_000, 200)
    assert quotes(seen, "1,000", "1,000", "32,033") and quotes(each, "1,000", "200", "5")
    if lang == "en":
        assert seen == "its 1,000 steps see 1,000 of the 32,033 documents, once each"
        assert each == "its 1,000 steps see each of the 200 documents 5×"
    assert len(set(trainer.docs[: trainer.step_count])) <= 1_000
    spelt, in_file = spelt_by_the_table
    assert len(spelt) == 50
    assert sum(name in in_file for name in spelt) >= 5, spelt
    assert "the letter statistics alone" in words(texts.PANELS["samples"].body)
