"""r again before a pause took effect takes the pause back: the same run trains on, on the same thread.

A burst of r's used to start one run and ask it to pause 100 times over (101 x r ended paused, though an odd
count of r's means "train"). Now each r toggles what the learner asked for; only a pause the worker has already
acted on needs a new run, and that starts as soon as the old one has stopped.
"""

import asyncio
import threading
import time

from microgpt_engine import Config, Trainer
from microgpt_tui.core.lab import Lab

LONG = Config(n_embd=8, n_head=2, steps=10**6, seed=5)


def long_lab(docs, folder) -> Lab:
    lab = Lab(Trainer(docs, LONG), docs, "small", folder / "ckpt.json")
    lab.begin()
    return lab


def worker(run) -> threading.Thread:
    """The run's work on a thread of its own, as the app's worker runs it."""
    thread = threading.Thread(target=run.work, args=(lambda: None,), daemon=True)
    thread.start()
    return thread


def wait_for(condition, timeout=10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_r_before_the_worker_acted_on_a_pause_takes_it_back_and_the_same_run_trains_on(small_docs, tmp_path):
    lab = long_lab(small_docs, tmp_path)
    lab.run_or_pause()
    run = lab.stepping.run
    assert lab.run_or_pause().note == "pausing…" and run.stop_requested
    assert lab.run_or_pause().note == "training: r to pause"  # (before the worker even started)
    assert lab.stepping.run is run and not run.stop_requested and lab.mode == "training"
    for _ in range(50):  # 100 more: an even count changes nothing
        lab.run_or_pause()
        lab.run_or_pause()
    assert lab.stepping.run is run and not run.stop_requested
    thread = worker(run)
    wait_for(lambda: lab.trainer.step_count >= 3)  # the pause was taken back: it trains
    lab.run_or_pause()
    thread.join(5)
    lab.take_steps(run.id)
    assert lab.stepping.run is None and lab.mode == "paused" and run.outcome.reason == "paused"


def test_r_after_the_worker_acted_on_the_pause_starts_a_new_run_once_it_has_stopped(small_docs, tmp_path):
    lab = long_lab(small_docs, tmp_path)
    lab.run_or_pause()
    run = lab.stepping.run
    thread = worker(run)
    wait_for(lambda: lab.trainer.step_count >= 2)
    lab.run_or_pause()
    thread.join(5)  # the worker stopped; the lab has not taken that in yet (its message is on its way)
    assert run.finished and not run.take_back_stop()
    assert lab.run_or_pause().note == "training: r to pause"  # too late to take back: train on after it
    assert lab.stepping.run is run  # (still the stopping one)
    lab.take_steps(run.id)  # what the app does when the worker says it stopped
    again = lab.stepping.run
    assert again is not None and again is not run and lab.mode == "training"
    before = lab.trainer.step_count
    thread = worker(again)
    wait_for(lambda: lab.trainer.step_count >= before + 2 or again.finished)
    assert not again.finished
    lab.run_or_pause()  # and r pauses that one
    thread.join(5)
    lab.take_steps(again.id)
    assert lab.stepping.run is None and lab.mode == "paused"


def test_a_late_r_then_another_r_stays_paused_and_a_halt_forgets_the_late_r(small_docs, tmp_path):
    lab = long_lab(small_docs, tmp_path)
    for late_rs, halt in ((2, False), (1, True)):
        lab.run_or_pause()
        run = lab.stepping.run
        thread = worker(run)
        wait_for(lambda: lab.trainer.step_count >= 2)
        lab.run_or_pause()
        thread.join(5)
        for _ in range(late_rs):
            lab.run_or_pause()
        if halt:  # (q, a save: they make training stand still, whatever r's came before)
            assert asyncio.run(lab.halt()) == "paused"
        else:
            lab.take_steps(run.id)
        assert lab.stepping.run is None and lab.mode == "paused"
