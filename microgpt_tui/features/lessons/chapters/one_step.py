"""Chapter 6, one step, before and after, on the same document: the loss and one position's probabilities."""

from __future__ import annotations

from microgpt_engine import StepRecord
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say
from microgpt_tui.language import N_, _


def intro(live: Live) -> str:
    doc = live.next_doc()
    loss = live.session.trainer.evaluate(doc).loss
    return _(
        "One step trains on one document. The next is “{doc}”; the model's loss on it now is {loss:.4f}. "
        "Predict what the step will do to it, then take it: the app shows the same document after the update."
    ).format(doc=live.q(doc), loss=loss)


def stepped_on(live: Live, doc: str, steps: int) -> StepRecord | None:
    """The step taken on `doc` after `steps` steps (None: not taken yet)."""
    record = live.latest
    return record if record is not None and record.doc == doc and record.step == steps + 1 else None


NOT_TAKEN = N_("No step was taken on it (training may be complete): nothing to reveal.")


def direction_question(live: Live) -> Question:
    doc, steps = live.next_doc(), live.steps_done
    choices = (_("down"), _("up"))

    def settle(live: Live) -> Reveal:
        record = stepped_on(live, doc, steps)
        if record is None or record.loss_after is None:
            return Reveal(-1, _(NOT_TAKEN))
        after = record.loss_after
        said = (
            _(
                "Step {step:,} on “{doc}”: its loss went from {before:.4f} to {after:.4f} ({change:+.4f}). The "
                "gradient points downhill for this very document; at lr_t {lr:.5f} the step went down it."
            )
            if after < record.loss
            else _(
                "Step {step:,} on “{doc}”: its loss went from {before:.4f} to {after:.4f} ({change:+.4f}). The "
                "gradient points downhill for this very document; at lr_t {lr:.5f} the step overshot."
            )
        )
        return Reveal(
            0 if after < record.loss else 1,
            said.format(
                step=record.step,
                doc=live.q(doc),
                before=record.loss,
                after=after,
                change=after - record.loss,
                lr=record.lr,
            ),
        )

    return Question(
        _("Will the loss on “{doc}” go down or up after one step on it?").format(doc=live.q(doc)),
        choices,
        settle,
        ("step",),
        "space",
    )


def gain_question(live: Live) -> Question:
    doc, steps = live.next_doc(), live.steps_done
    record = live.session.trainer.evaluate(doc)
    pos = min(max(1, live.position), len(record.positions) - 1)
    probs = record.positions[pos].probs
    target = record.positions[pos].target
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
    choices = sorted(list(dict.fromkeys([*([target] if target is not None else []), *order]))[:4])
    context = "".join(live.q(label) for label in record.labels[: pos + 1])

    def settle(live: Live) -> Reveal:
        step = stepped_on(live, doc, steps)
        if step is None or step.after is None:
            return Reveal(-1, _(NOT_TAKEN))
        before, after = step.positions[pos].probs, step.after.positions[pos].probs
        gains = {t: after[t] - before[t] for t in choices}
        best = max(choices, key=lambda t: (gains[t], -t))
        moves = ", ".join(f"{live.label(t)} {before[t]:.1%}→{after[t]:.1%}" for t in choices)
        said = _("At position {pos}, after {context}: {moves}. {best} gained most.")
        if target is not None:
            said = (
                _(
                    "At position {pos}, after {context}: {moves}. {best} gained most. What actually came next "
                    "there, {target}, rose: the step trained on it."
                )
                if after[target] > before[target]
                else _(
                    "At position {pos}, after {context}: {moves}. {best} gained most. What actually came next "
                    "there, {target}, fell: the step trained on it."
                )
            )
        return Reveal(
            choices.index(best),
            said.format(
                pos=pos,
                context=context,
                moves=moves,
                best=live.label(best),
                target=live.label(target) if target is not None else "",
            ),
        )

    return Question(
        _(
            "At position {pos} of “{doc}” (after {context}), which of these gains the most probability from the step?"
        ).format(pos=pos, doc=live.q(doc), context=context),
        tuple(live.plain(t) for t in choices),
        settle,
        ("step",),
        "space",
    )


def compare(live: Live) -> str:
    record = live.latest
    if record is None or record.loss_after is None:
        return _("No step to compare yet.")
    return _(
        "The panels now show step {step:,}'s document after its update; the │ on each bar is where it was "
        "before. d switches the panels to the model before the update and back. The loss: {before:.4f} "
        "before, {after:.4f} after, on the same document."
    ).format(step=record.step, before=record.loss, after=record.loss_after)


CHAPTER = Chapter(
    "one-step",
    "One step, before and after",
    "the same document before and after one update",
    (
        Say(intro),
        Ask(direction_question),
        Ask(gain_question),
        Press("d", ("before_after",), lambda live: _("Press d: the panels show the model before the update.")),
        Say(compare),
    ),
    lines=("for step in range(num_steps):", 'print(f"step {step + 1:4d}'),
)
