"""Provides `Reference`: microgpt's run for a script's settings, step by step, on this engine.

It trains on the plain engine (one `Value` per scalar, microgpt's very graph), so that every weight, gradient
and Adam moment is microgpt's to the last bit (the fused engine adds gradients up in another order: its
weights drift by an ulp). `Reference.step()` keeps, for the step just taken, the weights it began from (what
a probe of the script's `gpt` runs on), the gradients, Adam's moments and the weights after.
"""

from __future__ import annotations

from dataclasses import dataclass

from microgpt_engine import GPT, Config, Sampler, Tokenizer, Trainer
from microgpt_engine.insight.timetravel import unflatten
from microgpt_engine.ops import FloatOps
from microgpt_engine.train import gc_paused


@dataclass(frozen=True)
class StepState:
    """What microgpt holds after step `step` (1-based), and the weights it started the step from."""

    step: int
    doc: str
    tokens: list[int]
    loss: float
    lr: float
    before: list[float]
    grads: list[float]
    m: list[float]
    v: list[float]
    after: list[float]


class Reference:
    def __init__(self, docs: list[str], config: Config, engine: str = "plain") -> None:
        self.docs = docs  # as given (the trainer shuffles its own copy)
        self.trainer = Trainer(docs, config, engine=engine)
        self.names = list(self.trainer.model.shapes)
        self.samples_drawn = 0

    @property
    def tokenizer(self) -> Tokenizer:
        return self.trainer.tokenizer

    @property
    def num_params(self) -> int:
        return self.trainer.model.num_params

    def step(self) -> StepState:
        trainer = self.trainer
        before = trainer.model.flat_weights()
        # The step's graph (over a hundred thousand objects) is dropped before the collector runs again: kept (as the
        # trainer keeps it for the app's views), the next collections would each walk it through.
        with gc_paused():
            record = trainer.step()
            ops = trainer.last_ops
            grads = ops.param_grads(self.names) if ops is not None else []
            trainer.last_ops = trainer.last_graph_ids = ops = None
        return StepState(
            record.step,
            record.doc,
            list(record.tokens),
            record.loss,
            record.lr,
            before,
            grads,
            list(trainer.optimizer.m),
            list(trainer.optimizer.v),
            trainer.model.flat_weights(),
        )

    def logits(self, weights: list[float], tokens: list[int]) -> list[list[float]]:
        """microgpt's logits at each position of `tokens` with `weights` (plain floats: the same numbers)."""
        model = self.trainer.model
        probe = GPT(model.config, model.vocab_size, weights=unflatten(model.shapes, weights))
        ops = FloatOps(probe.weights)
        keys, values = probe.empty_cache()
        n = min(model.config.block_size, len(tokens) - 1)
        return [list(probe.forward(ops, tokens[pos], pos, keys, values)) for pos in range(n)]

    def sample(self) -> str:
        """microgpt's next sample (after training: the run's one RNG goes on)."""
        self.samples_drawn += 1
        return Sampler(
            self.trainer.model, self.trainer.tokenizer, self.trainer.rng, self.trainer.config.temperature
        ).run()

    def matrix_at(self, index: int) -> tuple[str, int, int]:
        """The matrix, row and column of flat parameter `index` (microgpt's order: matrix by matrix, row by row)."""
        offset = 0
        for name, (rows, cols) in self.trainer.model.shapes.items():
            if index < offset + rows * cols:
                row, col = divmod(index - offset, cols)
                return name, row, col
            offset += rows * cols
        raise IndexError(index)
