"""Provides `Viewer`: the sequence on show as the panels draw it: live, through time travel's lens or an
ablation, or a single step's document before or after its update.

It only reads. What it keeps is a memo: the last lens view, reused
until what it was made from changes, so a repaint that changes nothing costs
nothing. The samples panel's view is sampling's, the quiz card the quiz's, the
status bar's status_line.py's; the loss plot's and the parameter table's,
history_views.py's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_tui.core.lens import ablation_label, lens_view
from microgpt_tui.core.said import Said
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Viewer:
    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._lens: tuple | None = None  # (sequence, key, view)

    def shown(self) -> SequenceView | None:
        """What the attention and token panels show: the live sequence, or it seen through the lens."""
        session = self.session
        seq, ablate, time = session.sequence, self.rules.ablation, session.time
        if seq is not None and seq.probs_after is not None and session.viewed_step is None and not ablate:
            return self._step_effect(seq)
        if seq is None or not seq.probs or (session.viewed_step is None and not ablate):
            return seq
        key = (
            session.viewed_step,
            ablate,
            time.now,
            len(time.branches),
            session.version,
            session.selection.before_update,
        )
        if self._lens is not None and self._lens[0] is seq and self._lens[1] == key:
            return self._lens[2]
        step = self.lens_step(seq)
        if not time.weights_ready(step):  # (never so by design: a replay belongs off the UI thread)
            return replace(seq, tag=Said(N_("step {step}'s weights are not at hand"), step=f"{step:,}"))
        tags: list[str] = [_("probe")] if seq.kind == "probe" else []
        if session.viewed_step is not None:
            tags.append(Said(N_("step {step}/{now}"), step=f"{step:,}", now=f"{time.now:,}"))
        elif seq.kind == "train" and seq.probs_after is not None:  # whose weights, as the panels said before z
            whose = N_("before step {step}") if session.selection.before_update else N_("after step {step}")
            tags.append(Said(whose, step=f"{seq.step:,}"))
        if ablate:
            tags.append(Said(N_("ABLATED {heads}"), heads=ablation_label(ablate)))
        tag = Said(" · ".join(f"{{t{i}}}" for i in range(len(tags))), **{f"t{i}": t for i, t in enumerate(tags)})
        view = lens_view(seq, time.model_at(step), session.trainer.tokenizer, ablate, step, tag)
        self._lens = (seq, key, view)
        return view

    def _step_effect(self, seq: SequenceView) -> SequenceView:
        """A single step's document before and after its update: the model after it, the one before
        behind it (`ghost`), or the other way round with d (`Selection.before_update`)."""
        before = self.session.selection.before_update
        key = ("step", before)
        if self._lens is not None and self._lens[0] is seq and self._lens[1] == key:
            return self._lens[2]
        assert seq.probs_after is not None
        if before:
            view = replace(seq, ghost=seq.probs_after, tag=Said(N_("before step {step}"), step=seq.step))
        else:
            view = replace(
                seq,
                probs=seq.probs_after,
                attention=seq.attention_after if seq.attention_after is not None else seq.attention,
                probs_before=seq.probs,
                ghost=seq.probs,
                tag=Said(N_("after step {step}"), step=seq.step),
            )
        self._lens = (seq, key, view)
        return view

    def step_side(self, seq: SequenceView) -> str | None:
        """ "after" or "before" when `seq` is a single step's document seen after or before its update."""
        session = self.session
        if seq.kind != "train" or seq.probs_after is None or session.viewed_step is not None or self.rules.ablation:
            return None
        return "before" if session.selection.before_update else "after"

    def attention_shown(self) -> SequenceView | None:
        """`shown()` for the attention panel: during predict-then-reveal on a document, only the positions up to
        the asked one (and, once guessed, its answer), so the labels never give the answer away."""
        session, seq = self.session, self.shown()
        quiz = self.rules.quiz_state
        if quiz is None or quiz.live or seq is None or not seq.labels:
            return seq
        pos = min(session.selection.position, len(seq.labels) - 1)
        keep = pos + 1 + (quiz.turn is not None)
        if keep >= len(seq.labels):
            return seq
        return replace(
            seq,
            text=seq.text[: keep - 1],
            labels=seq.labels[:keep],
            attention=[[head[:keep] for head in layer] for layer in seq.attention],  # (causal: rows end at keep)
            probs=seq.probs[:keep],
            targets=seq.targets[:keep],
            attention_after=None
            if seq.attention_after is None
            else [[h[:keep] for h in layer] for layer in seq.attention_after],
            probs_after=None if seq.probs_after is None else seq.probs_after[:keep],
            probs_before=None if seq.probs_before is None else seq.probs_before[:keep],
            ghost=None if seq.ghost is None else seq.ghost[:keep],
        )

    def lens_step(self, seq: SequenceView) -> int:
        """The step whose weights made `seq`'s predictions, or the viewed step."""
        session, time = self.session, self.session.time
        if session.viewed_step is not None:
            step = session.viewed_step
        elif seq.kind == "train" and seq.probs_after is not None and not session.selection.before_update:
            step = seq.step  # a single step's document, shown after its update (d: before): the lens keeps that
        elif seq.kind == "train":
            step = seq.step - 1  # a training step's predictions came before its update
        elif seq.kind == "view":
            step = seq.step  # already seen through the lens: made by that step's weights
        else:
            step = time.now
        return min(max(step, time.start), time.now)
