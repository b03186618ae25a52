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

from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_engine import GPT
from microgpt_engine.insight.forward_trace import stage_names, trace_forward
from microgpt_engine.ops import Weights
from microgpt_tui.core.labels import visible
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import Change, ForwardOpen, ForwardView
from microgpt_tui.language import _, current

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


def input_tokens(session: Session, seq: SequenceView) -> list[int]:
    """The token ids the model read for `seq`: BOS, then the document or the sample so far."""
    tokenizer = session.trainer.tokenizer
    if seq.kind == "sample":
        return [tokenizer.bos, *(t for t in seq.targets[:-1] if t is not None)]
    return tokenizer.document(seq.text[: session.trainer.config.block_size])[: len(seq)]


class ForwardLens:
    """The forward view: open or not, the selected stage, and the last trace (a memo)."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.open = False  # a forward view is on screen
        self.stage = 0
        self._memo: tuple[tuple, ForwardView] | None = None

    def reset(self) -> None:
        """Another run is live: its steps are not this one's (the view stays open)."""
        self._memo, self.stage = None, 0

    @property
    def _names(self) -> tuple[str, ...]:
        config = self.session.trainer.config
        return stage_names(config.n_layer, config.attention)

    @property
    def before(self) -> tuple[int, Weights] | None:
        """(the last step, the weights it started from): time travel's, read here."""
        return self.session.time.before

    # -- the intents -----------------------------------------------------------------

    def open_view(self) -> Change:
        """The forward pass, stage by stage, at the selected position (the app opens the view)."""
        self.open = True
        return Change(ask=ForwardOpen())

    def close(self) -> Change:
        self.open = False
        return Change()

    def stage_by(self, delta: int) -> Change:
        """Select the stage `delta` rows below (negative: above)."""
        self.move_stage(delta)
        return Change()

    def select_stage(self, name: str) -> Change:
        """Select a stage by its stable name (forward_trace.stage_names), e.g. from a line of code."""
        self.select(name)
        return Change()

    def move_stage(self, delta: int) -> None:
        self.stage = min(max(self.stage + delta, 0), len(self._names) - 1)

    def select(self, name: str) -> None:
        """Select a stage by its name (e.g. a code view pointing at a line)."""
        self.stage = self._names.index(name)

    def model_for(self, seq: SequenceView) -> tuple[GPT | None, str]:
        """The model whose predictions `seq` shows, and those weights in words; None if not at hand now."""
        session, rules = self.session, self.rules
        if session.viewed_step is not None or seq.kind == "view":
            step = rules.lens_step(seq)
            if rules.training:
                return None, _("training: the lens waits for a pause")
            return self._at_hand(step, _("weights of step {step:,}").format(step=step))
        if rules.step_side(seq) == "after":
            if rules.training:
                return None, _("waiting for training to pause")
            return self._at_hand(seq.step, _("weights after step {step:,}'s update").format(step=seq.step))
        if seq.kind == "train":
            source = _("weights before step {step:,}'s update").format(step=seq.step)
            if rules.training and not session.time.weights_ready(seq.step - 1):
                return None, _("waiting for the next hand-over from training")
            return self._at_hand(seq.step - 1, source)
        if rules.training:
            return None, _("waiting for the first hand-over from training")
        return session.trainer.model, _("weights of step {step:,} (now)").format(step=session.trainer.step_count)

    def _at_hand(self, step: int, source: str) -> tuple[GPT | None, str]:
        """The model of `step` when it costs no replay (else None: a replay belongs off the UI thread)."""
        time = self.session.time
        if not time.weights_ready(step):
            return None, _("the {source} are not at hand").format(source=source)
        return time.model_at(step), source

    def view(self) -> ForwardView:
        """The trace of the shown sequence at the selected position (memoised until either changes)."""
        session, rules = self.session, self.rules
        vocab = session.vocab_labels
        seq = rules.shown()
        if seq is None or not seq.probs:
            return ForwardView(None, vocab, "", "", "", self.stage, _("no prediction yet: press space or s"))
        pos = min(session.selection.position, len(seq.probs) - 1)
        before = self.before
        before_step = before[0] if before is not None else None
        side = session.selection.before_update
        key = (
            id(seq),
            len(seq.probs),
            pos,
            session.viewed_step,
            rules.ablation,
            session.version,
            before_step,
            rules.training,
            side,
            current(),  # (the words of the view are in the language it was made in)
        )
        if self._memo is not None and self._memo[0] == key:
            return self._with_stage(self._memo[1])
        model, source = self.model_for(seq)
        tag = "" if rules.step_side(seq) else seq.tag  # (the source already says before or after the update)
        context = "".join(visible(label) for label in seq.labels[: pos + 1])
        target = seq.targets[pos]
        next_label = visible(vocab[target]) if target is not None else ""
        if model is None:
            view = ForwardView(None, vocab, context, next_label, source, self.stage, source, tag)
        else:
            tokens = input_tokens(session, seq)
            temperature = seq.drawn_at(pos)
            trace = trace_forward(model, tokens, pos, rules.ablation, temperature)
            view = ForwardView(trace, vocab, context, next_label, source, self.stage, "", tag, target)
        self._memo = (key, view)
        return view

    def _with_stage(self, view: ForwardView) -> ForwardView:
        return view if view.stage == self.stage else replace(view, stage=self.stage)
