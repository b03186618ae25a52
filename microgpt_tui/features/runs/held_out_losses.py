"""Provides `HeldOutLosses`: each run's loss on the held-out names, measured off the UI thread and kept per step.

The held-out names are a fixed set of the data's names (`insight/held_out.py`
says which, and why the training data keeps them): a run's figure is its mean
loss over the ones its own steps never trained on; two runs are compared over
the ones neither trained on. Measuring is a forward pass per name (~0.6 s for
the default model), so the app runs the jobs on a worker and hands the results
back here; a result is kept per (run, step), so a run measured at its last step
is never measured again.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from microgpt_engine import Config, Tokenizer
from microgpt_engine.insight.held_out import held_out_names, loss_on_unseen, name_losses, trained_names
from microgpt_engine.insight.timetravel import unflatten
from microgpt_engine.model import GPT
from microgpt_tui.checker.script_run import ENGINE as SCRIPT_ENGINE
from microgpt_tui.core.runs import KeptRun, RunBook
from microgpt_tui.core.views import HeldOut
from microgpt_tui.language import _

Key = tuple[int, int]  # (run number, step)


@dataclass(frozen=True)
class Measured:
    """One run at one step: its loss on every held-out name, and which of them it had trained on."""

    key: Key
    losses: dict[str, float]
    seen: frozenset[str]
    generation: int = 0  # the run's generation when it was asked for (a fork since makes it stale)


@dataclass(frozen=True)
class HeldOutJob:
    """What a worker needs to measure one run at one step: plain data, copied or never written again."""

    key: Key
    config: Config
    weights: array
    docs: list[str]
    order: list[str]
    generation: int = 0

    def measure(self) -> Measured:
        tokenizer = Tokenizer.from_documents(self.docs)
        shapes = GPT.matrix_shapes(self.config, tokenizer.vocab_size)
        model = GPT(self.config, tokenizer.vocab_size, weights=unflatten(shapes, self.weights))
        names = held_out_names(self.docs)
        seen = trained_names(self.order, self.key[1]) & set(names)
        return Measured(self.key, name_losses(model, tokenizer, names), frozenset(seen), self.generation)


class HeldOutLosses:
    """The measured results, and the jobs still to run."""

    def __init__(self) -> None:
        self.measured: dict[Key, Measured] = {}
        self.pending: set[Key] = set()  # handed to a worker, not back yet
        self.announce: Key | None = None  # say this one's figure once it lands (the end of a run)
        self.landings = 0  # how many measurements landed (a screen that shows them redraws when this moves)
        self.generations: dict[int, int] = {}  # run number -> how many times it forked (older results are stale)

    @staticmethod
    def key(run: KeptRun, live: bool) -> Key | None:
        """The (run, step) a run's figure is for: the live run at the steps taken in, a kept one at its final
        state; None when it has no weights to measure (a count table)."""
        if run.order is None or run.docs is None:
            return None
        if live:
            return (run.number, run.steps)
        if run.final is not None:
            return (run.number, run.final.step)
        return (run.number, run.steps) if run.engine == SCRIPT_ENGINE else None  # (measured by the check)

    def jobs(self, book: RunBook, live_weights: Sequence[float] | None) -> list[HeldOutJob]:
        """A job for each run whose figure at its present step is neither measured nor on its way.

        `live_weights`: the live run's weights now, or None while it trains (the worker owns them then).
        """
        jobs = []
        for run in book.runs:
            live = run is book.current
            key = self.key(run, live)
            if key is None or key in self.measured or key in self.pending or run.docs is None or run.order is None:
                continue
            if live:
                if live_weights is None:
                    continue
                weights = array("d", live_weights)
            elif run.final is not None:
                weights = run.final.weights
            else:
                continue
            self.pending.add(key)
            jobs.append(HeldOutJob(key, run.config, weights, run.docs, run.order, self.generations.get(run.number, 0)))
        return jobs

    def landed(self, results: Sequence[Measured]) -> None:
        self.landings += 1
        for result in results:
            if result.generation == self.generations.get(result.key[0], 0):  # (not from before a fork)
                self.measured[result.key] = result
                self.pending.discard(result.key)

    def forked(self, number: int, step: int) -> None:
        """Run `number` went back to `step` and trains on from there: what was measured after it is of the
        steps it dropped, and so is what is still being measured."""
        self.generations[number] = self.generations.get(number, 0) + 1
        self.measured = {key: m for key, m in self.measured.items() if key[0] != number or key[1] <= step}
        self.pending = {key for key in self.pending if key[0] != number}

    def of(self, *keys: Key | None) -> HeldOut | None:
        """The runs' mean losses over the held-out names none of them trained on (None until all are measured)."""
        found = [self.measured.get(key) for key in keys if key is not None]
        if len(found) != len(keys) or any(m is None for m in found):
            return None
        results = [m for m in found if m is not None]
        if any(r.losses.keys() != results[0].losses.keys() for r in results):
            return HeldOut((None,) * len(results), 0, 0)  # different data: no held-out names in common
        seen = [r.seen for r in results]
        means = [loss_on_unseen(r.losses, seen) for r in results]
        return HeldOut(tuple(mean for mean, _ in means), means[0][1], len(results[0].losses))


def describe(held: HeldOut, mean_last: float | None) -> str:
    """The end-of-run note: the run's held-out loss, next to its training loss."""
    loss = held.losses[0]
    if loss is None:
        return _("held-out names: this run has trained on every one of them, so it has none left to be checked on")
    figures = {"loss": f"{loss:.3f}", "names": f"{held.names:,}", "pool": f"{held.pool:,}"}
    if mean_last is None:
        return _("held-out names: loss {loss} on the {names} of {pool} this run never trained on").format(**figures)
    return _(
        "held-out names: loss {loss} on the {names} of {pool} this run never trained on (its last 100 training "
        "steps: {training})"
    ).format(training=f"{mean_last:.3f}", **figures)
