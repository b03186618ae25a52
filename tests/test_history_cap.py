"""Tests for RunHistory's memory ceiling: the newest steps whole, the older ones thinned evenly, readers exact."""

import pytest

from microgpt_engine.insight.history import RunHistory
from microgpt_engine.records import ParamStats, StepRecord

SHAPES = {"wte": (2, 2), "lm_head": (2, 2)}
RECENT, CAP, WINDOW = 20, 40, 5


def record(step):
    # Every number differs from step to step, so a row read from the wrong step shows.
    params = [
        ParamStats(n, 2, 2, step * 0.1, 0.2 + j, -1.0, 1.0, step + j, 1e-3 * step, 0.0, 0.5)
        for j, n in enumerate(SHAPES)
    ]
    return StepRecord(step, 10**6, f"doc{step}", [], [], 3.0 / step + (step % 7), 0.01 / step, [], [], params, ms=step)


def histories(steps, start=0):
    """The same steps into an uncapped history and a capped one."""
    full = RunHistory(SHAPES, start, window=WINDOW, recent=10**6, cap=10**6 + 2)
    capped = RunHistory(SHAPES, start, window=WINDOW, recent=RECENT, cap=CAP)
    for step in range(start + 1, start + steps + 1):
        full.append(record(step))
        capped.append(record(step))
    return full, capped


def test_rows_stay_under_the_cap_and_the_newest_steps_are_all_there():
    capped = RunHistory(SHAPES, window=WINDOW, recent=RECENT, cap=CAP)
    row_bytes = None
    for step in range(1, 2001):
        capped.append(record(step))
        assert len(capped) <= CAP
        if step == 1:
            row_bytes = capped.nbytes()
    assert row_bytes is not None and capped.nbytes() <= CAP * row_bytes
    assert capped.now == 2000 and capped.stride > 1
    assert list(capped.steps[-RECENT:]) == list(range(2000 - RECENT + 1, 2001))


def test_older_steps_are_thinned_evenly_from_the_first():
    _, capped = histories(2000)
    old = [s for s in capped.steps if s <= 2000 - RECENT]
    assert old[0] == 1  # the first step stays
    assert all((s - 1) % capped.stride == 0 for s in old)
    assert {b - a for a, b in zip(old, old[1:])} == {capped.stride}  # evenly: no gaps, no extras


def test_a_kept_step_reads_exactly_what_it_read_before_thinning():
    full, capped = histories(1500)
    assert len(capped) < len(full)
    for step in capped.steps:
        assert capped.holds(step)
        assert capped.summary(step) == full.summary(step)
        assert capped.loss(step) == full.loss(step) and capped.lr(step) == full.lr(step)
    full_rows = {row.step: row for row in full.rows()}
    assert [row.step for row in capped.rows()] == list(capped.steps)
    assert all(row == full_rows[row.step] for row in capped.rows())
    xs, losses, xm, means = capped.series(10**6)
    assert xs == xm == list(capped.steps)
    assert losses == [full.loss(s) for s in xs]
    assert means == [full.trailing_means()[s - 1] for s in xs]
    # The status line's numbers are computed as steps arrive: exact.
    assert (capped.last_loss, capped.ema, capped.mean) == (full.last_loss, full.ema, full.mean)
    # Trends of the newest steps are whole.
    assert capped.grad_norms("wte", 1500, 10) == full.grad_norms("wte", 1500, 10)
    assert capped.log_ratio("lm_head", 1500) == full.log_ratio("lm_head", 1500)


def test_a_thinned_step_reads_the_kept_step_before_it_and_says_which():
    _, capped = histories(1500)
    thinned = next(s for s in range(1, 1501) if s not in set(capped.steps))
    kept = capped.kept(thinned)
    assert kept < thinned and capped.holds(kept) and not capped.holds(thinned)
    assert capped.summary(thinned).step == kept
    assert capped.summary(thinned).doc == f"doc{kept}"
    assert capped.params(thinned) == capped.params(kept)


def test_series_x_positions_are_the_kept_steps_after_a_checkpoints_start():
    _, capped = histories(1000, start=500)
    xs, _, _, _ = capped.series(10**6)
    assert xs[0] == 501 and xs[-1] == 1500 and xs == list(capped.steps)
    few, _, _, _ = capped.series(4)
    assert len(few) == 4 and 501 <= few[0] < few[-1] <= 1500


@pytest.mark.parametrize("at_kept", [True, False])
def test_fork_of_a_thinned_history_continues_from_the_step(at_kept):
    full, capped = histories(1500)
    old = [s for s in capped.steps if s < 1000]
    step = old[-1] if at_kept else old[-1] + 1
    assert capped.holds(step) is at_kept
    branch = capped.fork(step)
    assert capped.now == step and branch.start == step and branch.now == 1500
    assert all(s <= step for s in capped.steps) and all(s > step for s in branch.steps)
    assert list(branch.steps) == [s for s in range(step + 1, 1501) if branch.holds(s)]
    capped.append(record(step + 1))  # the run goes on from the fork
    assert capped.now == step + 1 and capped.summary(step + 1).doc == f"doc{step + 1}"
    assert capped.summary(old[0]) == full.summary(old[0])


def test_a_thinned_history_saves_and_loads_unchanged():
    _, capped = histories(1500)
    loaded = RunHistory.from_json(SHAPES, capped.to_json(), capped.now)
    loaded.recent, loaded.cap = RECENT, CAP
    assert list(loaded.steps) == list(capped.steps) and loaded.stride == capped.stride
    assert list(loaded.rows()) == list(capped.rows())
    assert (loaded.ema, loaded.mean, loaded.last_loss) == (capped.ema, capped.mean, capped.last_loss)
    assert loaded.series(50) == capped.series(50)


def test_a_whole_history_saves_as_before_without_steps():
    full, _ = histories(30)
    assert "steps" not in full.to_json()
    loaded = RunHistory.from_json(SHAPES, full.to_json(), 30)
    assert list(loaded.steps) == list(range(1, 31)) and loaded.ema == full.ema


@pytest.mark.parametrize(
    "change, message",
    [
        ({"steps": [3, 2]}, "do not rise"),
        ({"steps": "x"}, "whole numbers"),
        ({"stride": 0}, "stride"),
    ],
)
def test_a_bad_thinned_history_is_refused_with_a_message(change, message):
    _, capped = histories(1500)
    data = capped.to_json() | change
    with pytest.raises(ValueError, match=message):
        RunHistory.from_json(SHAPES, data, capped.now)


def test_the_ceiling_needs_room_for_the_trailing_mean():
    with pytest.raises(ValueError, match="recent"):
        RunHistory(SHAPES, window=50, recent=10, cap=100)
