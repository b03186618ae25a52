"""Provides `TimeMachine`: go back to any past step of a run, look, or fork from it.

Training uses no randomness after the start (the documents are shuffled once,
the weights drawn once), so a step is a pure function of the state before it:
the weights, Adam's running averages m and v, and its step count t. That gives
time travel cheaply:

- every step, the run's `RunHistory` keeps a few numbers (loss, learning
  rate, document, per-matrix statistics);
- every K steps (and at the start), keep a snapshot of the whole state: for
  the default model 3 x 4,192 floats, 100 KB;
- to see step s, take the nearest snapshot at or before s and replay the
  missing steps (fewer than K) on a scratch copy of the trainer. Same
  operations on the same numbers: bit for bit the weights the run had.

Forking restores the trainer itself to a past step. The steps it throws away
are kept in `branches`, so nothing is lost without the learner seeing it.

Snapshots are taken where the trainer is: `capture` may run on the training
thread right after a step (`due` says which steps), and the snapshot is then
handed to `keep` on the thread that owns the machine. Numbers are stored in
`array('d')` (8 bytes a float, where a list of Python floats costs 32).

A replay can take seconds (a long run spaces its snapshots far apart), so it
comes in three parts: the owner `plan`s it (a `Replay` holding its own copy
of everything it reads), `Replay.run` may then run on any thread (or
`replay_process.run_apart` in a child process), and the owner `accept`s what
it returns. `state_at` and friends do all three at once.
"""

from __future__ import annotations

import bisect
import random
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import GPT
from ..ops import Weights
from ..optim import Adam
from ..records import EvalRecord
from ..train import Trainer, evaluate_tokens
from .history import RunHistory


@dataclass
class TrainingState:
    """Everything a training step depends on, after `step` updates."""

    step: int
    weights: list[float]  # flat, in model.shapes order, row-major
    m: list[float]  # Adam's running average of the gradient
    v: list[float]  # Adam's running average of the squared gradient
    t: int  # Adam's update count


@dataclass
class Branch:
    """Steps discarded by a fork: the road not taken."""

    fork_step: int  # the run was rewound to this step
    history: RunHistory  # the steps after it, as they were


@dataclass
class Snapshot:
    step: int
    weights: array
    m: array
    v: array
    t: int
    lr: float | None = None  # the optimiser's settings then (a fork or continuing may change them later)
    total_steps: int | None = None

    @property
    def nbytes(self) -> int:
        return sum(a.itemsize * len(a) for a in (self.weights, self.m, self.v))


def unflatten(shapes: dict[str, tuple[int, int]], flat: array | list[float]) -> dict[str, list[list[float]]]:
    """Flat weights -> name -> list of rows."""
    weights, offset = {}, 0
    for name, (rows, cols) in shapes.items():
        weights[name] = [list(flat[offset + r * cols : offset + (r + 1) * cols]) for r in range(rows)]
        offset += rows * cols
    return weights


def capture(trainer: Trainer) -> Snapshot:
    """The trainer's whole trainable state, copied."""
    adam = trainer.optimizer.state()
    return Snapshot(
        trainer.step_count,
        array("d", trainer.model.flat_weights()),
        array("d", adam["m"]),
        array("d", adam["v"]),
        adam["t"],
        trainer.optimizer.lr,
        trainer.optimizer.total_steps,
    )


def restore(trainer: Trainer, snap: Snapshot) -> None:
    """Put `trainer` back in the state `snap` recorded."""
    trainer.model.set_flat_weights(snap.weights)
    trainer.optimizer.load_state({"m": snap.m, "v": snap.v, "t": snap.t})
    trainer.step_count = snap.step
    if snap.lr is not None:  # the schedule as it was then (a later fork may have changed it)
        trainer.retarget(snap.total_steps, snap.lr)
    trainer.diverged = False
    trainer.last_ops = None  # the graph belongs to a step that no longer happened
    trainer.last_graph_ids = None


