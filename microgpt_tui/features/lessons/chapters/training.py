"""Chapter 7, training: the loss curve, the uniform and bigram lines, and the loss on held-out names.

Every figure is the live run's: the losses of its steps, ln(vocab), the data's bigram loss
(`insight/baselines.py`) and its loss on the held-out names it never trained on (`insight/held_out.py`),
measured on the first HELD names of the fixed set (a forward pass each, no graph).
"""

from __future__ import annotations

import math

from microgpt_engine.insight.baselines import bigram_loss
from microgpt_engine.insight.held_out import held_out_names, loss_on_unseen, name_losses, trained_names
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say
from microgpt_tui.language import _, ngettext

HELD = 100  # held-out names measured when a question is settled (~0.1 s for the default model)


RECENT = 100  # the steps a "recent training loss" averages (fewer before the run has taken that many)


def recent(live: Live, n: int = RECENT) -> float | None:
    """The mean loss of the run's last `n` steps, or of all of them while there are fewer (None before the first)."""
    losses = live.session.history.losses[-n:]
    return math.fsum(losses) / len(losses) if losses else None


def averaged(live: Live, n: int = RECENT) -> int:
    """How many steps `recent` averages: n, or fewer before the run has taken n."""
    return len(live.session.history.losses[-n:])


def bigram(live: Live) -> float:
    """The bigram line: measured off the UI thread when the run began, or here if it has not landed yet."""
    line = live.session.bigram
    if line is None:
        trainer = live.session.trainer
        line = bigram_loss(trainer.docs, trainer.tokenizer, trainer.config.block_size)
    return line


def held_out(live: Live) -> tuple[float | None, int]:
    """The live model's mean loss on the first HELD held-out names its steps never trained on, and their count."""
    trainer = live.session.trainer
    names = held_out_names(live.session.docs)[:HELD]
    losses = name_losses(trainer.model, trainer.tokenizer, names)
    return loss_on_unseen(losses, [trained_names(trainer.docs, trainer.step_count)])


def curve(live: Live) -> str:
    now, count = recent(live), averaged(live)
    if now is None:
        done = _("no step yet")
    elif count >= RECENT:
        done = _("{steps:,} steps done; the last 100 average {now:.3f}").format(steps=live.steps_done, now=now)
    else:  # (fewer than 100 taken: the mean is of those there are)
        done = ngettext(
            "{steps:,} step done; its loss is {now:.3f}", "{steps:,} steps done; they average {now:.3f}", count
        ).format(steps=live.steps_done, now=now)
    return _(
        "The loss plot draws one dot per step: the loss on that step's document ({done}). Two lines stay put. The "
        "uniform line, {uniform:.3f} = ln {vocab}, is a model that gives every token 1/{vocab}. The bigram line, "
        "{bigram:.3f}, predicts each character from the one before, by counting pairs in the data."
    ).format(done=done, uniform=live.session.uniform, vocab=live.vocab_size, bigram=bigram(live))


def train(live: Live) -> str:
    return _(
        "Press r to train (r again pauses; }} trains faster). The run has {steps:,} steps; the learning rate "
        "decays to 0 over them."
    ).format(steps=live.config.steps)


def below_question(live: Live) -> Question:
    choices = (_("below the bigram line"), _("above it"))

    def settle(live: Live) -> Reveal:
        now, line = recent(live), bigram(live)
        if now is None:
            return Reveal(-1, _("No step is taken yet: press r first (backspace and enter ask again)."))
        below, count = now < line, averaged(live)
        if count < RECENT:  # (fewer than 100 steps: their mean is all there is)
            said = (
                ngettext(
                    "The one step taken so far has loss {now:.3f}; the bigram line is {line:.3f}: below it by "
                    "{gap:.3f}.",
                    "The {steps:,} steps taken so far average {now:.3f}; the bigram line is {line:.3f}: below it by "
                    "{gap:.3f}.",
                    count,
                )
                if below
                else ngettext(
                    "The one step taken so far has loss {now:.3f}; the bigram line is {line:.3f}: above it by "
                    "{gap:.3f}.",
                    "The {steps:,} steps taken so far average {now:.3f}; the bigram line is {line:.3f}: above it by "
                    "{gap:.3f}.",
                    count,
                )
            )
            return Reveal(0 if below else 1, said.format(now=now, line=line, gap=abs(now - line), steps=count))
        said = (
            _(
                "The last 100 steps average {now:.3f}; the bigram line is {line:.3f}: below it by {gap:.3f}, after "
                "{steps:,} steps."
            )
            if below
            else _(
                "The last 100 steps average {now:.3f}; the bigram line is {line:.3f}: above it by {gap:.3f}, after "
                "{steps:,} steps."
            )
        )
        return Reveal(0 if below else 1, said.format(now=now, line=line, gap=abs(now - line), steps=live.steps_done))

    return Question(
        _(
            "Pause when you like (r). Where is the run now: its mean loss over the last 100 steps (all of them, if "
            "fewer) against the bigram line?"
        ),
        choices,
        settle,
    )


def held_question(live: Live) -> Question:
    choices = (_("higher than the training loss"), _("lower than it"))

    def settle(live: Live) -> Reveal:
        now = recent(live)
        held, count = held_out(live)
        if now is None or held is None:
            return Reveal(-1, _("There is no training loss to compare yet (or no held-out name left unseen)."))
        higher = held > now
        said = (
            _(
                "On {count} held-out names this run never trained on, the loss is {held:.3f}; its last 100 steps "
                "averaged {now:.3f}. The gap is {gap:+.3f}: a model that had only memorised its names would show a "
                "large one."
            )
            if averaged(live) >= RECENT
            else ngettext(
                "On {count} held-out names this run never trained on, the loss is {held:.3f}; the one step it has "
                "taken had loss {now:.3f}. The gap is {gap:+.3f}: a model that had only memorised its names would "
                "show a large one.",
                "On {count} held-out names this run never trained on, the loss is {held:.3f}; the {steps:,} steps "
                "it has taken averaged {now:.3f}. The gap is {gap:+.3f}: a model that had only memorised its names "
                "would show a large one.",
                averaged(live),
            )
        )
        return Reveal(
            0 if higher else 1, said.format(count=count, held=held, now=now, gap=held - now, steps=averaged(live))
        )

    return Question(
        _(
            "The held-out names are a fixed set the runs screen checks every run on, skipping those a run trained "
            "on. Is the live model's loss on them higher or lower than its recent training loss?"
        ),
        choices,
        settle,
    )


def runs(live: Live) -> str:
    return _(
        "w lists every run of this session with its loss on the held-out names (esc closes it). The next "
        "chapters train more runs into that list."
    )


CHAPTER = Chapter(
    "training",
    "Training",
    "the loss curve, the uniform and bigram lines, held-out names",
    (
        Say(curve),
        Press("r", ("run",), train),
        Ask(below_question),
        Ask(held_question),
        Say(runs),
    ),
)
