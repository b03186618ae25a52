"""Provides `ForwardLens`: the forward-pass view's state, and the trace it shows.

The forward view traces the shown sequence at the selected position through
the weights that made the panels' predictions: the viewed step's under time
travel, the weights before the update for a training step's document, the
live model for the next document or a sample. It keeps the selected stage
(↑/↓); the weights the last step started from are time travel's
(`TimeMachine.before`: every step hands them over). Every model it traces is
at hand: it never waits for a replay on the UI thread. Nothing is traced
while no view is open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from microgpt_engine import GPT
from microgpt_engine.insight.forward_trace import ForwardTrace, stage_names, trace_forward
from microgpt_engine.ops import Weights

from .labels import visible
from .sequence import SequenceView

if TYPE_CHECKING:
    from .lab import Lab


@dataclass(frozen=True)
class ForwardView:
    """What the forward view draws: the trace at one position, and where it came from."""

    trace: ForwardTrace | None  # None: nothing to trace (see `message`)
    vocab_labels: tuple[str, ...]
    context: str  # the input up to the position, as labels
    next_label: str  # the actual (or sampled) next character
    source: str  # whose weights, in words ("weights before step 3's update")
    stage: int = 0  # the selected stage (index into trace.stages)
    message: str = ""
    tag: str = ""  # what the lens changed (time travel, ablation)

    @property
    def selected(self) -> str | None:
        """The selected stage's name (stable: see forward_trace.stage_names)."""
        if self.trace is None:
            return None
        return self.trace.stages[self.stage].name


def input_tokens(lab: Lab, seq: SequenceView) -> list[int]:
    """The token ids the model read for `seq`: BOS, then the document or the sample so far."""
    tokenizer = lab.trainer.tokenizer
    if seq.kind == "sample":
        return [tokenizer.bos, *(t for t in seq.targets[:-1] if t is not None)]
    return tokenizer.document(seq.text[: lab.trainer.config.block_size])[: len(seq)]


class ForwardLens:
    """The forward view: open or not, the selected stage, and the last trace (a memo)."""

    def __init__(self, lab: Lab):
        self.lab = lab
        self.open = False  # a forward view is on screen
        self.stage = 0
        self._memo: tuple[tuple, ForwardView] | None = None

    def reset(self) -> None:
        """Another run is live: its steps are not this one's (the view stays open)."""
        self._memo, self.stage = None, 0

    @property
    def _names(self) -> tuple[str, ...]:
        config = self.lab.trainer.config
        return stage_names(config.n_layer, config.attention)

    @property
    def before(self) -> tuple[int, Weights] | None:
        """(the last step, the weights it started from): time travel's, read here."""
        return self.lab.time.before

    def move_stage(self, delta: int) -> None:
        self.stage = min(max(self.stage + delta, 0), len(self._names) - 1)

    def select(self, name: str) -> None:
        """Select a stage by its name (e.g. a code view pointing at a line)."""
        self.stage = self._names.index(name)

    def model_for(self, seq: SequenceView) -> tuple[GPT | None, str]:
        """The model whose predictions `seq` shows, and those weights in words; None if not at hand now."""
        lab = self.lab
        if lab.viewed_step is not None or seq.kind == "view":
            step = lab.viewer.lens_step(seq)
            if lab.training:
                return None, "training: the lens waits for a pause"
            return self._at_hand(step, f"weights of step {step:,}")
        if lab.viewer.step_side(seq) == "after":
            if lab.training:
                return None, "waiting for training to pause"
            return self._at_hand(seq.step, f"weights after step {seq.step:,}'s update")
        if seq.kind == "train":
            source = f"weights before step {seq.step:,}'s update"
            if lab.training and not lab.time.weights_ready(seq.step - 1):
                return None, "waiting for the next hand-over from training"
            return self._at_hand(seq.step - 1, source)
        if lab.training:
            return None, "waiting for the first hand-over from training"
        return lab.trainer.model, f"weights of step {lab.trainer.step_count:,} (now)"

    def _at_hand(self, step: int, source: str) -> tuple[GPT | None, str]:
        """The model of `step` when it costs no replay (else None: a replay belongs off the UI thread)."""
        time = self.lab.time
        if not time.weights_ready(step):
            return None, f"the {source} are not at hand"
        return time.model_at(step), source

    def view(self) -> ForwardView:
        """The trace of the shown sequence at the selected position (memoised until either changes)."""
        lab = self.lab
        vocab = lab.vocab_labels
        seq = lab.shown()
        if seq is None or not seq.probs:
            return ForwardView(None, vocab, "", "", "", self.stage, "no prediction yet: press space or s")
        pos = min(lab.selection.position, len(seq.probs) - 1)
        before = self.before
        before_step = before[0] if before is not None else None
        side = lab.selection.before_update
        key = (
            id(seq),
            len(seq.probs),
            pos,
            lab.viewed_step,
            lab.interventions.ablation,
            lab.version,
            before_step,
            lab.training,
            side,
        )
        if self._memo is not None and self._memo[0] == key:
            return self._with_stage(self._memo[1])
        model, source = self.model_for(seq)
        tag = "" if lab.viewer.step_side(seq) else seq.tag  # (the source already says before or after the update)
        context = "".join(visible(label) for label in seq.labels[: pos + 1])
        target = seq.targets[pos]
        next_label = visible(vocab[target]) if target is not None else ""
        if model is None:
            view = ForwardView(None, vocab, context, next_label, source, self.stage, source, tag)
        else:
            tokens = input_tokens(lab, seq)
            temperature = seq.drawn_at(pos)
            trace = trace_forward(model, tokens, pos, lab.interventions.ablation, temperature)
            view = ForwardView(trace, vocab, context, next_label, source, self.stage, "", tag)
        self._memo = (key, view)
        return view

    def _with_stage(self, view: ForwardView) -> ForwardView:
        return view if view.stage == self.stage else replace(view, stage=self.stage)
