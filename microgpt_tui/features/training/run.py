"""Provides `TrainingRun`: one start of continuous training, and the hand-over of its steps.

While a run trains, its `work` (on a worker thread) is the only code that
touches the trainer. It checks for a stop before every step and hands
finished steps over in batches, at most every `flush_every` seconds, so a
fast trainer does not flood the UI thread with one wake-up per step. A batch
carries everything the UI will need of those steps, made on the worker's
thread while the trainer still holds that state: the records, the snapshots
time travel asked for, a copy of wte for the embedding map, and the weights
the last step started from (copied before every step: ~20 µs against a step's
~6 ms, and then looking at the last step's document never costs a replay). The worker
writes nothing else anyone reads: batches go through a queue that the lab
drains on its own thread (`take`), and `outcome` is written before
`finished` is set, so whoever waited for `finished` may read it.

`RateMeter` turns the hand-overs into steps per second for the status line;
`Pace` is the speed control. At a set pace the worker waits between steps
(on the stop event, so a pause is immediate) and hands every step over on
its own, so the UI can draw each one.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from microgpt_engine import StepRecord, Trainer
from microgpt_engine.insight.matrices import StepState
from microgpt_engine.insight.timetravel import Snapshot, capture
from microgpt_engine.ops import Weights
from microgpt_tui.features.matrix.state import step_state
from microgpt_tui.language import N_


@dataclass(frozen=True)
class Batch:
    """Steps the worker finished since its last hand-over."""

    records: tuple[StepRecord, ...]  # oldest first
    at: float  # time.monotonic() at the hand-over
    wte: tuple[tuple[float, ...], ...]  # the token embeddings after the last of them
    snapshots: tuple[Snapshot, ...]  # the states time travel keeps, taken right after their steps
    before: tuple[int, Weights] | None = None  # (the last step kept, the weights it started from)
    state: StepState | None = None  # the matrix view's numbers after the last step, when asked for


class Limit:
    """How far a replayed run may train: never past `step`; there it hands its steps over and waits, until
    `released`, when it stops (where it stopped when recorded). The replay moves both (one limit per run);
    the worker reads them."""

    def __init__(self, step: int = -1, released: bool = False) -> None:
        self.step = step  # -1: not even the first step yet
        self.released = released
        self.waiting = False  # the worker waits at `step` (written by the worker)
        self.changed = threading.Event()

    def move(self, step: int) -> None:
        self.step = step
        self.changed.set()

    def release(self) -> None:
        self.released = True
        self.changed.set()

    def wait(self) -> None:
        """(The worker's) wait for the replay to move the limit."""
        self.waiting = True
        self.changed.wait(0.05)
        self.changed.clear()
        self.waiting = False


@dataclass(frozen=True)
class Outcome:
    """Why the worker stopped."""

    reason: str = "paused"  # "paused", "done", "diverged" or "error"
    error: str = ""


def embeddings_copy(trainer: Trainer) -> tuple[tuple[float, ...], ...]:
    """wte as it is now, copied on the worker's thread: the UI reads the copy, never the live rows."""
    return tuple(tuple(row) for row in trainer.model.weights["wte"])


def weights_copy(weights: Weights) -> Weights:
    """Every matrix copied row by row (about 30 µs for the default model)."""
    return {name: [row[:] for row in rows] for name, rows in weights.items()}


@dataclass(frozen=True)
class StepTaken:
    """One training step, with what time travel keeps of it."""

    record: StepRecord
    before: tuple[int, Weights] | None  # (the step, the weights it started from); None: it diverged
    snapshot: Snapshot | None  # the whole state after it, when time travel keeps this step's


def one_step(trainer: Trainer, snapshot_due: Callable[[int], bool], loss_after: bool = False) -> StepTaken:
    """The one way a step is taken, by space (on the UI thread) and by a run (on its worker's).

    The weights it starts from are copied first (~20 µs against a step's ~6 ms), so looking at the
    step's document never costs a replay; `loss_after`: the document's loss again after the update.
    """
    weights = weights_copy(trainer.model.weights)
    record = trainer.step(loss_after=loss_after)
    if record.diverged:  # (not applied: the weights stay those of the last kept step)
        return StepTaken(record, None, None)
    snapshot = capture(trainer) if snapshot_due(record.step) else None
    return StepTaken(record, (record.step, weights), snapshot)


class TrainingRun:
    """One start of training: `work` on a worker thread; `request_stop`, `wait` and `take` on the UI's."""

    def __init__(
        self,
        run_id: int,
        trainer: Trainer,
        snapshot_due: Callable[[int], bool],
        flush_every: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        pace: Callable[[], float | None] = lambda: None,
        wants_state: Callable[[], bool] = lambda: False,
        steps: int | None = None,
        loss_after: bool = False,
        limit: Limit | None = None,
    ):
        """`steps`: stop after that many (None: until asked, done or diverged); `loss_after`: each step's
        document is evaluated again after its update (space shows the step's effect); `limit`: a replay's
        (the steps it hands over and where it stops are the recording's; a stop asked for waits for it)."""
        self.id = run_id
        self.trainer = trainer
        self.snapshot_due = snapshot_due
        self.flush_every = flush_every
        self.clock = clock
        self.pace = pace  # read before every step: the speed can change while the run trains
        self.wants_state = wants_state  # the matrix view is open: copy the last step's whole state at a hand-over
        self.steps = steps
        self.loss_after = loss_after
        self.limit = limit
        self.outcome = Outcome()
        self._stop = threading.Event()
        self._ending = False  # the worker acted on a stop (or ended otherwise): it takes no more steps
        self._ending_lock = threading.Lock()  # (a stop is taken back, or acted on, never both)
        self._finished = threading.Event()
        self._batches: queue.SimpleQueue[Batch] = queue.SimpleQueue()

    # -- the UI's side ---------------------------------------------------------

    def request_stop(self) -> None:
        """Ask the worker to stop after its current step."""
        self._stop.set()

    def take_back_stop(self) -> bool:
        """Undo `request_stop` if the worker has not acted on it yet: it trains on, on the same thread (True).
        False once it stops (or has stopped): then only a new run trains."""
        with self._ending_lock:
            if self._ending:
                return False
            self._stop.clear()
            return True

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def _stopping(self, cancelled: Callable[[], bool]) -> bool:
        """The worker's check before each step: once it says stop, `take_back_stop` can no longer undo it."""
        with self._ending_lock:
            if self._stop.is_set() or cancelled():
                self._ending = True
            return self._ending

    @property
    def finished(self) -> bool:
        """The worker takes no more steps, and every step it took is waiting in `take`."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has finished (True), or `timeout` seconds passed (False)."""
        return self._finished.wait(timeout)

    async def wait_async(self) -> None:
        """Wait for the worker to finish without blocking the event loop (and without polling)."""
        if not self.finished:
            await asyncio.to_thread(self._finished.wait)

    def take(self) -> list[Batch]:
        """Every batch handed over and not yet taken, oldest first."""
        batches = []
        while True:
            try:
                batches.append(self._batches.get_nowait())
            except queue.Empty:
                return batches

    # -- the worker's side -------------------------------------------------------

    def work(self, wake: Callable[[], object], cancelled: Callable[[], bool] = lambda: False) -> None:
        """Step the trainer until asked to stop, cancelled, done or diverged.

        `wake()` is called after each hand-over (to post a message to the UI);
        it must be thread-safe.
        """
        trainer, clock = self.trainer, self.clock
        records: deque[StepRecord] = deque()
        snapshots: list[Snapshot] = []
        last = clock()
        reason, error = "paused", ""
        before: tuple[int, Weights] | None = None

        def hand_over(now: float) -> None:
            state = None
            if records and self.wants_state():
                state = step_state(trainer, before, records[-1].doc)
            self._batches.put(Batch(tuple(records), now, embeddings_copy(trainer), tuple(snapshots), before, state))
            records.clear()
            snapshots.clear()
            wake()

        due = clock()  # when the next step may start, at a set pace
        limit = self.limit
        try:
            while True:
                if limit is not None and trainer.step_count >= limit.step:  # a replay's: hand over, wait for it
                    if records or snapshots:
                        last = clock()
                        hand_over(last)
                    if cancelled():
                        break
                    if limit.released:
                        reason = "done" if trainer.done else "paused"
                        break
                    limit.wait()
                    continue
                limit_free = limit is None or limit.released
                if limit_free and self._stopping(cancelled):
                    break
                if trainer.done:
                    reason = "done"
                    break
                rate = self.pace()
                if rate is not None:
                    if self._stop.wait(max(0.0, due - clock())) and limit_free and self._stopping(cancelled):
                        break
                    due = max(due, clock() - 1 / rate) + 1 / rate  # (no burst to catch up after a slow step)
                taken = one_step(trainer, self.snapshot_due, self.loss_after)
                record = taken.record
                records.append(record)
                if taken.before is None:
                    reason = "diverged"
                    break
                before = taken.before  # (a diverged step was not applied: the last kept one's stay)
                if taken.snapshot is not None:
                    snapshots.append(taken.snapshot)
                if self.steps is not None and self.steps <= 1:
                    break  # (its steps are taken: the hand-over below says so)
                if self.steps is not None:
                    self.steps -= 1
                now = clock()
                if limit is None and (rate is not None or now - last >= self.flush_every):
                    hand_over(now)
                    last = now
        except Exception as exc:  # reported on screen; the app stays usable
            reason, error = "error", f"{type(exc).__name__}: {exc}"
        finally:
            with self._ending_lock:
                self._ending = True
            self.outcome = Outcome(reason, error)
            if records or snapshots:
                hand_over(clock())
            self._finished.set()
            wake()


class RateMeter:
    """Steps per second over the last `span` seconds of (time, step) readings."""

    def __init__(self, span: float = 2.0):
        self.span = span
        self._readings: deque[tuple[float, int]] = deque()

    def reset(self) -> None:
        self._readings.clear()

    def add(self, step: int, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._readings.append((now, step))
        while len(self._readings) > 2 and now - self._readings[1][0] >= self.span:
            self._readings.popleft()

    def rate(self) -> float | None:
        """Steps per second, or None until there are two readings far enough apart."""
        if len(self._readings) < 2:
            return None
        (t0, s0), (t1, s1) = self._readings[0], self._readings[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else None


SPEEDS: tuple[float | None, ...] = (1, 2, 5, 10, 30, None)  # steps per second; None: as fast as it goes


class Pace:
    """The speed control: one of `SPEEDS`, moved by `slower` and `faster`."""

    def __init__(self, speed: float | None = None):
        self.index = SPEEDS.index(speed)

    @property
    def rate(self) -> float | None:
        """Steps per second (None: as fast as the trainer goes)."""
        return SPEEDS[self.index]

    def move(self, delta: int) -> bool:
        """One speed slower (-1) or faster (+1); False at either end."""
        index = min(max(self.index + delta, 0), len(SPEEDS) - 1)
        moved, self.index = index != self.index, index
        return moved

    @property
    def label(self) -> str:
        return N_("max speed") if self.rate is None else f"{self.rate:g} step{'' if self.rate == 1 else 's'}/s"

    @property
    def every_step_drawn(self) -> bool:
        """Slow enough for the screen to draw each step as it comes."""
        return self.rate is not None and self.rate <= 10
