"""Provides `Trainer`: microgpt's training loop, one observable step at a time.

Step i takes document i (after one seeded shuffle), runs the model over it one
token at a time, averages the cross-entropy of each next-token prediction,
backpropagates through the graph and lets Adam update every weight. Each step
returns a `StepRecord` with everything the app shows.
"""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypedDict

from .config import Config, ConfigError
from .model import GPT, Ablation
from .ops import ENGINES, FloatOps, GraphOps, Ops, S
from .optim import Adam
from .records import EvalRecord, ParamStats, PositionRecord, StepRecord
from .tokenizer import Tokenizer


class GraphIds(TypedDict):
    """Where a step's loss, logits and per-position losses sit in its graph: node ids
    on the fused tape, the `Value` nodes themselves on the plain engine."""

    loss: Any
    logits: list[list[Any]]  # [pos] -> one node per token
    losses: list[Any]  # [pos] -> that position's cross-entropy


@contextmanager
def gc_paused() -> Iterator[None]:
    """A step's graph has no reference cycles worth collecting, yet the cyclic
    collector would walk it several times as it is built; pause it meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_document(
    model: GPT,
    ops: Ops[S],
    tokens: Sequence[int],
    ablate: Ablation = frozenset(),
    trace: list[tuple[list[S], S]] | None = None,
) -> tuple[S, list[PositionRecord], list[list[list[list[float]]]], int]:
    """Forward over one document: loss handle, per-position records, attention.

    `trace`, if given, receives one (logits, loss) pair of handles per position
    (node ids on the fused tape, `Value`s on the plain engine), so the graph can
    be inspected afterwards.
    """
    n = min(model.config.block_size, len(tokens) - 1)
    keys, values = model.empty_cache()
    losses: list[S] = []
    positions: list[PositionRecord] = []
    per_pos_attention: list[list[list[list[float]]]] = []  # [pos][layer][head] -> weights
    for pos in range(n):
        token, target = tokens[pos], tokens[pos + 1]
        attention_here: list[list[list[float]]] = []  # [layer][head] -> weights over keys 0..pos
        logits = model.forward(ops, token, pos, keys, values, attention=attention_here, ablate=ablate)
        per_pos_attention.append(attention_here)
        loss_t, probs = ops.cross_entropy(logits, target)
        if trace is not None:
            trace.append((list(logits), loss_t))
        losses.append(loss_t)
        positions.append(PositionRecord(pos, token, target, probs))
    # per_pos_attention[pos][layer][head] -> attention[layer][head][pos]
    attention = [
        [[per_pos_attention[p][li][h] for p in range(n)] for h in range(model.config.n_head)]
        for li in range(model.config.n_layer if model.config.attention else 0)
    ]
    return ops.mean(losses), positions, attention, n


def spread(values: Sequence[float], mean: float, norm: float | None = None) -> float:
    """Standard deviation from the sum of squares; inf when the values are too
    large to square (weights of a run that is blowing up, e.g. lr 1e300).
    `norm`: their L2 norm, if the caller has it already."""
    try:
        norm = math.hypot(*values) if norm is None else norm
        return math.sqrt(max(norm**2 / len(values) - mean * mean, 0.0))
    except OverflowError:
        return math.inf


def matrix_stats(
    name: str,
    shape: tuple[int, int],
    data: Sequence[float],
    grads: Sequence[float],
    updates: Sequence[float],
    m: Sequence[float],
    v: Sequence[float],
) -> ParamStats:
    """Summary numbers of one matrix, for display only (so builtin sum() is fine
    here). Speed: C-level sum/min/max/hypot, no Python loop per weight."""
    n = len(data)
    mean = sum(data) / n
    std = spread(data, mean)
    u_norm = math.hypot(*updates)  # (once: the spread and the update's norm both need it)
    u_std = spread(updates, sum(updates) / n, u_norm)
    hi, lo = max(updates), min(updates)
    largest = hi if hi >= -lo else lo  # the signed change of largest size
    return ParamStats(
        name=name,
        rows=shape[0],
        cols=shape[1],
        mean=mean,
        std=std,
        min=min(data),
        max=max(data),
        grad_norm=math.hypot(*grads),
        update_ratio=u_std / std if std > 0 else 0.0,
        m_mean_abs=sum(map(abs, m)) / n,
        v_mean_sqrt=math.sqrt(sum(v) / n),
        update_norm=u_norm,
        update_max=largest,
    )


def all_finite(xs: Sequence[float]) -> bool:
    return all(map(math.isfinite, xs))


class Trainer:
    def __init__(self, docs: Iterable[str], config: Config | None = None, engine: str = "fused") -> None:
        self.config = config = (config or Config()).validate()
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
        self.engine = engine
        # One RNG, as in microgpt: it shuffles the documents, draws the initial
        # weights, and later draws the samples.
        self.rng = random.Random(config.seed)
        self.docs = list(docs)
        if not self.docs:
            raise ValueError("there are no documents to train on")
        self.rng.shuffle(self.docs)
        self.tokenizer = Tokenizer.from_documents(self.docs)
        config.check_size(self.tokenizer.vocab_size, engine)
        self.model = GPT(config, self.tokenizer.vocab_size, self.rng)
        self.optimizer = Adam(self.model.num_params, config.lr, config.beta1, config.beta2, config.eps, config.steps)
        self.step_count = 0  # updates applied so far
        self.last_ops: GraphOps[Any] | None = None  # the last step's graph, for inspecting it
        self.last_graph_ids: GraphIds | None = None  # its loss and logits (see insight/graph.py)
        self.diverged = False

    @property
    def done(self) -> bool:
        return self.step_count >= self.config.steps

    def retarget(self, steps: int | None = None, lr: float | None = None) -> None:
        """Change the run's total steps or its learning rate from the next step on (forks, continuing).

        The schedule stays the same straight line, re-drawn: step t uses
        lr x (1 - t / steps), so adding steps to a finished run goes on at
        lr x (1 - done / steps) and decays linearly to 0 over the added steps.
        """
        config = replace(self.config, steps=steps or self.config.steps, lr=lr or self.config.lr).validate()
        if config.steps < self.step_count:
            raise ConfigError(f"steps ({config.steps}) must be at least the steps already done ({self.step_count})")
        self.config = config
        self.optimizer.total_steps, self.optimizer.lr = config.steps, config.lr

    def document(self, step: int | None = None) -> str:
        """The document that training step `step` (0-based; default: the next) uses."""
        step = self.step_count if step is None else step
        return self.docs[step % len(self.docs)]

    def step(self, loss_after: bool = False) -> StepRecord:
        """One training step on the next document."""
        if self.done:  # past the last step the decayed learning rate turns negative
            raise RuntimeError(f"training is complete: all {self.config.steps} steps are done")
        start = time.perf_counter()
        # Only one step's graph is ever alive: drop the last one before building the next.
        self.last_ops = self.last_graph_ids = None
        doc = self.document()
        # Only [BOS] + the first block_size characters are ever predicted from.
        tokens = self.tokenizer.document(doc[: self.config.block_size])
        model = self.model
        names = list(model.shapes)
        with gc_paused():
            ops = ENGINES[self.engine](model.weights)
            try:
                trace: list[tuple[list[Any], Any]] = []
                loss, positions, attention, n = run_document(model, ops, tokens, trace=trace)
                ops.backward(loss)
                grads = ops.param_grads(names)
                loss_value = ops.data(loss)
            except (ArithmeticError, ValueError) as e:  # e.g. log(0) in the plain engine
                if isinstance(e, ValueError) and "math domain error" not in str(e):
                    raise  # a real bug, not a number that ran away
                n = min(self.config.block_size, len(tokens) - 1)
                positions, attention, loss_value = [], [], math.nan
                grads = [math.nan] * model.num_params
        self.last_ops = ops
        if not math.isnan(loss_value):  # kept for inspecting (insight/graph.py, insight/value_graph.py)
            self.last_graph_ids = {
                "loss": loss,
                "logits": [logits for logits, _ in trace],
                "losses": [loss_t for _, loss_t in trace],
            }
        old = model.flat_weights()
        adam_before = self.optimizer.state()
        try:
            new, updates, lr_t = self.optimizer.update(old, grads)
        except OverflowError:  # gradients too large to square: as diverged as an inf
            new, updates, lr_t = [math.inf], [], self.optimizer.lr_at(adam_before["t"])
        diverged = not (math.isfinite(loss_value) and all_finite(grads) and all_finite(new))
        if diverged:
            # Keep the last finite state inspectable and savable: weights and Adam as they were.
            self.diverged = True
            self.optimizer.load_state(adam_before)
            new, updates = old, [0.0] * len(old)
        else:
            model.set_flat_weights(new)
            self.step_count += 1
        params = self._param_stats(names, new, grads, updates)
        record = StepRecord(
            step=self.step_count if not diverged else self.step_count + 1,
            total_steps=self.config.steps,
            doc=doc,
            tokens=tokens[: n + 1],
            labels=[self.tokenizer.label(t) for t in tokens[: n + 1]],
            loss=loss_value,
            lr=lr_t,
            positions=positions,
            attention=attention,
            params=params,
            graph_nodes=len(ops.tape) if hasattr(ops, "tape") else 0,
            diverged=diverged,
        )
        if loss_after and not diverged:
            record.after = self.evaluate(doc)
            record.loss_after = record.after.loss
        record.ms = (time.perf_counter() - start) * 1000
        return record

    def _param_stats(
        self, names: Sequence[str], flat: Sequence[float], grads: Sequence[float], updates: Sequence[float]
    ) -> list[ParamStats]:
        stats: list[ParamStats] = []
        offset = 0
        m, v = self.optimizer.m, self.optimizer.v
        for name in names:
            rows, cols = self.model.shapes[name]
            end = offset + rows * cols
            sl = slice(offset, end)
            stats.append(matrix_stats(name, (rows, cols), flat[sl], grads[sl], updates[sl], m[sl], v[sl]))
            offset = end
        return stats

    def evaluate(self, doc: str, ablate: Ablation = frozenset()) -> EvalRecord:
        """Loss, predictions and attention on `doc` with the current weights; no graph."""
        tokens = self.tokenizer.document(doc[: self.config.block_size])
        return evaluate_tokens(self.model, self.tokenizer, tokens, ablate)


def evaluate_tokens(model: GPT, tokenizer: Tokenizer, tokens: list[int], ablate: Ablation = frozenset()) -> EvalRecord:
    """A forward pass on plain floats: same numbers as training's, no graph."""
    loss, positions, attention, n = run_document(model, FloatOps(model.weights), tokens, ablate)
    kept = tokens[: n + 1]
    return EvalRecord(kept, [tokenizer.label(t) for t in kept], loss, positions, attention)
