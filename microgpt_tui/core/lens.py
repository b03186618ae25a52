"""Provides the lens: the shown sequence as another model would see it.

The lab's `sequence` is always the live one (the last step's document, the
next document, or the sample). Looking at an earlier step, or switching heads
off, changes only what the panels show: these functions run the same
sequence through another model (the weights of an earlier step) or with some
heads ablated. They call the engine's graph-free forward passes and never
change a weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from microgpt_engine import GPT, StepRecord, Tokenizer, Trainer
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.timetravel import TimeMachine
from microgpt_engine.sample import Sampler
from microgpt_engine.train import evaluate_tokens
from microgpt_tui.core.sequence import SequenceView

SNAPSHOT_BUDGET = 6 * 1024**2  # bytes of full-state snapshots a whole run may keep
Ablation = frozenset[tuple[int, int | None]]


def make_time_machine(trainer: Trainer, history: RunHistory) -> TimeMachine:
    """Time travel for `trainer`: a snapshot every 10 steps, sparser when the run would exceed the budget.

    A snapshot holds weights and both Adam moments (24 bytes a parameter);
    viewing a step replays at most `every` - 1 steps from the snapshot before
    it (the default 1,000-step run: every 17, 6 MB). The budget keeps a
    10,000-step run's snapshots near 0.6 KB a step.
    """
    per_snapshot = 24 * trainer.model.num_params
    most = max(2, SNAPSHOT_BUDGET // per_snapshot)
    # Spaced for the configured steps, up to 1,000 of them; a longer run starts there and the
    # interval doubles as the snapshots reach `most` (the budget), so a replay never spans more
    # than about 2 x steps done / most steps, however many are configured.
    planned = min(trainer.config.steps, 1_000)
    every = max(10, -(-planned // (most - 1)))
    return TimeMachine(trainer, history, every, most=most, start=trainer.step_count)  # (a loaded curve: further back)


def ablation_label(ablate: Iterable[tuple[int, int | None]]) -> str:
    """'L0H1+L0' for {(0, 1), (0, None)}: layers and heads counted from 0, like the code and every label."""
    pairs = sorted(ablate, key=lambda p: (p[0], -1 if p[1] is None else p[1]))
    return "+".join(f"L{layer}" if head is None else f"L{layer}H{head}" for layer, head in pairs)


def replay_sample(model: GPT, tokenizer: Tokenizer, seq: SequenceView, ablate: Ablation = frozenset()) -> SequenceView:
    """The sample's characters again, each one forced, each at the temperature it was drawn at."""
    sampler = Sampler(model, tokenizer, None, seq.temperature or 1.0, ablate=ablate)
    temperatures = seq.temperatures or [seq.temperature or 1.0] * len(seq.targets)
    for token, temperature in zip(seq.targets, temperatures):
        if sampler.done:
            break
        sampler.temperature = temperature
        sampler.step(force=token)
    sampler.temperature = seq.temperature or 1.0
    view = SequenceView.from_samples(sampler.records, tokenizer, seq.temperature, seq.step)
    return replace(view, forced=seq.forced, done=seq.done)


def document_view(model: GPT, tokenizer: Tokenizer, seq: SequenceView, ablate: Ablation = frozenset()) -> SequenceView:
    """The document run through `model` (as training would see it, without the update)."""
    tokens = tokenizer.document(seq.text[: model.config.block_size])
    record = evaluate_tokens(model, tokenizer, tokens, ablate)
    return SequenceView.from_eval(record, seq.text, seq.step)


def lens_view(
    seq: SequenceView, model: GPT, tokenizer: Tokenizer, ablate: Ablation = frozenset(), step: int = 0, tag: str = ""
) -> SequenceView:
    """`seq` as `model` sees it with the heads in `ablate` switched off.

    With an ablation, `probs_before` holds the same model's distributions with
    every head on, so the panels can show before → after.
    """
    see = replay_sample if seq.kind == "sample" else document_view
    after = see(model, tokenizer, seq, frozenset(ablate))
    before = see(model, tokenizer, seq) if ablate else None
    return replace(
        after,
        kind="sample" if seq.kind == "sample" else "view",
        step=step,
        tag=tag,
        probs_before=before.probs if before is not None else None,
    )


def fork_waits_for(machine: TimeMachine, step: int) -> int | None:
    """The step whose weights `record_at(step)` reads, when they are not at hand (None: nothing to wait for).
    A fork at `step` has a replay off the UI thread bring them first."""
    if step <= machine.start:
        return None
    before = machine.history.summary(step).step - 1
    return None if machine.weights_ready(before) else before


def record_at(machine: TimeMachine, step: int) -> StepRecord | None:
    """A StepRecord for past step `step`, rebuilt from its summary and the weights it started from (None at the
    start, or when those weights are not at hand: see `fork_waits_for`; it never replays)."""
    if step <= machine.start:
        return None
    summary = machine.history.summary(step)
    step = summary.step  # (a long run thinned its older steps: the nearest kept one before)
    if not machine.weights_ready(step - 1):
        return None  # (a fork at a step thinned away long ago: its next document is shown instead)
    config = machine.trainer.config
    seen = machine.view_at(step - 1, summary.doc[: config.block_size])  # its predictions came before its update
    return StepRecord(
        step=step,
        total_steps=config.steps,
        doc=summary.doc,
        tokens=seen.tokens,
        labels=seen.labels,
        loss=summary.loss,
        lr=summary.lr,
        positions=seen.positions,
        attention=seen.attention,
        params=summary.params,
    )
