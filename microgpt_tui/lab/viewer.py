"""Provides `Viewer`: the lab's state turned into the immutable views the panels draw.

It only reads the lab. What it keeps is memos: the last lens view and the
last loss and parameter views, reused until what they were made from changes
(the lab's `version` counts changes to the history), so a repaint that
changes nothing costs nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_engine.insight.history import total_grad_norm
from microgpt_engine.ops import neg_log

from .experiments import curve
from .labels import visible, visible_text
from .lens import ablation_label, lens_view
from .sequence import SequenceView
from .views import LossView, ParamRow, ParamView, QuizCard, RunCurve, SamplesView, Status, healthy, log_reference

if TYPE_CHECKING:
    from .lab import Lab
    from .runs import KeptRun

TREND_LENGTH = 24  # gradient norms in each parameter row's sparkline


class Viewer:
    def __init__(self, lab: Lab):
        self.lab = lab
        self._lens: tuple | None = None  # (sequence, key, view)
        self._memo: dict[str, tuple] = {}  # view name -> (key, view)
        self._curves: dict[int, tuple] = {}  # run number -> (key, RunCurve)

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
        else:
            step = time.now
        return min(max(step, time.start), time.now)

    # -- the status line ----------------------------------------------------------------

    def status(self, show_rate: bool = True) -> Status:
        lab = self.lab
        record, history = lab.latest, lab.history
        return Status(
            step=lab.steps_done,
            total=lab.trainer.config.steps,
            loss=lab.history.last_loss,
            ema=lab.history.ema,
            lr=record.lr if record else history.summary(history.now).lr if len(history) else None,
            rate=lab.rate.rate(),
            mode=lab.mode,
            num_params=lab.trainer.model.num_params,
            dataset=visible_text(lab.dataset_name),
            n_docs=len(lab.docs),
            note=visible_text(self.note()),
            show_rate=show_rate,
            speed=lab.pace.label,
        )

    def note(self) -> str:
        """The status line's second row: what the lens shows (else the latest event).

        Each active lens says what it is and, when it is the only one, which keys apply.
        """
        parts = [part for part in (self._past_note(), self._ablation_note(), self._quiz_note()) if part]
        if not parts:
            return self.lab.event
        if len(parts) == 1:
            return " · ".join(parts[0])
        return " · ".join(core for core, _ in parts) + " · u undoes ablations and time travel"

    def _past_note(self) -> tuple[str, str] | None:
        lab = self.lab
        if lab.viewed_step is None:
            return None
        step, time = lab.viewed_step, lab.time
        history = lab.history
        if step <= time.start:
            loss = ", the initial weights"
        elif history.holds(step):
            loss = f", loss {history.loss(step):.3f}"
        else:  # (a long run keeps every step's loss only for its newest steps)
            loss = f", loss of step {history.kept(step):,} {history.loss(step):.3f}"
        return (
            f"viewing step {step:,} of {time.now:,} (now){loss}",
            ", earlier  . later  c compare  u back to now  space/r fork from here",
        )

    def _ablation_note(self) -> tuple[str, str] | None:
        lab = self.lab
        if not lab.interventions.ablation:
            return None
        what = f"ABLATED {ablation_label(lab.interventions.ablation)}"
        seq = self.shown()
        if seq is not None and seq.probs_before and seq.probs:
            pos = min(lab.selection.position, len(seq.probs) - 1)
            target = seq.targets[pos]
            assert target is not None
            before, after = seq.probs_before[pos][target], seq.probs[pos][target]
            what += (
                f": p({visible(lab.vocab_labels[target])}) {before * 100:.1f}% → {after * 100:.1f}%, "
                f"-log p {neg_log(before):.2f} → {neg_log(after):.2f}"
            )
        return what, "view only: the weights are unchanged and space/r train every head · u undoes"

    def _quiz_note(self) -> tuple[str, str] | None:
        if not self.lab.quizzing.on:
            return None
        return "predict, then reveal", "type the next character (enter: the name ends) · → next position · esc leaves"

    # -- the panels ------------------------------------------------------------------------

    def loss_view(self, points: int) -> LossView:
        """The loss plot's data, downsampled to `points` per curve."""
        lab = self.lab
        earlier = lab.book.earlier()
        key = (lab.version, points, lab.viewed_step, lab.bigram, tuple((r.number, r.name) for r in earlier))
        memo = self._memo.get("loss")
        if memo is not None and memo[0] == key:
            return memo[1]
        xs, losses, xm, means = lab.history.series(points)
        others = tuple(self._curve(run, points // 2) for run in earlier)  # (a mean curve needs fewer points)
        view = LossView(
            tuple(xs),
            tuple(losses),
            tuple(xm),
            tuple(means),
            lab.trainer.config.steps,
            lab.history.window,
            lab.uniform,
            lab.bigram,
            lab.viewed_step,
            others,
            lab.current_run.name,
        )
        self._memo["loss"] = (key, view)
        return view

    def _curve(self, run: KeptRun, points: int) -> RunCurve:
        """An earlier run's curve; it no longer changes, so it is made once per width (and name)."""
        key = (run.number, run.name, points, len(run.history))
        memo = self._curves.get(run.number)
        if memo is None or memo[0] != key:
            memo = self._curves[run.number] = (key, curve(run, points))
        return memo[1]

    def param_view(self) -> ParamView:
        """The parameter table: the last step's, or the viewed step's."""
        lab = self.lab
        mode = "update" if lab.selection.before_update else "weights"
        key = (lab.version, lab.viewed_step, mode, lab.matrices.name)
        memo = self._memo.get("params")
        if memo is not None and memo[0] == key:
            return memo[1]
        history, model = lab.history, lab.trainer.model
        if lab.viewed_step is not None:
            step = lab.viewed_step
            params = history.params(step) if step > history.start else None
            title = f"parameters · step {step:,}"
        else:
            step, title = history.now, "parameters"
            if lab.latest is not None:
                params = lab.latest.params
            else:  # a loaded run's last kept step (its full record is not kept)
                params = history.params(step) if step > history.start else None
        if mode == "update":
            title += f" · what step {step:,} did" if params is not None else " · what a step does"
        if params is None:
            rows = tuple(ParamRow(name, f"{r}×{c}") for name, (r, c) in model.shapes.items())
            view = ParamView(rows, model.num_params, None, title, mode, lab.matrices.name)
        else:
            kept = step > history.start  # (a first step that diverged left nothing to trend)
            table = []
            lr = history.lr(step) if kept else None
            for p in params:
                ratio = history.log_ratio(p.name, step) if kept else None
                ref = log_reference(lr, p.std)
                trend = tuple(history.grad_norms(p.name, step, TREND_LENGTH)) if kept else ()
                table.append(
                    ParamRow(
                        p.name,
                        f"{p.rows}×{p.cols}",
                        p.mean,
                        p.std,
                        p.grad_norm,
                        ratio,
                        ref,
                        healthy(ratio, ref),
                        trend,
                        p.update_norm,
                        p.update_max,
                        p.m_mean_abs,
                        p.v_mean_sqrt,
                    )
                )
            view = ParamView(tuple(table), model.num_params, total_grad_norm(params), title, mode, lab.matrices.name)
        self._memo["params"] = (key, view)
        return view

    def samples_view(self) -> SamplesView:
        drawing = self.lab.drawing
        return SamplesView(  # names are the data's: escaped, so they cannot write to the terminal
            tuple((visible_text(name), known) for name, known in drawing.samples.entries),
            visible_text(drawing.sampler.text) if drawing.sampling and drawing.sampler is not None else None,
            tuple((visible_text(name), visible_text(doc), d) for name, (doc, d) in drawing.nearest.items()),
            tuple((visible_text(name), chosen) for name, chosen in drawing.forced.items()),
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
