"""Provides `Viewer`: the lab's state turned into the immutable views the panels draw.

It only reads the lab. What it keeps is a memo: the last lens view, reused
until what it was made from changes, so a repaint that changes nothing costs
nothing. The status bar's view is status_line.py's; the loss plot's and the
parameter table's, history_views.py's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .labels import clipped, visible, visible_text
from .lens import ablation_label, lens_view
from .sequence import SequenceView
from .views import QuizCard, SamplesView

if TYPE_CHECKING:
    from .lab import Lab


class Viewer:
    def __init__(self, lab: Lab):
        self.lab = lab
        self._lens: tuple | None = None  # (sequence, key, view)

    def shown(self) -> SequenceView | None:
        """What the attention and token panels show: the live sequence, or it seen through the lens."""
        lab = self.lab
        seq, ablate, time = lab.sequence, lab.interventions.ablation, lab.time
        if seq is not None and seq.probs_after is not None and lab.viewed_step is None and not ablate:
            return self._step_effect(seq)
        if seq is None or not seq.probs or (lab.viewed_step is None and not ablate):
            return seq
        key = (lab.viewed_step, ablate, time.now, len(time.branches), lab.version)
        if self._lens is not None and self._lens[0] is seq and self._lens[1] == key:
            return self._lens[2]
        step = self.lens_step(seq)
        if not time.weights_ready(step):  # (never so by design: a replay belongs off the UI thread)
            return replace(seq, tag=f"step {step:,}'s weights are not at hand")
        tags = ["probe"] if seq.kind == "probe" else []
        if lab.viewed_step is not None:
            tags.append(f"step {step:,}/{time.now:,}")
        if ablate:
            tags.append(f"ABLATED {ablation_label(ablate)}")
        view = lens_view(seq, time.model_at(step), lab.trainer.tokenizer, ablate, step, " · ".join(tags))
        self._lens = (seq, key, view)
        return view

    def _step_effect(self, seq: SequenceView) -> SequenceView:
        """A single step's document before and after its update: the model after it, the one before
        behind it (`ghost`), or the other way round with d (`Selection.before_update`)."""
        before = self.lab.selection.before_update
        key = ("step", before)
        if self._lens is not None and self._lens[0] is seq and self._lens[1] == key:
            return self._lens[2]
        assert seq.probs_after is not None
        if before:
            view = replace(seq, ghost=seq.probs_after, tag=f"before step {seq.step}")
        else:
            view = replace(
                seq,
                probs=seq.probs_after,
                attention=seq.attention_after if seq.attention_after is not None else seq.attention,
                probs_before=seq.probs,
                ghost=seq.probs,
                tag=f"after step {seq.step}",
            )
        self._lens = (seq, key, view)
        return view

    def step_side(self, seq: SequenceView) -> str | None:
        """ "after" or "before" when `seq` is a single step's document seen after or before its update."""
        lab = self.lab
        if seq.kind != "train" or seq.probs_after is None or lab.viewed_step is not None or lab.interventions.ablation:
            return None
        return "before" if lab.selection.before_update else "after"

    def attention_shown(self) -> SequenceView | None:
        """`shown()` for the attention panel: during predict-then-reveal on a document, only the positions up to
        the asked one (and, once guessed, its answer), so the labels never give the answer away."""
        lab, seq = self.lab, self.shown()
        quiz = lab.quizzing.state
        if quiz is None or quiz.live or seq is None or not seq.labels:
            return seq
        pos = min(lab.selection.position, len(seq.labels) - 1)
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
        lab, time = self.lab, self.lab.time
        if lab.viewed_step is not None:
            step = lab.viewed_step
        elif seq.kind == "train":
            step = seq.step - 1  # a training step's predictions came before its update
        elif seq.kind == "view":
            step = seq.step  # already seen through the lens: made by that step's weights
        else:
            step = time.now
        return min(max(step, time.start), time.now)

    def samples_view(self) -> SamplesView:
        drawing = self.lab.drawing
        return SamplesView(  # names are the data's: escaped, so they cannot write to the terminal
            tuple((visible_text(name), known) for name, known in drawing.samples.entries),
            visible_text(drawing.sampler.text) if drawing.sampling and drawing.sampler is not None else None,
            tuple((visible_text(name), visible_text(clipped(doc)), d) for name, (doc, d) in drawing.nearest.items()),
            tuple((visible_text(name), chosen) for name, chosen in drawing.forced.items()),
            tuple(drawing.samples.temperatures),
        )

    def quiz_card(self) -> QuizCard | None:
        lab, quiz = self.lab, self.lab.quizzing.state
        if quiz is None:
            return None
        seq = self.shown()
        tokenizer = lab.trainer.tokenizer
        if quiz.live and quiz.turn is None:
            pos = len(seq.labels) if seq is not None and seq.kind == "sample" else 0
            context = visible(tokenizer.label(tokenizer.bos)) + visible_text(
                lab.drawing.sampler.text if lab.drawing.sampler is not None else ""
            )
        else:
            assert seq is not None
            pos = min(lab.selection.position, len(seq.probs) - 1)
            context = "".join(visible(label) for label in seq.labels[: pos + 1])
        revealed = seq.probs[pos] if seq is not None and quiz.turn is not None else None
        temps = seq.temperatures if seq is not None else []
        return quiz.card(pos, context, revealed, temps[pos] if 0 <= pos < len(temps) else 1.0)
