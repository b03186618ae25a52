"""The glossary: every term the screens use has an entry, and each entry's live figure is the engine's."""

import inspect
import re

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_engine.ops import neg_log
from microgpt_tui import texts
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.reference import glossary

# The terms the issue lists, as the screens write them.
ISSUE_TERMS = [
    "token", "BOS", "vocabulary", "embedding", "position embedding", "logit", "softmax", "temperature",
    "cross-entropy", "loss", "-log p", "uniform", "bigram", "attention", "query", "key", "value", "head",
    "residual stream", "RMSNorm", "MLP", "ReLU", "lm_head", "gradient", "backward", "Adam", "m", "v",
    "bias correction", "learning rate schedule", "EMA", "update:data ratio", "parameter",
]  # fmt: skip

# Every technical word the screens' texts might use; the test finds which of them they do use.
VOCABULARY = ISSUE_TERMS + [
    "tokens", "tokenizer", "embeddings", "logits", "scores", "probabilities", "−ln p", "−log p", "uniform line",
    "bigram line", "queries", "keys", "heads", "causal mask", "backpropagation", "chain rule", "autograd",
    "learning rate", "ema", "update:data", "parameters", "weights", "matrices", "wte", "wpe", "lm_head",
    "moving average", "distribution",
]  # fmt: skip


def all_texts() -> str:
    """Every string the texts module shows: the tour, the panel help, the about table, the tooltips, the hints."""
    found: list[str] = []

    def collect(obj):
        if isinstance(obj, str):
            found.append(obj)
        elif isinstance(obj, dict):
            for v in obj.values():
                collect(v)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                collect(v)
        elif hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                collect(getattr(obj, name))

    for name, value in vars(texts).items():
        if not name.startswith("_") and not inspect.ismodule(value) and not callable(value):
            collect(value)
    return re.sub(r"\[/?b\]", "", "\n".join(found))


def test_every_glossary_term_the_texts_use_has_an_entry():
    corpus = all_texts()
    used = [word for word in VOCABULARY if glossary.mentions(corpus, word)]
    assert len(used) >= 25, used  # the scan does find the texts' terms
    missing = [word for word in used if glossary.lookup(word) is None]
    assert missing == []


def test_every_term_the_issue_lists_has_an_entry_with_a_line_of_microgpt():
    for word in ISSUE_TERMS:
        term = glossary.lookup(word)
        assert term is not None, word
        assert term.code and 2 <= term.body.count(". ") + 1 <= 4, term.name


def test_names_and_aliases_are_unique_so_a_word_has_one_entry():
    words = [w for term in glossary.TERMS for w in term.words]
    assert len(words) == len(set(words))


def test_search_puts_the_named_term_first_and_finds_words_of_the_text():
    assert glossary.search(glossary.TERMS, "query")[0].name == "query, key, value"
    assert glossary.search(glossary.TERMS, "SOFTMAX")[0].name == "softmax"
    assert "ReLU" in [t.name for t in glossary.search(glossary.TERMS, "negative")]
    assert glossary.search(glossary.TERMS, "zzzz") == []
    assert len(glossary.search(glossary.TERMS, "")) == len(glossary.TERMS)


def test_every_panel_leads_to_a_term():
    assert set(glossary.PANEL_TERMS) == set(texts.PANELS)
    assert all(name in glossary.BY_NAME for name in glossary.PANEL_TERMS.values())


def make_lab(steps=2):
    docs = load_documents(bundled_names_path())[:200]
    lab = Lab(Trainer(docs, Config(steps=10, seed=42)), docs)
    lab.begin()
    for _ in range(steps):
        lab.step()
    return lab


def test_the_entries_quote_this_sessions_figures_as_the_engine_computed_them():
    lab = make_lab()
    lab.move(2)
    entries = {e.name: e for e in lab.reference.glossary()}
    assert [e.name for e in lab.reference.glossary()] == [t.name for t in glossary.TERMS]
    seq, pos = lab.shown(), lab.selection.position
    target = seq.targets[pos]
    assert f"−log p {neg_log(seq.probs[pos][target]):.3f}" in entries["-log p"].live
    assert f"{lab.history.last_loss:.3f}" in entries["loss"].live
    assert entries["BOS"].live == f"BOS is token id {lab.trainer.tokenizer.bos}"
    assert f"1 − β1^t = {1 - 0.85**2:.4f}" in entries["Adam"].live
    assert f"{lab.stepping.latest.graph_nodes:,} nodes" in entries["backward"].live
    wte_e = lab.trainer.model.weights["wte"][lab.trainer.tokenizer.chars.index(seq.text[0])]
    assert f"{wte_e[0]:+.3f}" in entries["embedding"].live
    assert all("{" not in e.body + e.live for e in entries.values())  # every placeholder filled


def test_the_logit_entry_is_the_models_own_logit_at_the_selected_position():
    from microgpt_engine.ops import FloatOps

    lab = make_lab(1)
    lab.move(1)
    model, tok = lab.trainer.model, lab.trainer.tokenizer
    ids = tok.document(lab.shown().text)
    keys, values = model.empty_cache()
    ops = FloatOps(model.weights)
    for p in range(2):
        logits = model.forward(ops, ids[p], p, keys, values)
    live = {e.name: e for e in lab.reference.glossary()}["logit"].live
    assert f"the highest logit is {max(logits):.3f}" in live
