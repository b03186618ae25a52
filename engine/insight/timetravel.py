"""Provides `TrainingHistory`: go back to any past step of a run, look, or fork from it.

Training uses no randomness after the start (the documents are shuffled once,
the weights drawn once), so a step is a pure function of the state before it:
the weights, Adam's running averages m and v, and its step count t. That gives
time travel cheaply:

- every step, keep a few numbers (loss, learning rate, document, per-matrix
  statistics);
- every K steps (and at the start), keep a snapshot of the whole state: for
  the default model 3 x 4,192 floats, 100 KB;
- to see step s, take the nearest snapshot at or before s and replay the
  missing steps (fewer than K) on a scratch copy of the trainer. Same
  operations on the same numbers: bit for bit the weights the run had.

Forking restores the trainer itself to a past step. The steps it throws away
are kept in `branches`, so nothing is lost without the learner seeing it.

Numbers are stored in `array('d')` (8 bytes a float, where a list of Python
floats costs 32): 1,000 steps of the default model take about 10 MB.
"""

import bisect
import copy
import random
from array import array
from dataclasses import dataclass, fields

from ..model import GPT
from ..optim import Adam
from ..records import EvalRecord, ParamStats
from ..train import evaluate_tokens

# The per-matrix statistics kept for every step (name, rows, cols are fixed per matrix).
STAT_FIELDS = [f.name for f in fields(ParamStats) if f.name not in ("name", "rows", "cols")]


@dataclass
class TrainingState:
    """Everything a training step depends on, after `step` updates."""

    step: int
    weights: list[float]  # flat, in model.shapes order, row-major
    m: list[float]  # Adam's running average of the gradient
    v: list[float]  # Adam's running average of the squared gradient
    t: int  # Adam's update count

    def weights_by_matrix(self, shapes):
        """The flat weights as name -> rows, the shape a `GPT` holds them in."""
        return unflatten(shapes, self.weights)


@dataclass
class StepSummary:
    """What history keeps of one step (the full record is a replay away)."""

    step: int  # 1-based, as in StepRecord
    doc: str
    loss: float
    lr: float
    params: list[ParamStats]


@dataclass
class Branch:
    """Steps discarded by a fork: the road not taken."""

    fork_step: int  # the run was rewound to this step
    records: list[StepSummary]  # the steps after it, as they were


@dataclass
class _Snapshot:
    step: int
    weights: array
    m: array
    v: array
    t: int

    @property
    def nbytes(self):
        return sum(a.itemsize * len(a) for a in (self.weights, self.m, self.v))


def unflatten(shapes, flat):
    """Flat weights -> name -> list of rows."""
    weights, offset = {}, 0
    for name, (rows, cols) in shapes.items():
        weights[name] = [list(flat[offset + r * cols : offset + (r + 1) * cols]) for r in range(rows)]
        offset += rows * cols
    return weights


def capture(trainer) -> _Snapshot:
    """The trainer's whole trainable state, copied."""
    adam = trainer.optimizer.state()
    return _Snapshot(
        trainer.step_count,
        array("d", trainer.model.flat_weights()),
        array("d", adam["m"]),
        array("d", adam["v"]),
        adam["t"],
    )


def restore(trainer, snap):
    """Put `trainer` back in the state `snap` recorded."""
    trainer.model.set_flat_weights(snap.weights)
    trainer.optimizer.load_state({"m": snap.m, "v": snap.v, "t": snap.t})
    trainer.step_count = snap.step
    trainer.diverged = False
    trainer.last_ops = None  # the graph belongs to a step that no longer happened
    trainer.last_graph_ids = None


