"""Provides `status` and `note`: the status bar's view of the session, and the line saying what the lens shows.

The note under the figures is the latest event, unless a lens is on (a past
step, an ablation, the quiz): then each lens says what it is and, when it is
the only one, which keys apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_engine.ops import neg_log
from microgpt_tui.core.labels import clipped, visible, visible_text
from microgpt_tui.core.lens import ablation_label
from microgpt_tui.core.said import spoken
from microgpt_tui.core.views import Status
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

NOTE_MOST = 600  # characters of the note at most (it may quote a document, and a line of data can be 1 MB)


def status(session: Session, rules: Interlocks, show_rate: bool = True) -> Status:
    """The status bar's view: the step, the losses, the mode, the run, and the note under them."""
    record, history = rules.latest, session.history
    return Status(
        step=rules.steps_done,
        total=session.trainer.config.steps,
        loss=session.history.last_loss,
        ema=session.history.ema,
        lr=record.lr if record else history.summary(history.now).lr if len(history) else None,
        rate=rules.rate(),
        mode=rules.mode,
        num_params=session.trainer.model.num_params,
        dataset=visible_text(session.dataset_name),
        n_docs=len(session.docs),
        note=shown_note(session, rules),
        show_rate=show_rate,
        speed=rules.speed_label,
    )


def shown_note(session: Session, rules: Interlocks) -> str:
    """The note as every screen shows it: cropped, and the data's characters escaped."""
    return visible_text(clipped(note(session, rules), NOTE_MOST))


def note(session: Session, rules: Interlocks) -> str:
    """The status line's second row: what the lens shows (else the latest event).

    Each active lens says what it is and, when it is the only one, which keys apply.
    """
    parts = [
        part
        for part in (
            _graph_note(session, rules),
            _past_note(session, rules),
            _ablation_note(session, rules),
            _quiz_note(session, rules),
        )
        if part
    ]
    if not parts:
        return spoken(session.event)
    if len(parts) == 1:
        return " · ".join(parts[0])
    return " · ".join(core for core, _keys in parts) + " · " + _("u undoes ablations and time travel")


def _graph_note(session: Session, rules: Interlocks) -> tuple[str, str] | None:
    building = rules.graph_note
    if building is None:
        return None
    return spoken(building), _("it opens when built · space and r wait · other keys still work")


def _past_note(session: Session, rules: Interlocks) -> tuple[str, str] | None:
    if rules.moving:  # a replay runs off the UI thread: the panels show the step before meanwhile
        shown = _("now") if session.viewed_step is None else _("step {step}").format(step=f"{session.viewed_step:,}")
        return (
            _("{going} (replaying; the panels show {shown} meanwhile)").format(
                going=spoken(rules.going_note), shown=shown
            ),
            _(", . keep moving  u back to now  other keys still work"),
        )
    if session.viewed_step is None:
        return None
    step, time = session.viewed_step, session.time
    history = session.history
    figures = {"step": f"{step:,}", "now": f"{time.now:,}"}
    if step <= time.start:
        viewing = _("viewing step {step} of {now} (now), the initial weights").format(**figures)
    elif history.holds(step):
        loss = f"{history.loss(step):.3f}"
        viewing = _("viewing step {step} of {now} (now), loss {loss}").format(loss=loss, **figures)
    else:  # (a long run keeps every step's loss only for its newest steps)
        kept, loss = f"{history.kept(step):,}", f"{history.loss(step):.3f}"
        viewing = _("viewing step {step} of {now} (now), loss of step {kept} {loss}").format(
            kept=kept, loss=loss, **figures
        )
    return viewing, _(", earlier  . later  c compare  u back to now  space/r fork from here")


def _ablation_note(session: Session, rules: Interlocks) -> tuple[str, str] | None:
    if not rules.ablation:
        return None
    what = _("ABLATED {heads}").format(heads=ablation_label(rules.ablation))
    live = session.sequence
    if session.viewed_step is None and live is not None and live.kind == "train" and live.probs_after is not None:
        whose = _("{what} before step {step}") if session.selection.before_update else _("{what} after step {step}")
        what = whose.format(what=what, step=f"{live.step:,}")  # whose weights
    seq = rules.shown()
    if seq is not None and seq.probs_before and seq.probs:
        pos = min(session.selection.position, len(seq.probs) - 1)
        target = seq.targets[pos]
        assert target is not None
        before, after = seq.probs_before[pos][target], seq.probs[pos][target]
        what += (
            f": p({visible(session.vocab_labels[target])}) {before * 100:.1f}% → {after * 100:.1f}%, "
            f"-log p {neg_log(before):.2f} → {neg_log(after):.2f}"
        )
    return what, _("view only: the weights are unchanged and space/r train every head · u undoes")


def _quiz_note(session: Session, rules: Interlocks) -> tuple[str, str] | None:
    if not rules.quiz_on:
        return None
    return _("predict, then reveal"), _("type the next character (enter: the name ends) · → next position · esc leaves")
