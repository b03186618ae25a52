"""Numbers that blow up (a learning rate of 1e100 and beyond): the engine and the drawing
say so plainly instead of raising OverflowError or ValueError. No app needed."""

import math

import pytest
from rich.console import Console

from microgpt_engine import Config, Sampler, Trainer
from microgpt_engine.insight.history import total_grad_norm
from microgpt_engine.records import ParamStats
from microgpt_engine.train import matrix_stats
from microgpt_tui.renderables.colors import cell_style, ramp, unit
from microgpt_tui.renderables.heatmap import AttentionHeatmap
from microgpt_tui.renderables.prob_bars import ProbabilityBars

DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn"]
NAN = math.nan


@pytest.mark.parametrize("lr", [100.0, 1e100, 1e300, 1.7e308])
def test_a_step_that_blows_up_is_marked_diverged_and_keeps_the_last_finite_state(lr):
    trainer = Trainer(DOCS, Config(steps=10, seed=1, lr=lr))
    trainer.step()
    weights, adam = trainer.model.flat_weights(), trainer.optimizer.state()
    record = trainer.step()  # at 1e100 the gradients overflow when Adam squares them
    assert record.diverged and trainer.diverged and trainer.step_count == 1
    assert trainer.model.flat_weights() == weights
    assert trainer.optimizer.state() == adam


def test_weights_too_large_to_square_have_an_infinite_spread_not_an_overflow():
    stats = matrix_stats("w", (1, 2), [1e300, -1e300], [0.0, 0.0], [1e300, 0.0], [0.0, 0.0], [0.0, 0.0])
    assert stats.std == math.inf and stats.mean == 0.0


def test_total_grad_norm_of_huge_matrix_norms_does_not_overflow():
    norms = [ParamStats(n, 1, 1, 0.0, 0.0, 0.0, 0.0, 1e200, 0.0, 0.0, 0.0) for n in "ab"]
    assert total_grad_norm(norms) == pytest.approx(math.sqrt(2) * 1e200)


def test_sampling_from_blown_up_weights_raises_a_floating_point_error_that_says_why():
    trainer = Trainer(DOCS, Config(steps=10, seed=1, lr=1e300))
    trainer.step()  # weights near 1e300: finite, but the logits overflow
    sampler = Sampler(trainer.model, trainer.tokenizer, trainer.rng, temperature=0.1)
    with pytest.raises(FloatingPointError, match="blown up"):
        sampler.run()


def test_unit_clamps_and_reads_nan_as_zero():
    assert [unit(x) for x in (-1.0, 0.25, 2.0, NAN, math.inf)] == [0.0, 0.25, 1.0, 0.0, 1.0]
    assert ramp(NAN) == ramp(0.0) and cell_style(NAN) == cell_style(0.0)


def test_probability_bars_and_heatmap_draw_nan_numbers_without_raising():
    console = Console(width=60, record=True, force_terminal=True)
    console.print(ProbabilityBars(["◆", "a", "b"], [NAN, NAN, NAN], marked=1))
    console.print(AttentionHeatmap(["◆", "a"], [[[1.0], [NAN, NAN]]]))
    text = console.export_text()
    assert "nan%" in text and "a" in text
