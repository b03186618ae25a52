"""Tests for RunHistory: every step stored once, and the views the app draws of it (no app needed)."""

import math

import pytest

from microgpt_engine.insight.history import STAT_FIELDS, RunHistory, downsample, log10_or_none, total_grad_norm
from microgpt_engine.ops import neg_log
from microgpt_engine.records import ParamStats, StepRecord

SHAPES = {"wte": (2, 2)}


def stats(name, grad_norm=1.0, update_ratio=1e-3):
    return ParamStats(name, 2, 2, 0.0, 0.1, -0.1, 0.1, grad_norm, update_ratio, 0.0, 0.0)


def record(step, loss=1.0, params=None, doc="emma", diverged=False):
    return StepRecord(step, 100, doc, [], [], loss, 0.01, [], [], params or [stats("wte")], ms=2.0, diverged=diverged)


def filled(losses, **kwargs):
    h = RunHistory(SHAPES, **kwargs)
    for i, loss in enumerate(losses, 1):
        h.append(record(i, loss))
    return h


def test_neg_log_is_minus_log_p_and_infinite_at_zero():
    assert neg_log(1.0) == 0.0
    assert neg_log(0.5) == pytest.approx(math.log(2))
    assert neg_log(0.0) == math.inf


def test_log10_or_none_has_no_ratio_for_a_zero_update():
    assert log10_or_none(1e-3) == pytest.approx(-3)
    assert log10_or_none(0.0) is None


def test_total_grad_norm_combines_the_matrices_norms():
    assert total_grad_norm([stats("a", 3.0), stats("b", 4.0)]) == pytest.approx(5.0)


def test_downsample_leaves_short_series_alone():
    assert downsample([3.0, 2.0, 1.0], 10) == ([1, 2, 3], [3.0, 2.0, 1.0])


def test_downsample_averages_buckets_and_keeps_step_positions():
    xs, ys = downsample([float(i) for i in range(100)], 10)
    assert len(xs) == len(ys) == 10
    assert ys[0] == pytest.approx(4.5)  # mean of 0..9
    assert xs[0] == pytest.approx(5.5)  # steps 1..10, centred
    assert xs[-1] == pytest.approx(95.5)


def test_downsample_uneven_lengths_cover_every_value_once():
    values = [1.0] * 7 + [2.0] * 6
    xs, ys = downsample(values, 4)
    assert len(xs) == 4
    assert min(ys) == 1.0 and max(ys) == 2.0


def test_downsample_of_nothing_is_empty():
    assert downsample([], 10) == ([], [])
    assert downsample([1.0], 0) == ([], [])


def test_ema_is_bias_corrected_so_it_starts_at_the_first_loss():
    h = RunHistory(SHAPES, beta=0.9)
    assert h.ema is None and h.last_loss is None and h.mean is None
    h.append(record(1, 3.0))
    assert h.ema == pytest.approx(3.0)
    h.append(record(2, 1.0))
    # raw: 0.9*0.3 + 0.1*1.0 = 0.37; corrected by 1 - 0.9**2 = 0.19
    assert h.ema == pytest.approx(0.37 / 0.19)
    assert h.last_loss == 1.0


def test_ema_of_a_constant_is_that_constant():
    assert filled([2.5] * 50, beta=0.95).ema == pytest.approx(2.5)


def test_trailing_mean_uses_at_most_window_steps():
    h = filled([1.0, 2.0, 3.0, 4.0, 5.0], window=3)
    assert h.series(100)[3] == pytest.approx([1.0, 1.5, 2.0, 3.0, 4.0])
    assert h.mean == pytest.approx(4.0)


def test_series_downsamples_both_curves_to_the_budget():
    h = filled([3.0 - i / 1000 for i in range(1000)], window=10)
    xs, losses, xm, means = h.series(200)
    assert len(xs) == len(losses) == len(xm) == len(means) == 200
    assert losses[0] > losses[-1]


def test_series_starts_after_a_loaded_checkpoints_step():
    h = RunHistory(SHAPES, start=50)
    h.append(record(51, 2.0))
    assert h.series(10)[0] == [51] and h.now == 51


@pytest.mark.parametrize("beta,window", [(1.0, 5), (-0.1, 5), (0.9, 0)])
def test_run_history_rejects_bad_settings(beta, window):
    with pytest.raises(ValueError):
        RunHistory(SHAPES, beta=beta, window=window)


def test_a_diverged_step_is_not_kept_and_steps_must_come_in_order():
    h = filled([1.0])
    h.append(record(2, math.nan, diverged=True))
    assert len(h) == 1
    with pytest.raises(ValueError, match="at step 1, but this record is step 3"):
        h.append(record(3))


def test_params_and_trends_read_back_what_each_step_recorded():
    h = RunHistory(SHAPES)
    for i in range(5):
        h.append(record(i + 1, params=[stats("wte", grad_norm=float(i), update_ratio=10.0 ** -(i + 1))]))
    assert h.params(3) == [stats("wte", grad_norm=2.0, update_ratio=1e-3)]
    assert h.log_ratio("wte", 5) == pytest.approx(-5)
    assert h.log_ratio("wte", 2) == pytest.approx(-2)
    assert h.grad_norms("wte", 5, 3) == [2.0, 3.0, 4.0]
    assert h.grad_norms("wte", 2, 3) == [0.0, 1.0]


def test_log_ratio_skips_a_zero_update_ratio():
    h = RunHistory(SHAPES)
    h.append(record(1, params=[stats("wte", update_ratio=1e-3)]))
    h.append(record(2, params=[stats("wte", update_ratio=0.0)]))
    assert h.log_ratio("wte", 2) == pytest.approx(-3)


def test_fork_cuts_the_later_steps_off_as_a_branch_and_the_means_follow():
    h = filled([4.0, 3.0, 2.0, 1.0], beta=0.9, window=2)
    branch = h.fork(2)
    assert (h.now, h.losses, h.last_loss) == (2, [4.0, 3.0], 3.0)
    assert h.ema == pytest.approx(filled([4.0, 3.0], beta=0.9).ema)
    assert h.mean == pytest.approx(3.5)
    assert (branch.start, branch.now, branch.losses) == (2, 4, [2.0, 1.0])
    assert branch.summary(3).loss == 2.0
    h.append(record(3, 10.0))
    assert h.losses == [4.0, 3.0, 10.0] and h.mean == pytest.approx(6.5)


def test_rows_are_one_csv_row_per_kept_step():
    h = filled([3.0, 2.0])
    rows = list(h.rows())
    assert [(r.step, r.doc, r.loss, r.lr, r.ms) for r in rows] == [
        (1, "emma", 3.0, 0.01, 2.0),
        (2, "emma", 2.0, 0.01, 2.0),
    ]
    assert rows[0].params == [stats("wte")]


def test_a_step_costs_well_under_a_kilobyte_for_the_default_model():
    shapes = {f"m{i}": (16, 16) for i in range(9)}
    h = RunHistory(shapes)
    params = [ParamStats(name, 16, 16, *([0.5] * len(STAT_FIELDS))) for name in shapes]
    for step in range(1, 1001):
        h.append(record(step, params=params))
    assert h.nbytes() / 1000 < 850


def test_history_module_imports_no_ui():
    import subprocess
    import sys

    code = (
        "import microgpt_engine.insight.history, sys; "
        "assert not any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
