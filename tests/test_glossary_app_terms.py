"""The glossary's terms for the app's own views (logit lens, PCA, explained variance, |x|, lr/std, points of p):
each found by its words, labelled as the app's rather than microgpt's, and its claims checked on a real model."""

import functools
import math

from app_helpers import make_app, widget_text

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.embeddings import embedding_map
from microgpt_engine.insight.forward_trace import LENS_TOP, trace_forward
from microgpt_tui.core.views import log_reference
from microgpt_tui.features.reference.glossary import TERMS, lookup
from microgpt_tui.features.reference.glossary_screen import GlossaryScreen
from microgpt_tui.features.training.step_effect import mean_change

NEW = {"logit lens": "lens", "PCA": "pca", "explained variance": "explained variance", "|x|": "|x|"}
NEW |= {"lr/std": "lr/std", "points of p": "pts"}
OURS_BEFORE = {
    "uniform baseline",
    "bigram baseline",
    "EMA",
    "update:data ratio",
}  # the formulas labelled ours by the truth audit


@functools.cache
def trained(steps=30, **config):
    """A model trained `steps` steps, made once per configuration (the tests only read it)."""
    trainer = Trainer(load_documents(bundled_names_path()), Config(steps=steps, seed=42, **config))
    for _ in range(steps):
        trainer.step()
    return trainer


def test_each_new_term_is_found_by_the_word_the_screens_use_and_is_labelled_as_the_apps():
    for name, word in NEW.items():
        term = lookup(word)
        assert term is not None and term.name == name
        assert term.ours
    assert not any(t.ours for t in TERMS if t.name not in NEW and t.name not in OURS_BEFORE)  # microgpt's stay


def test_rmsnorm_brings_a_vector_to_a_length_of_about_the_root_of_n_embd():
    """|x|: 'RMSNorm brings a vector back to a length of about √n_embd (4 for 16 numbers)'."""
    for n_embd in (16, 32):
        trainer = trained(n_embd=n_embd)
        tokens = trainer.tokenizer.document("emma")
        for pos in range(len(tokens) - 1):
            trace = trace_forward(trainer.model, tokens, pos)
            assert math.isclose(trace.stage("emb_norm").norm, math.sqrt(n_embd), rel_tol=1e-3)
            assert math.isclose(trace.stage("layer0.attn_norm").norm, math.sqrt(n_embd), rel_tol=1e-3)


def test_the_lens_of_the_last_residual_is_the_models_own_prediction():
    """logit lens: 'the lens of the last residual is exactly the model's prediction'."""
    trainer = trained()
    tokens = trainer.tokenizer.document("olivia")
    trace = trace_forward(trainer.model, tokens, 3)
    residuals = [stage for stage in trace.stages if stage.residual]
    probs = trace.stage("probs").values
    top = sorted(range(len(probs)), key=lambda i: (-probs[i], i))[:LENS_TOP]
    assert [t for t, _ in residuals[-1].lens] == top
    assert all(math.isclose(p, probs[t], rel_tol=1e-12) for t, p in residuals[-1].lens)


def test_explained_variance_is_each_directions_share_of_the_whole():
    trainer = trained()
    fit = embedding_map(trainer.model.weights, trainer.tokenizer)
    rows = trainer.model.weights["wte"]
    n = len(rows)
    means = [sum(col) / n for col in zip(*rows)]
    total = sum(sum((x - m) ** 2 for x, m in zip(row, means)) for row in rows) / (n - 1)
    spread_x = sum(p.x**2 for p in fit.points) / (n - 1)  # the points are centred: variance along the 1st axis
    assert math.isclose(fit.explained[0], spread_x / total, rel_tol=1e-6)
    assert 0 < fit.explained[1] <= fit.explained[0] and sum(fit.explained) <= 1


def test_lr_over_std_is_the_log_of_the_learning_rate_over_the_weights_spread():
    assert math.isclose(log_reference(0.01, 0.08), math.log10(0.01 / 0.08))


def test_points_of_p_are_the_mean_change_of_p_times_100():
    before, after = [[0.02, 0.98], [0.5, 0.5]], [[0.029, 0.971], [0.5, 0.5]]  # 2.0% → 2.9% at one position
    assert [round(c * 100, 2) for c in mean_change(before, after)] == [0.45, -0.45]


async def test_the_glossary_says_the_apps_terms_are_the_apps_at_80x24():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press(*"logit lens")
        await pilot.pause()
        text = " ".join(widget_text(app.screen.query_one("#glossary-text")).split())
        assert (
            "logit lens" in text and "the app computes (not a line of microgpt):" in text and "in microgpt:" not in text
        )
        field = app.screen.query_one("Input")
        field.value = ""
        await pilot.press(*"softmax")
        await pilot.pause()
        assert "in microgpt:" in " ".join(widget_text(app.screen.query_one("#glossary-text")).split())
