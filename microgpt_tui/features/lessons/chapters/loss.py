"""Chapter 3, the loss: the mean of −ln p over a name's positions, and why it starts near ln of the vocabulary
size (27 tokens on names, another number on other data)."""

from __future__ import annotations

import math
from functools import lru_cache

from microgpt_engine import EvalRecord, Trainer
from microgpt_engine.config import Config
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal, Say
from microgpt_tui.language import N_, _


def intro(live: Live) -> str:
    return _(
        "Training needs one number that says how wrong the model was on a document: the loss. At every position the "
        "model gave the actual next character some probability p; −ln p is 0 when p = 1 and grows without bound "
        "as p falls to 0. The loss of a document is the mean of −ln p over its positions."
    )


def breakdown(live: Live) -> str:
    record = live.latest
    if record is None or not record.positions:
        return _("No step has been taken yet: space takes one.")
    parts = []
    for position in record.positions:
        target = position.target
        assert target is not None
        p = position.probs[target]
        parts.append(f"{live.label(position.token)}→{live.label(target)} {-math.log(p):.2f}")
    shown = ", ".join(parts[:8]) + (", …" if len(parts) > 8 else "")
    mean = sum(-math.log(pos.probs[pos.target]) for pos in record.positions if pos.target is not None) / len(parts)
    return _(
        "Step {step} trained on “{doc}”. −ln p at its {n} positions: {shown}. Their mean, {mean}, is the step's "
        "loss: {loss}, the dot on the loss plot."
    ).format(
        step=f"{record.step:,}",
        doc=live.q(record.doc),
        n=len(parts),
        shown=shown,
        mean=f"{mean:.4f}",
        loss=f"{record.loss:.4f}",
    )


@lru_cache(maxsize=4)
def _untrained(docs: tuple[str, ...], config: Config) -> tuple[str, EvalRecord]:
    trainer = Trainer(docs, config)  # the run as it starts: the same shuffle and the same initial weights
    doc = trainer.document(0)
    return doc, trainer.evaluate(doc)


def untrained(live: Live) -> tuple[str, EvalRecord]:
    """Step 1's document and the untrained model's evaluation of it (this run's shape, seed and data)."""
    return _untrained(tuple(live.session.docs), live.config)


def start_question(live: Live) -> Question:
    vocab = live.vocab_size
    values = (math.log(vocab), 1 / vocab, float(vocab), 0.0)
    choices = (f"ln {vocab} = {values[0]:.2f}", f"1/{vocab} = {values[1]:.3f}", f"{vocab}", "0")

    def settle(live: Live) -> Reveal:
        doc, record = untrained(live)
        loss = record.loss
        nearest = min(range(len(values)), key=lambda i: abs(values[i] - loss))
        probs = record.positions[0].probs
        return Reveal(
            nearest,
            _(
                "Untrained, this run's first document “{doc}” has loss {loss}, near ln {vocab} = {ln_vocab}. The "
                "weights start as random numbers of std {std}, so every logit is near 0 and softmax gives every token "
                "nearly 1/{vocab} = {uniform} (at position 0: {low} to {high}); −ln(1/{vocab}) = ln {vocab}."
            ).format(
                doc=live.q(doc),
                loss=f"{loss:.4f}",
                vocab=vocab,
                ln_vocab=f"{values[0]:.4f}",
                std=f"{live.config.init_std:g}",
                uniform=f"{1 / vocab:.1%}",
                low=f"{min(probs):.1%}",
                high=f"{max(probs):.1%}",
            ),
        )

    return Question(
        _("Before any training, every logit is close to 0. Which number is the loss near then?"), choices, settle
    )


CHAPTER = Chapter(
    "loss",
    N_("The loss"),
    N_("the mean of −ln p, and why it starts near ln(vocab size)"),
    (
        Say(intro),
        Press("space", ("step",), lambda live: _("Press space: one training step on the next document.")),
        Say(breakdown),
        Ask(start_question),
    ),
    lines=("# Forward: at each position", "loss = (1 / n) * sum(losses)"),
)
