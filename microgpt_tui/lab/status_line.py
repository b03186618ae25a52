"""Provides `status` and `note`: the status bar's view of the lab, and the line saying what the lens shows.

The note under the figures is the latest event, unless a lens is on (a past
step, an ablation, the quiz): then each lens says what it is and, when it is
the only one, which keys apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_engine.ops import neg_log

from .labels import clipped, visible, visible_text
from .lens import ablation_label
from .views import Status

if TYPE_CHECKING:
    from .lab import Lab

NOTE_MOST = 600  # characters of the note at most (it may quote a document, and a line of data can be 1 MB)


def status(lab: Lab, show_rate: bool = True) -> Status:
    """The status bar's view: the step, the losses, the mode, the run, and the note under them."""
    record, history = lab.stepping.latest, lab.history
    return Status(
        step=lab.steps_done,
        total=lab.trainer.config.steps,
        loss=lab.history.last_loss,
        ema=lab.history.ema,
        lr=record.lr if record else history.summary(history.now).lr if len(history) else None,
        rate=lab.stepping.rate.rate(),
        mode=lab.mode,
        num_params=lab.trainer.model.num_params,
        dataset=visible_text(lab.dataset_name),
        n_docs=len(lab.docs),
        note=shown_note(lab),
        show_rate=show_rate,
        speed=lab.stepping.pace.label,
    )


def shown_note(lab: Lab) -> str:
    """The note as every screen shows it: cropped, and the data's characters escaped."""
    return visible_text(clipped(note(lab), NOTE_MOST))


def note(lab: Lab) -> str:
    """The status line's second row: what the lens shows (else the latest event).

    Each active lens says what it is and, when it is the only one, which keys apply.
    """
    parts = [part for part in (_graph_note(lab), _past_note(lab), _ablation_note(lab), _quiz_note(lab)) if part]
    if not parts:
        return lab.event
    if len(parts) == 1:
        return " · ".join(parts[0])
    return " · ".join(core for core, _ in parts) + " · u undoes ablations and time travel"


def _graph_note(lab: Lab) -> tuple[str, str] | None:
    if lab.inside.building.running is None:
        return None
    return lab.inside.building.note, "it opens when built · space and r wait · other keys still work"


def _past_note(lab: Lab) -> tuple[str, str] | None:
    if lab.travel.moving:  # a replay runs off the UI thread: the panels show the step before meanwhile
        shown = "now" if lab.viewed_step is None else f"step {lab.viewed_step:,}"
        return (
            f"{lab.travel.going.note} (replaying; the panels show {shown} meanwhile)",
            ", . keep moving  u back to now  other keys still work",
        )
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


def _ablation_note(lab: Lab) -> tuple[str, str] | None:
    if not lab.interventions.ablation:
        return None
    what = f"ABLATED {ablation_label(lab.interventions.ablation)}"
    live = lab.sequence
    if lab.viewed_step is None and live is not None and live.kind == "train" and live.probs_after is not None:
        what += f" {'before' if lab.selection.before_update else 'after'} step {live.step:,}"  # whose weights
    seq = lab.shown()
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


def _quiz_note(lab: Lab) -> tuple[str, str] | None:
    if not lab.quizzing.on:
        return None
    return "predict, then reveal", "type the next character (enter: the name ends) · → next position · esc leaves"
