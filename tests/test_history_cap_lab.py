"""The lab on a long run whose history was thinned: the plot, time travel, trends and runs read the kept steps."""

import functools

import pytest

from microgpt_engine import Config, Trainer
from microgpt_engine.insight.history import RunHistory
from microgpt_tui.core import rules as rules_module
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.runs.views import curve

STEPS = 90


@pytest.fixture
def lab(small_docs, tmp_path, monkeypatch):
    # A small ceiling stands in for the default's 100,000 rows (a long run in a few steps).
    monkeypatch.setattr(rules_module, "RunHistory", functools.partial(RunHistory, window=5, recent=10, cap=20))
    lab = Lab(
        Trainer(small_docs, Config(n_embd=8, n_head=2, steps=STEPS, seed=5)), small_docs, "small", tmp_path / "c.json"
    )
    lab.begin()
    for _ in range(STEPS):
        lab.step()
    return lab


def test_a_thinned_run_draws_its_kept_steps_and_travels_to_any_step(lab):
    history = lab.history
    assert history.now == STEPS and len(history) <= 20 and history.stride > 1
    view = lab.loss_view(1000)
    assert view.xs == tuple(history.steps) and view.losses == tuple(history.losses)
    assert curve(lab.current_run, 1000).xs == tuple(history.steps)

    thinned = next(s for s in range(1, STEPS) if not history.holds(s))
    kept = history.kept(thinned)
    lab.travel.view(thinned)
    assert lab.status_note().startswith(
        f"viewing step {thinned:,} of {STEPS:,} (now), loss of step {kept:,} {history.loss(kept):.3f}"
    )
    params = lab.param_view()
    assert [r.mean for r in params.rows] == [p.mean for p in history.params(kept)]
    # Replaying through thinned steps checks only the losses the history kept.
    model = lab.time.model_at(thinned)
    assert model is not lab.trainer.model

    lab.travel.view(history.steps[-3])  # a recent step: its own loss
    assert f", loss {history.loss(history.steps[-3]):.3f}" in lab.status_note()
