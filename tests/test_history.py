"""Tests for engine.history: the running summaries the app draws (no app needed)."""

import math

import pytest

from microgpt_engine.insight.history import (
    LossHistory,
    ParamTrends,
    RateMeter,
    SampleLog,
    downsample,
    log10_or_none,
    surprisal,
    total_grad_norm,
)
from microgpt_engine.records import ParamStats


def stats(name, grad_norm=1.0, update_ratio=1e-3):
    return ParamStats(name, 2, 2, 0.0, 0.1, -0.1, 0.1, grad_norm, update_ratio, 0.0, 0.0)


def test_surprisal_is_minus_log_p_and_infinite_at_zero():
    assert surprisal(1.0) == 0.0
    assert surprisal(0.5) == pytest.approx(math.log(2))
    assert surprisal(0.0) == math.inf


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
    h = LossHistory(beta=0.9)
    assert h.ema is None and h.last is None
    h.add(3.0)
    assert h.ema == pytest.approx(3.0)
    h.add(1.0)
    # raw: 0.9*0.3 + 0.1*1.0 = 0.37; corrected by 1 - 0.9**2 = 0.19
    assert h.ema == pytest.approx(0.37 / 0.19)
    assert h.last == 1.0


def test_ema_of_a_constant_is_that_constant():
    h = LossHistory(beta=0.95)
    for _ in range(50):
        h.add(2.5)
    assert h.ema == pytest.approx(2.5)


def test_trailing_mean_uses_at_most_window_steps():
    h = LossHistory(window=3)
    for loss in [1.0, 2.0, 3.0, 4.0, 5.0]:
        h.add(loss)
    assert h.means == pytest.approx([1.0, 1.5, 2.0, 3.0, 4.0])


def test_series_downsamples_both_curves_to_the_budget():
    h = LossHistory(window=10)
    for i in range(1000):
        h.add(3.0 - i / 1000)
    xs, losses, xm, means = h.series(200)
    assert len(xs) == len(losses) == len(xm) == len(means) == 200
    assert losses[0] > losses[-1]


@pytest.mark.parametrize("beta,window", [(1.0, 5), (-0.1, 5), (0.9, 0)])
def test_loss_history_rejects_bad_settings(beta, window):
    with pytest.raises(ValueError):
        LossHistory(beta=beta, window=window)


def test_rate_meter_counts_steps_per_second_over_its_span():
    meter = RateMeter(span=2.0)
    assert meter.rate() is None
    meter.add(0, now=10.0)
    assert meter.rate() is None
    meter.add(50, now=10.5)
    assert meter.rate() == pytest.approx(100.0)
    for i in range(1, 11):
        meter.add(50 + 10 * i, now=10.5 + i)  # slows to 10 steps/s
    assert meter.rate() == pytest.approx(10.0, rel=0.01)


def test_rate_meter_reset_forgets_old_readings():
    meter = RateMeter()
    meter.add(0, now=0.0)
    meter.add(100, now=1.0)
    meter.reset()
    assert meter.rate() is None


def test_param_trends_keep_recent_log_ratios_and_grad_norms():
    trends = ParamTrends(length=3)
    for i in range(5):
        trends.add([stats("wte", grad_norm=float(i), update_ratio=10.0 ** -(i + 1))])
    assert trends.latest("wte") == pytest.approx(-5)
    assert trends.grad_history("wte") == [2.0, 3.0, 4.0]
    assert trends.latest("nope") is None and trends.grad_history("nope") == []


def test_param_trends_skip_a_zero_update_ratio():
    trends = ParamTrends()
    trends.add([stats("wte", update_ratio=1e-3)])
    trends.add([stats("wte", update_ratio=0.0)])
    assert trends.latest("wte") == pytest.approx(-3)


@pytest.mark.parametrize("log_ratio,healthy", [(-3.0, True), (-2.6, True), (-3.4, True), (-2.0, False), (-4.0, False), (None, False)])
def test_healthy_band_is_around_one_thousandth(log_ratio, healthy):
    assert ParamTrends.healthy(log_ratio) is healthy


def test_sample_log_marks_names_in_the_training_data_newest_first():
    log = SampleLog(["emma", "ava"])
    assert log.add("emma") == ("emma", True)
    assert log.add("zorbla") == ("zorbla", False)
    assert list(log.entries) == [("zorbla", False), ("emma", True)]


def test_sample_log_keeps_at_most_limit_entries():
    log = SampleLog([], limit=2)
    for name in "abc":
        log.add(name)
    assert [name for name, _ in log.entries] == ["c", "b"]


def test_history_module_imports_no_ui():
    import subprocess
    import sys

    code = "import microgpt_engine.insight.history, sys; assert not any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
