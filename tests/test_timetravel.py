"""Time travel: exact reconstruction of past steps, views of past models, forks, memory."""

import dataclasses
import threading
import tracemalloc

import pytest

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.replay_process import run_apart
from microgpt_engine.insight.timetravel import TimeMachine, capture
from microgpt_engine.records import StepRecord

CONFIG = Config(n_embd=8, n_head=2, steps=50, seed=3)
RUNS = {"run": lambda replay: replay.run(), "run_apart": run_apart}  # here, or in a child process


def true_state(trainer):
    adam = trainer.optimizer.state()
    return trainer.step_count, trainer.model.flat_weights(), adam["m"], adam["v"], adam["t"]


def record(machine, record):
    """What the app does with each finished step: the history keeps it, a due snapshot is kept."""
    machine.history.append(record)
    if machine.due(record.step):
        machine.keep(capture(machine.trainer))


@pytest.fixture
def run(small_docs):
    """A trainer after 23 recorded steps, with the true state after every step."""
    trainer = Trainer(small_docs, CONFIG)
    history = TimeMachine(trainer, RunHistory(trainer.model.shapes), every=5)
    truth, records = [true_state(trainer)], []
    for _ in range(23):
        step = trainer.step()
        record(history, step)
        records.append(step)
        truth.append(true_state(trainer))
    return trainer, history, truth, records


def test_state_at_every_past_step_is_bit_identical_to_the_original_run(run):
    trainer, history, truth, _ = run
    for step in [7, 0, 23, 13, 14, 5, 22, 1]:  # out of order: the replay cache must not leak
        state = history.state_at(step)
        assert (state.step, state.weights, state.m, state.v, state.t) == truth[step]


def test_state_at_leaves_the_live_trainer_untouched_and_training_continues_identically(run, small_docs):
    trainer, history, truth, _ = run
    history.state_at(3)
    history.state_at(18)
    assert true_state(trainer) == truth[23]
    straight = Trainer(small_docs, CONFIG)
    for _ in range(24):
        expected = straight.step()
    assert trainer.step().loss == expected.loss
    assert trainer.model.flat_weights() == straight.model.flat_weights()


def test_view_at_now_is_the_live_model_and_view_at_zero_is_the_initial_model(run, small_docs):
    trainer, history, _, _ = run
    doc = small_docs[4]
    assert history.view_at(history.now, doc) == trainer.evaluate(doc)
    fresh = Trainer(small_docs, CONFIG)
    assert history.view_at(0, doc) == fresh.evaluate(doc)
    assert history.view_at(0, doc).loss != trainer.evaluate(doc).loss


def test_summary_keeps_each_steps_loss_lr_doc_and_matrix_stats_exactly(run):
    _, history, _, records = run
    for record in (records[0], records[9], records[-1]):
        summary = history.history.summary(record.step)
        assert (summary.step, summary.doc, summary.loss, summary.lr) == (
            record.step,
            record.doc,
            record.loss,
            record.lr,
        )
        assert summary.params == record.params
    assert history.history.losses == [r.loss for r in records]


def test_fork_rewinds_weights_adam_and_step_count_and_keeps_the_discarded_steps(run):
    trainer, history, truth, records = run
    assert history.would_discard(7) == 16
    discarded = history.fork(7)
    assert true_state(trainer) == truth[7]
    assert history.now == 7 and trainer.step_count == 7
    assert trainer.last_ops is None
    assert (discarded.start, discarded.now) == (7, 23)
    assert [discarded.summary(s).step for s in range(8, 24)] == list(range(8, 24))
    assert discarded.losses == [r.loss for r in records[7:]]
    assert discarded.summary(12).params == records[11].params
    assert history.history.now == 7 and history.history.losses == [r.loss for r in records[:7]]
    assert len(history.branches) == 1 and history.branches[0].fork_step == 7
    assert history.branches[0].history is discarded
    # Training on from the fork retraces the same steps (no randomness), and history follows.
    for expected in records[7:10]:
        step = trainer.step()
        record(history, step)
        assert step.loss == expected.loss
    assert history.state_at(9).weights == truth[9][1]
    assert history.state_at(10).weights == truth[10][1]


def test_fork_at_the_current_step_discards_nothing(run):
    trainer, history, truth, _ = run
    assert len(history.fork(23)) == 0
    assert history.branches == []
    assert true_state(trainer) == truth[23]


def test_the_history_refuses_a_step_it_did_not_see(small_docs):
    trainer = Trainer(small_docs, CONFIG)
    history = RunHistory(trainer.model.shapes)
    trainer.step()
    with pytest.raises(ValueError, match="the history is at step 0, but this record is step 2"):
        history.append(trainer.step())


def test_a_diverged_step_is_not_recorded(run):
    _, history, _, records = run
    history.history.append(dataclasses.replace(records[-1], step=24, diverged=True))
    assert history.now == 23


def test_state_at_outside_the_history_is_an_index_error(run):
    _, history, _, _ = run
    with pytest.raises(IndexError):
        history.state_at(24)
    with pytest.raises(IndexError):
        history.state_at(-1)


