"""Provides the runs the claim tests share: the default model's 1,000 steps watched parameter by parameter
(`observe`), the settings screen's presets as configs, and the words of a text on one line.

The runs are made once per test session (conftest.py's `bundled_run`, `reference_run` and `run` fixtures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import and_, mul, sub

from microgpt_engine import Config, Trainer
from microgpt_engine.insight.baselines import bigram_loss
from microgpt_tui import texts
from microgpt_tui.features.runs.settings_screen import PRESETS


def words(text: str) -> str:
    return " ".join(text.split())


def tour(title: str) -> str:
    """The tour step's body, its words on one line."""
    return words(next(step.body for step in texts.TOUR if step.title == title))


@dataclass
class RunFacts:
    """What one 1,000-step run did, as the sentences need it."""

    data: str  # "bundled" or "reference"
    docs: list[str]  # as given (the trainer holds them shuffled)
    trainer: Trainer
    losses: list[float] = field(default_factory=list)
    zero_grad_at_1: int = 0  # parameters whose gradient was exactly 0 at step 1
    zero_grad_moved_at_1: int = 0  # ... of them, how many moved
    nonzero_still_at_1: int = 0  # parameters with a gradient that did not move at step 1
    never_moved: set[int] = field(default_factory=set)  # flat indices no step changed
    with_gradient: int = 0  # updates of a parameter whose gradient was not 0, over the run
    with_gradient_its_way: int = 0  # ... of them, the ones that moved in the gradient's own direction
    against_m: bool = True  # every update went against Adam's m
    moves: int = 0  # updates that moved a parameter, over the run
    moves_over_lr: int = 0  # ... of them, by more than lr_t
    most_over_lr: float = 0.0  # the largest |Δ| / lr_t
    over_lr_at_1: list[float] = field(default_factory=list)  # |Δ| / lr of every parameter that moved at step 1
    log_ratio_at_1: dict[str, float] = field(default_factory=dict)  # log10 update:data per matrix, step 1
    log_lr_std_at_1: dict[str, float] = field(default_factory=dict)  # log10 lr_t / std per matrix, step 1
    log_lr_std_last: dict[str, float] = field(default_factory=dict)  # ... at the last step
    rng_after: tuple = ()  # the RNG's state when training ended (sampling continues from it, as in microgpt)

    @property
    def last100(self) -> float:
        return sum(self.losses[-100:]) / 100

    @property
    def bigram(self) -> float:
        return bigram_loss(self.trainer.docs, self.trainer.tokenizer, self.trainer.config.block_size)


def observe(data: str, docs: list[str], config: Config) -> RunFacts:
    """Train `config` on `docs` to the end, watching every parameter at every step."""
    trainer = Trainer(docs, config)
    facts = RunFacts(data, docs, trainer)
    names = list(trainer.model.shapes)
    n = trainer.model.num_params
    still: Sequence[int] = range(n)  # the parameters no step has changed yet (a few hundred after the first steps)
    new = trainer.model.flat_weights()
    for _ in range(config.steps):
        old = new  # only the step changes the weights
        record = trainer.step()
        new = trainer.model.flat_weights()
        assert trainer.last_ops is not None
        grads = trainer.last_ops.param_grads(names)
        m = trainer.optimizer.m
        lr = record.lr
        facts.losses.append(record.loss)
        # The 4,192 parameters through map() and comprehensions (a Python loop over them: 3x the time, 2-3 s a run):
        # a change is "a move" when it is not 0; d * m < 0 and d * g > 0 hold only for moves with m, g not 0.
        deltas = list(map(sub, new, old))
        moves = list(map(bool, deltas))
        still = [i for i in still if not deltas[i]]  # (a pass over those not moved yet, not over all of them)
        count = sum(moves)
        facts.moves += count
        sizes = list(map(abs, deltas))
        facts.moves_over_lr += sum(map(lr.__lt__, sizes))
        facts.most_over_lr = max(facts.most_over_lr, max(sizes) / lr)  # x / lr keeps the order of x
        facts.against_m &= sum(map((0.0).__gt__, map(mul, deltas, m))) == count
        facts.with_gradient += sum(map(and_, moves, map(bool, grads)))  # bool(g) is g != 0.0, NaN too
        facts.with_gradient_its_way += sum(map((0.0).__lt__, map(mul, deltas, grads)))
        if record.step == 1:
            facts.over_lr_at_1 = [abs(d) / lr for d in deltas if d]
            facts.zero_grad_at_1 = grads.count(0.0)
            facts.zero_grad_moved_at_1 = len([1 for d, g in zip(deltas, grads) if g == 0.0 and d])
            facts.nonzero_still_at_1 = len([1 for d, g in zip(deltas, grads) if g != 0.0 and not d])
        logs = {p.name: math.log10(lr / p.std) for p in record.params}
        if record.step == 1:
            facts.log_lr_std_at_1 = logs
            facts.log_ratio_at_1 = {p.name: math.log10(p.update_ratio) for p in record.params}
        facts.log_lr_std_last = logs
    facts.never_moved = set(still)
    facts.rng_after = trainer.rng.getstate()
    return facts


def preset_config(name: str, **overrides) -> Config:
    """The settings screen's preset, as the Config it starts."""
    fields = {"n_layer": int, "n_embd": int, "n_head": int, "block_size": int, "lr": float}
    values = {key: fields[key](value) for key, value in PRESETS[name].items() if key in fields}
    if "attention" in PRESETS[name]:
        values["attention"] = PRESETS[name]["attention"] == "on"
    return Config(**values, **overrides)


def last100(docs: list[str], config: Config) -> float:
    trainer = Trainer(docs, config)
    losses = [trainer.step().loss for _ in range(config.steps)]
    return sum(losses[-100:]) / 100


class Vec(list):
    """Just enough of a vector for the glossary's formula: new - old, element by element."""

    def __sub__(self, other):
        return Vec(a - b for a, b in zip(self, other))
