"""Provides `run_training`: the body of the continuous-training worker thread.

It is the only code that calls `trainer.step()` while training runs. It checks
for cancellation before every step and reports only by posting messages, in
batches at most every `flush_every` seconds, so a fast trainer does not flood
the UI thread with one message per step. Nothing else touches the trainer
until it returns (the app disables stepping, sampling and saving meanwhile, or
waits for `finished`).
"""

import time

from .messages import TrainingProgress, TrainingStopped


def run_training(trainer, is_cancelled, post, finished=None, flush_every=0.1, clock=time.monotonic, run=0, on_step=None):
    """Step `trainer` until cancelled, done or diverged; post progress and a final stop.

    `finished` (a threading.Event) is set once no more steps will be taken:
    Textual's cancel() cannot stop a thread, so whoever needs the trainer
    back (to save or sample) waits for it. `on_step(record)` runs on this
    thread right after each step, while the trainer still holds that step's
    state (the time-travel history records it there).
    """
    batch, last_post = [], clock()
    reason, error = "paused", ""
    try:
        while not is_cancelled():
            if trainer.done:
                reason = "done"
                break
            record = trainer.step()
            if on_step is not None:
                on_step(record)
            batch.append(record)
            if record.diverged:
                reason = "diverged"
                break
            now = clock()
            if now - last_post >= flush_every:
                post(TrainingProgress(batch, now, embeddings_copy(trainer)))
                batch, last_post = [], now
    except Exception as exc:  # reported on screen; the app stays usable
        reason, error = "error", f"{type(exc).__name__}: {exc}"
    finally:
        if batch:
            post(TrainingProgress(batch, clock(), embeddings_copy(trainer)))
        post(TrainingStopped(reason, error, run))
        if finished is not None:
            finished.set()


def embeddings_copy(trainer):
    """wte as it is now, copied on the worker's thread: the UI reads the copy, never the live rows."""
    return [row[:] for row in trainer.model.weights["wte"]]
