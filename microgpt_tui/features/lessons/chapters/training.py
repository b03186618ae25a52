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

HELD = 100  # held-out names measured when a question is settled (~0.1 s for the default model)


def recent(live: Live, n: int = 100) -> float | None:
    """The mean loss of the run's last `n` steps (None before the first)."""
    losses = live.session.history.losses[-n:]
    return math.fsum(losses) / len(losses) if losses else None


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
    now = recent(live)
    done = f"{live.steps_done:,} steps done; the last 100 average {now:.3f}" if now is not None else "no step yet"
    return (
        f"The loss plot draws one dot per step: the loss on that step's name ({done}). Two lines stay put. The "
        f"uniform line, {live.session.uniform:.3f} = ln {live.vocab_size}, is a model that gives every token "
        f"1/{live.vocab_size}. The bigram line, {bigram(live):.3f}, predicts each character from the one "
        f"before, by counting pairs in the data."
    )


def train(live: Live) -> str:
    return (
        f"Press r to train (r again pauses; }} trains faster). The run has {live.config.steps:,} steps; the "
        f"learning rate decays to 0 over them."
    )


def below_question(live: Live) -> Question:
    choices = ("below the bigram line", "above it")

    def settle(live: Live) -> Reveal:
        now, line = recent(live), bigram(live)
        if now is None:
            return Reveal(-1, "No step is taken yet: press r first (backspace and enter ask again).")
        below = now < line
        return Reveal(
            0 if below else 1,
            f"The last 100 steps average {now:.3f}; the bigram line is {line:.3f}: "
            f"{'below' if below else 'above'} it by {abs(now - line):.3f}, after {live.steps_done:,} steps.",
        )

    return Question(
        "Pause when you like (r). Where is the run now: its last 100 steps' mean loss against the bigram line?",
        choices,
        settle,
    )


def held_question(live: Live) -> Question:
    choices = ("higher than the training loss", "lower than it")

    def settle(live: Live) -> Reveal:
        now = recent(live)
        held, count = held_out(live)
        if now is None or held is None:
            return Reveal(-1, "There is no training loss to compare yet (or no held-out name left unseen).")
        higher = held > now
        return Reveal(
            0 if higher else 1,
            f"On {count} held-out names this run never trained on, the loss is {held:.3f}; its last 100 steps "
            f"averaged {now:.3f}. The gap is {held - now:+.3f}: a model that had only memorised its names would "
            f"show a large one.",
        )

    return Question(
        "The held-out names are a fixed set the runs screen checks every run on, skipping those a run trained "
        "on. Is the live model's loss on them higher or lower than its recent training loss?",
        choices,
        settle,
    )


def runs(live: Live) -> str:
    return (
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
