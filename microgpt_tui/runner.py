"""Provides `run_training`: the body of the continuous-training worker thread.

It is the only code that calls `trainer.step()` while training runs. It checks
for cancellation before every step and hands finished steps over in batches,
at most every `flush_every` seconds, so a fast trainer does not flood the UI
thread with one message per step. A batch goes into the app's inbox (a deque:
appending is thread-safe) and only a wake-up is posted; the UI thread takes
everything in the inbox at once, so after `finished` is set it can take the
last steps itself instead of waiting for messages still queued. Nothing else
touches the trainer until it returns (the app disables stepping, sampling and
saving meanwhile, or waits for `finished`).
"""

import time
from dataclasses import dataclass

from .messages import TrainingProgress, TrainingStopped


@dataclass
class Batch:
    """Steps the worker finished since its last hand-over."""

    records: list  # StepRecords, oldest first
    at: float  # time.monotonic() at the hand-over
    wte: list  # a copy of the token embeddings after the last of them (the embedding view reads it)


@dataclass
class Outcome:
    """Why the worker stopped; written before `finished` is set, so whoever waited for it can read it."""

    reason: str = "paused"  # "paused", "done", "diverged" or "error"
    error: str = ""


def run_training(trainer, is_cancelled, inbox, post, finished=None, outcome=None, flush_every=0.1, clock=time.monotonic, run=0, on_step=None):
    """Step `trainer` until cancelled, done or diverged; hand batches to `inbox`, post wake-ups and a final stop.

    `finished` (a threading.Event) is set once no more steps will be taken
    and every step is in `inbox`: Textual's cancel() cannot stop a thread, so
    whoever needs the trainer back (to save or sample) waits for it.
    `outcome` (an Outcome) says why. `on_step(record)` runs on this thread
    right after each step, while the trainer still holds that step's state
    (the time-travel history records it there).
    """
    outcome = outcome if outcome is not None else Outcome()
    batch, last_post = [], clock()

    def hand_over(now):
        inbox.append(Batch(batch, now, embeddings_copy(trainer)))
        post(TrainingProgress())

    try:
        while not is_cancelled():
            if trainer.done:
                outcome.reason = "done"
                break
            record = trainer.step()
            if on_step is not None:
                on_step(record)
            batch.append(record)
            if record.diverged:
                outcome.reason = "diverged"
                break
            now = clock()
            if now - last_post >= flush_every:
                hand_over(now)
                batch, last_post = [], now
    except Exception as exc:  # reported on screen; the app stays usable
        outcome.reason, outcome.error = "error", f"{type(exc).__name__}: {exc}"
    finally:
        if batch:
            hand_over(clock())
        post(TrainingStopped(outcome.reason, outcome.error, run))
        if finished is not None:
            finished.set()


def embeddings_copy(trainer):
    """wte as it is now, copied on the worker's thread: the UI reads the copy, never the live rows."""
    return [row[:] for row in trainer.model.weights["wte"]]