REPLAY_WINDOW = 32  # replayed states kept for scrubbing (3 MB for the default model)


@dataclass(frozen=True)
class Replayed:
    """What a `Replay` returned: every state it passed through, in order, and why it stopped short (if it did)."""

    replay: Replay
    states: tuple[Snapshot, ...]
    error: str | None = None  # the replay disagreed with the recorded run
    cancelled: bool = False

    @property
    def finished(self) -> bool:
        return self.error is None and not self.cancelled


@dataclass
class Replay:
    """The steps from `base` up to `step`, planned by the machine's owner, run on any thread.

    It owns everything it touches: its trainer is a scratch copy with its own
    model, optimiser and RNG (it shares only the documents and the tokenizer,
    which nothing writes), and `recorded` copies the losses the run had. So it
    can run on a worker thread while the owner goes on with the live trainer.
    """

    machine: TimeMachine  # the machine that planned it (`accept` refuses another's)
    generation: int  # the machine's forks then: a fork since makes the result stale
    step: int
    base: Snapshot
    fresh: bool  # started from a kept snapshot, not from the window: the window starts again
    recorded: dict[int, float]  # step -> the loss the run had (steps the history still holds)
    trainer: Trainer  # the scratch trainer, at `base`
    _stop: threading.Event = field(default_factory=threading.Event)

    def __repr__(self) -> str:  # (a worker names itself by its arguments: the dataclass's would print every float)
        return f"Replay(steps {self.base.step + 1}..{self.step})"

    def cancel(self) -> None:
        """Ask `run` to stop after the step it is on (from any thread)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> Replayed:
        """Re-run the steps here, capturing each state passed through; stops early on `cancel` or `cancelled()`."""
        stop = lambda: self.stopped or cancelled()  # noqa: E731
        states, error, stopped = replay_steps(self.trainer, self.step, self.recorded, stop)
        return Replayed(self, tuple(states), error, stopped)


def replay_steps(
    trainer: Trainer, step: int, recorded: dict[int, float], stop: Callable[[], bool] = lambda: False
) -> tuple[list[Snapshot], str | None, bool]:
    """Step `trainer` (a scratch copy) up to `step`, checking each loss against the run's: the states it passed
    through, what went wrong (None: nothing), and whether `stop` ended it early."""
    states: list[Snapshot] = []
    while trainer.step_count < step:
        if stop():
            return states, None, True
        rec = trainer.step()
        had = recorded.get(rec.step, rec.loss)  # (a step the history thinned away has no loss)
        if rec.diverged or rec.loss != had:
            error = (
                f"replaying step {rec.step} gave loss {rec.loss}, but the run had {had}: "
                "the trainer's data or settings changed since it was recorded"
            )
            return states, error, False
        states.append(capture(trainer))
    return states, None, False


class TimeMachine:
    """Snapshots of one trainer's run, beside the run's `RunHistory`; replays and forks."""

    def __init__(
        self,
        trainer: Trainer,
        history: RunHistory,
        every: int = 10,
        start: int | None = None,
        most: int | None = None,
    ):
        if every < 1:
            raise ValueError(f"snapshot interval must be at least 1, got {every}")
        self.trainer = trainer
        self.history = history
        self.every = every
        # At most `most` snapshots (None: no limit): past it the interval doubles and every other
        # snapshot goes, so memory stays bounded and a replay stays within the steps actually run,
        # whatever the number of steps configured (a 10^9-step run used to snapshot never).
        self.most = most
        # The earliest step there is to show: a history loaded with its checkpoint reaches back
        # further than the states kept (start then says where they begin).
        self.start = history.start if start is None else start
        self._snapshots: dict[int, Snapshot] = {}
        self._snapshot_steps: list[int] = []  # sorted
        self.keep(capture(trainer))
        # Every state the last replays passed through (the last REPLAY_WINDOW of them): scrubbing
        # back or forward within one snapshot interval then costs no replay at all.
        self._window: dict[int, Snapshot] = {}
        self.branches: list[Branch] = []
        self.generation = 0  # counts forks: a replay planned before one is stale
        self._before: tuple[int, Weights] | None = None  # (step, the weights it started from): see keep_before

    @property
    def now(self) -> int:
        """The last step recorded: the trainer's current step once every finished step is kept."""
        return self.history.now

    def due(self, step: int) -> bool:
        """Whether the state right after `step` should be captured and kept."""
        return step % self.every == 0

    def keep(self, snap: Snapshot) -> None:
        """Keep a snapshot `capture` made (on whichever thread the trainer was stepped)."""
        if snap.step not in self._snapshots:
            bisect.insort(self._snapshot_steps, snap.step)
        self._snapshots[snap.step] = snap
        while self.most is not None and len(self._snapshot_steps) > max(self.most, 2):
            self.every *= 2
            first = self._snapshot_steps[0]  # the run's start is always kept
            for step in [s for s in self._snapshot_steps if s != first and s % self.every]:
                del self._snapshots[step]
            self._snapshot_steps = [s for s in self._snapshot_steps if s in self._snapshots]

    def keep_before(self, step: int, weights: Weights) -> None:
        """The weights step `step` started from (those after step - 1), copied where the trainer was stepped.

        Kept for the newest step: its document's predictions came from them, so
        looking at that document (an ablation, the forward view) costs no
        replay. The caller hands over a copy nobody writes.
        """
        self._before = (step, weights)

    @property
    def before(self) -> tuple[int, Weights] | None:
        """(step, the weights it started from) for the newest step, when they were handed over; else None."""
        before = self._before
        return before if before is not None and before[0] == self.now else None

    def weights_ready(self, step: int) -> bool:
        """Whether `model_at(step)` costs no replay: the state is at hand, or these are the weights the newest
        step started from."""
        before = self.before
        return self.ready(step) or (before is not None and before[0] - 1 == step)

    def nbytes(self) -> int:
        """Memory held by the snapshots and the replay window."""
        return sum(s.nbytes for s in (*self._snapshots.values(), *self._window.values()))

    # --- Going back ---------------------------------------------------------

    def state_at(self, step: int) -> TrainingState:
        """The exact trainable state after `step` updates (start <= step <= now)."""
        snap = self._snapshot_at(step)
        return TrainingState(snap.step, list(snap.weights), list(snap.m), list(snap.v), snap.t)

    def weights_at(self, step: int) -> dict[str, list[list[float]]]:
        """The weights after `step` updates, as name -> rows of floats."""
        return unflatten(self.trainer.model.shapes, self._snapshot_at(step).weights)

    def _snapshot_at(self, step: int) -> Snapshot:
        if not self.start <= step <= self.now:
            raise IndexError(f"history holds steps {self.start}..{self.now}, not {step}")
        at_hand = self._at_hand(step)
        if at_hand is not None:
            return at_hand
        replayed = self.plan(step).run()
        if replayed.error is not None:
            raise RuntimeError(replayed.error)
        self.accept(replayed)
        return self._window[step]

    def _at_hand(self, step: int) -> Snapshot | None:
        """The state of `step` if it needs no replay: now, a kept snapshot, or one the last replays passed."""
        if step == self.now:
            return capture(self.trainer)
        return self._window.get(step) or self._snapshots.get(step)

    def ready(self, step: int) -> bool:
        """Whether looking at `step` costs no replay."""
        return step == self.now or step in self._window or step in self._snapshots

    def kept(self, step: int) -> bool:
        """Whether `step`'s state is a kept snapshot (a replay never drops it)."""
        return step in self._snapshots

    def plan(self, step: int) -> Replay:
        """The replay that brings `step` within reach (start <= step < now, not `ready`), to run on any thread."""
        if not self.start <= step < self.now:
            raise IndexError(f"history holds steps {self.start}..{self.now - 1} to replay, not {step}")
        base = self._snapshots[self._snapshot_steps[bisect.bisect_right(self._snapshot_steps, step) - 1]]
        nearer = [s for s in self._window if base.step < s < step]
        if nearer:
            base = self._window[max(nearer)]  # go on from where the last replay stopped
        history = self.history
        recorded = {s: history.loss(s) for s in range(base.step + 1, step + 1) if history.holds(s)}
        return Replay(self, self.generation, step, base, not nearer, recorded, self._scratch_trainer(base))

    def accept(self, replayed: Replayed) -> bool:
        """Keep the states a replay passed through (on the owner's thread). False: it was planned by another
        machine or before a fork, and is dropped."""
        replay = replayed.replay
        if replay.machine is not self or replay.generation != self.generation:
            return False
        if replay.fresh:
            self._window = {}  # another interval
        for snap in replayed.states:
            self._window[snap.step] = snap
        for old in sorted(self._window)[:-REPLAY_WINDOW]:
            del self._window[old]
        return True

    def _scratch_trainer(self, snap: Snapshot) -> Trainer:
        trainer = self.trainer
        # Shares the documents and tokenizer (read-only); owns its model, optimiser and RNG, so
        # the real trainer is never touched. The engine's own Trainer class: a replay re-runs
        # the engine's steps, whatever a subclass of the live trainer adds.
        scratch = Trainer.__new__(Trainer)
        scratch.__dict__.update(trainer.__dict__)
        shapes = trainer.model.shapes
        scratch.model = GPT(trainer.config, trainer.model.vocab_size, weights=unflatten(shapes, snap.weights))
        opt = trainer.optimizer
        lr = opt.lr if snap.lr is None else snap.lr  # the schedule the recorded steps ran with
        total = opt.total_steps if snap.total_steps is None else snap.total_steps
        scratch.optimizer = Adam(len(snap.m), lr, opt.beta1, opt.beta2, opt.eps, total)
        scratch.optimizer.load_state({"m": snap.m, "v": snap.v, "t": snap.t})
        scratch.rng = random.Random()
        scratch.rng.setstate(trainer.rng.getstate())
        scratch.step_count = snap.step
        scratch.last_ops = scratch.last_graph_ids = None
        return scratch

    def model_at(self, step: int) -> GPT:
        """A model holding the weights of `step` (the live model itself at `now`), to read, never to write.
        A replay unless `weights_ready(step)`."""
        if step == self.now:
            return self.trainer.model
        before = self.before
        if before is not None and before[0] - 1 == step:
            weights = before[1]
        else:
            weights = self.weights_at(step)
        return GPT(self.trainer.config, self.trainer.model.vocab_size, weights=weights)

    def view_at(self, step: int, doc: str, ablate: frozenset = frozenset()) -> EvalRecord:
        """The model as it was at `step`, evaluated on `doc` (no graph, no update)."""
        tokenizer = self.trainer.tokenizer
        return evaluate_tokens(self.model_at(step), tokenizer, tokenizer.document(doc), ablate)

    # --- Forking ------------------------------------------------------------

    def would_discard(self, step: int) -> int:
        """How many recorded steps `fork(step)` would throw away (ask before forking)."""
        return self.now - step

    def fork(self, step: int) -> RunHistory:
        """Rewind the trainer to `step`: weights, Adam state and step count.

        The later steps are cut off the run's history, returned and kept in
        `branches`; the run continues from `step` as if they had never happened.
        """
        snap = self._snapshot_at(step)
        self.generation += 1  # replays planned before now may have passed the cut-off steps
        discarded = self.history.fork(step)
        if len(discarded):
            self.branches.append(Branch(step, discarded))
        for s in [s for s in self._snapshot_steps if s > step]:
            del self._snapshots[s]
        self._snapshot_steps = [s for s in self._snapshot_steps if s <= step]
        self._window = {s: snap for s, snap in self._window.items() if s <= step}
        self._before = None  # (the fork point's own: the state before it is in the window, or a snapshot)
        restore(self.trainer, snap)
        self.keep(capture(self.trainer))  # the fork point: replays from here are free
        return discarded