@pytest.fixture
def bundled_docs():
    return load_documents(bundled_names_path())


def test_thousand_steps_of_history_for_the_default_model_stay_under_12_mb(bundled_docs):
    """Real snapshots of the default model (4,192 weights), 1,000 recorded steps."""
    trainer = Trainer(bundled_docs, Config())
    assert trainer.model.num_params == 4192
    template = trainer.step()
    trainer.step_count = 0
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    history = TimeMachine(trainer, RunHistory(trainer.model.shapes), every=10)
    for step in range(1, 1001):
        trainer.step_count = step  # stands in for a real step: a snapshot costs the same
        record(history, StepRecord(**{**template.__dict__, "step": step}))
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    nbytes = history.nbytes() + history.history.nbytes()
    print(f"history of 1,000 steps: {held:,} bytes traced, {nbytes:,} bytes by nbytes()")
    assert len(history._snapshots) == 101
    assert history.history.nbytes() < 850_000  # about 780 bytes a step
    assert nbytes < 12_000_000
    assert held < 12_000_000


def test_scrubbing_back_within_a_snapshot_interval_replays_nothing_more(run):
    """One replay up to step 9 passes through 6, 7 and 8: stepping back to them is free, and exact."""
    _, history, truth, _ = run
    replays = []
    plan = history.plan
    history.plan = lambda step: (lambda replay: replays.append((replay.base.step, step)) or replay)(plan(step))
    assert history.state_at(9).weights == truth[9][1]
    for step in (8, 7, 6):
        state = history.state_at(step)
        assert (state.step, state.weights, state.m, state.v, state.t) == truth[step]
    assert replays == [(5, 9)]
    assert history.state_at(12).weights == truth[12][1]  # another interval: one more replay
    assert replays == [(5, 9), (10, 12)]


@pytest.mark.parametrize("where", ["run", "run_apart"])
def test_a_replay_run_on_another_thread_or_in_a_child_process_gives_the_states_bit_for_bit(run, where):
    """plan on the owner's thread, run on a worker thread (or in a process it waits for), accept back: the
    same numbers as the run had."""
    trainer, machine, truth, _ = run
    assert not machine.ready(13) and machine.ready(10) and machine.ready(23)
    replay = machine.plan(13)
    results = []
    worker = threading.Thread(target=lambda: results.append(RUNS[where](replay)))
    worker.start()
    worker.join(30)
    (replayed,) = results
    assert replayed.finished and [s.step for s in replayed.states] == [11, 12, 13]
    assert machine.accept(replayed) and machine.ready(11) and machine.ready(13)
    for step in (11, 12, 13):
        state = machine.state_at(step)
        assert (state.step, state.weights, state.m, state.v, state.t) == truth[step]
    assert true_state(trainer) == truth[23]  # the live trainer never moved


def test_a_replay_planned_before_a_fork_or_cancelled_is_dropped(run):
    _, machine, truth, _ = run
    stale = machine.plan(18)
    machine.fork(16)
    assert not machine.accept(stale.run())  # it passed steps the fork cut off
    assert not machine.ready(17)
    for where in ("run", "run_apart"):
        replay = machine.plan(14)
        replay.cancel()
        replayed = RUNS[where](replay)
        assert replayed.cancelled and not replayed.finished and replayed.states == ()
    assert machine.state_at(14).weights == truth[14][1]


def test_the_weights_the_newest_step_started_from_make_the_step_before_it_free_and_exact(small_docs):
    """keep_before(now, copy): model_at(now - 1) replays nothing and holds that step's weights; a later step or
    a fork makes them stale, and they are no longer offered."""
    trainer = Trainer(small_docs, CONFIG)
    machine = TimeMachine(trainer, RunHistory(trainer.model.shapes), every=5)
    for _ in range(7):
        weights = {name: [row[:] for row in rows] for name, rows in trainer.model.weights.items()}
        step = trainer.step()
        record(machine, step)
        machine.keep_before(step.step, weights)
    plans = []
    plan = machine.plan
    machine.plan = lambda step: plans.append(step) or plan(step)
    assert not machine.ready(6) and machine.weights_ready(6) and machine.before[0] == 7
    assert machine.model_at(6).flat_weights() == machine.state_at(6).weights == true_state(trainer_at(small_docs, 6))[1]
    assert plans == [6]  # (state_at(6) replayed; model_at(6) did not)
    record(machine, trainer.step())  # step 8, without its weights before
    assert machine.before is None and not machine.weights_ready(7)
    machine.keep_before(8, weights)  # (any copy: only its step is checked here)
    machine.fork(5)
    assert machine.before is None and machine.now == 5


def trainer_at(docs, steps):
    trainer = Trainer(docs, CONFIG)
    for _ in range(steps):
        trainer.step()
    return trainer


def test_a_replay_names_its_steps_in_a_few_characters(run):
    """(The app's worker names itself by its arguments: a replay's own repr printed every float it holds.)"""
    _, machine, _, _ = run
    assert repr(machine.plan(8)) == "Replay(steps 6..8)" and len(repr(machine.plan(8).base)) > 10_000