class TrainingHistory:
    """Kept alongside a `Trainer`: call `record(step_record)` after every step."""

    def __init__(self, trainer, every=10):
        if every < 1:
            raise ValueError(f"snapshot interval must be at least 1, got {every}")
        self.trainer = trainer
        self.every = every
        self.start = trainer.step_count  # the earliest step history can show
        self._snapshots = {}  # step -> _Snapshot
        self._snapshot_steps = []  # sorted
        self._take_snapshot()
        # Per step, in step order: index k holds step start + k + 1.
        self._docs: list[str] = []
        self._losses = array("d")
        self._lrs = array("d")
        self._stats = array("d")  # per step: len(STAT_FIELDS) floats per matrix
        self._matrices = [(name, rows, cols) for name, (rows, cols) in trainer.model.shapes.items()]
        self._replayed = None  # the last state replay produced, so scrubbing forward is cheap
        self.branches: list[Branch] = []

    # --- Recording ----------------------------------------------------------

    @property
    def now(self):
        """The last step recorded: the trainer's current step."""
        return self.start + len(self._losses)

    def __len__(self):
        return len(self._losses)

    def record(self, step_record):
        """Keep one step's summary (a diverged step changed nothing and is skipped)."""
        if step_record.diverged:
            return
        if step_record.step != self.now + 1 or self.trainer.step_count != step_record.step:
            raise ValueError(
                f"history is at step {self.now} and the trainer at {self.trainer.step_count}, "
                f"but this record is step {step_record.step}: record every step, right after it"
            )
        self._docs.append(step_record.doc)
        self._losses.append(step_record.loss)
        self._lrs.append(step_record.lr)
        for p in step_record.params:
            self._stats.extend(float(getattr(p, f)) for f in STAT_FIELDS)
        if step_record.step % self.every == 0:
            self._take_snapshot()

    def _take_snapshot(self):
        snap = capture(self.trainer)
        if snap.step not in self._snapshots:
            bisect.insort(self._snapshot_steps, snap.step)
        self._snapshots[snap.step] = snap

    def summary(self, step) -> StepSummary:
        """The kept numbers of step `step` (1-based: the step-th update)."""
        if not self.start < step <= self.now:
            raise IndexError(f"history holds steps {self.start + 1}..{self.now}, not {step}")
        k = step - self.start - 1
        per_step = len(STAT_FIELDS) * len(self._matrices)
        values = self._stats[k * per_step : (k + 1) * per_step]
        params = []
        for j, (name, rows, cols) in enumerate(self._matrices):
            chunk = values[j * len(STAT_FIELDS) : (j + 1) * len(STAT_FIELDS)]
            params.append(ParamStats(name, rows, cols, **dict(zip(STAT_FIELDS, chunk))))
        return StepSummary(step, self._docs[k], self._losses[k], self._lrs[k], params)

    @property
    def losses(self):
        """Every recorded step's loss, step start+1 first."""
        return list(self._losses)

    def nbytes(self):
        """Memory held by the history's numbers (the documents are shared with the trainer)."""
        snapshots = sum(s.nbytes for s in self._snapshots.values())
        per_step = sum(a.itemsize * len(a) for a in (self._losses, self._lrs, self._stats))
        return snapshots + per_step + 8 * len(self._docs)

    # --- Going back ---------------------------------------------------------

    def state_at(self, step) -> TrainingState:
        """The exact trainable state after `step` updates (start <= step <= now)."""
        snap = self._snapshot_at(step)
        return TrainingState(snap.step, list(snap.weights), list(snap.m), list(snap.v), snap.t)

    def weights_at(self, step):
        """The weights after `step` updates, as name -> rows of floats."""
        return unflatten(self.trainer.model.shapes, self._snapshot_at(step).weights)

    def _snapshot_at(self, step):
        if not self.start <= step <= self.now:
            raise IndexError(f"history holds steps {self.start}..{self.now}, not {step}")
        if step == self.now:
            return capture(self.trainer)
        base = self._snapshots[self._snapshot_steps[bisect.bisect_right(self._snapshot_steps, step) - 1]]
        cached = self._replayed
        if cached is not None and base.step < cached.step <= step:
            base = cached
        if base.step == step:
            return base
        self._replayed = snap = self._replay(base, step)
        return snap

    def _replay(self, base, step):
        """Re-run the steps from `base` up to `step` on a scratch copy of the trainer."""
        scratch = self._scratch_trainer(base)
        while scratch.step_count < step:
            rec = scratch.step()
            recorded = self._losses[rec.step - self.start - 1]
            if rec.diverged or rec.loss != recorded:
                raise RuntimeError(
                    f"replaying step {rec.step} gave loss {rec.loss}, but the run had {recorded}: "
                    "the trainer's data or settings changed since it was recorded"
                )
        return capture(scratch)

    def _scratch_trainer(self, snap):
        trainer = self.trainer
        # Shares the documents and tokenizer (read-only); owns its model,
        # optimiser and RNG, so the real trainer is never touched.
        scratch = copy.copy(trainer)
        shapes = trainer.model.shapes
        scratch.model = GPT(trainer.config, trainer.model.vocab_size, weights=unflatten(shapes, snap.weights))
        opt = trainer.optimizer
        scratch.optimizer = Adam(len(snap.m), opt.lr, opt.beta1, opt.beta2, opt.eps, opt.total_steps)
        scratch.optimizer.load_state({"m": snap.m, "v": snap.v, "t": snap.t})
        scratch.rng = random.Random()
        scratch.rng.setstate(trainer.rng.getstate())
        scratch.step_count = snap.step
        scratch.last_ops = scratch.last_graph_ids = None
        return scratch

    def model_at(self, step) -> GPT:
        """A model holding the weights of `step` (the live model itself at `now`)."""
        if step == self.now:
            return self.trainer.model
        return GPT(self.trainer.config, self.trainer.model.vocab_size, weights=self.weights_at(step))

    def view_at(self, step, doc, ablate=frozenset()) -> EvalRecord:
        """The model as it was at `step`, evaluated on `doc` (no graph, no update)."""
        tokenizer = self.trainer.tokenizer
        return evaluate_tokens(self.model_at(step), tokenizer, tokenizer.document(doc), ablate)

    # --- Forking ------------------------------------------------------------

    def would_discard(self, step):
        """How many recorded steps `fork(step)` would throw away (ask before forking)."""
        return self.now - step

    def fork(self, step) -> list[StepSummary]:
        """Rewind the trainer to `step`: weights, Adam state and step count.

        The later steps' summaries are returned and kept in `branches`; the run
        continues from `step` as if they had never happened.
        """
        snap = self._snapshot_at(step)
        discarded = [self.summary(s) for s in range(step + 1, self.now + 1)]
        if discarded:
            self.branches.append(Branch(step, discarded))
        keep = step - self.start
        per_step = len(STAT_FIELDS) * len(self._matrices)
        del self._docs[keep:], self._losses[keep:], self._lrs[keep:], self._stats[keep * per_step :]
        for s in [s for s in self._snapshot_steps if s > step]:
            del self._snapshots[s]
        self._snapshot_steps = [s for s in self._snapshot_steps if s <= step]
        if self._replayed is not None and self._replayed.step > step:
            self._replayed = None
        restore(self.trainer, snap)
        self._take_snapshot()  # the fork point: replays from here are free
        return discarded
