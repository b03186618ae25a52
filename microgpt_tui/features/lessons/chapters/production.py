"""Chapter 11, microgpt next to production LLMs, with this session's figures.

The outside figures are one model's, from one source, as the about screen (b) quotes them: Llama 3 405B,
from Meta's Llama 3 paper (2024). Nothing else outside is claimed.
"""

from __future__ import annotations

import math

from microgpt_tui.core.labels import counted
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Question, Reveal, Say

LLAMA_PARAMS = 405e9  # Llama 3 405B (Meta, "The Llama 3 Herd of Models", 2024)
LLAMA_VOCAB = 128_000
LLAMA_CONTEXT = 128_000
LLAMA_TOKENS = 15e12  # "over 15 trillion" training tokens
SOURCE = "Meta's Llama 3 paper (2024)"


def trained(steps: int) -> str:
    return f"{counted(steps, 'step')} of one document each" if steps else "no training step yet"


def here(live: Live) -> str:
    cfg = live.config
    return (
        f"This session's model: {live.model.num_params:,} parameters, a vocabulary of {live.vocab_size} tokens "
        f"(one per character), a context of {cfg.block_size} tokens, {trained(live.steps_done)}, on "
        f"{len(live.session.docs):,} documents. Llama 3 405B, from {SOURCE}: 405 billion parameters, "
        f"a vocabulary of 128,000 subword tokens, a context of 128,000 tokens, over 15 trillion training tokens."
    )


def ratio_question(live: Live) -> Question:
    exponent = round(math.log10(LLAMA_PARAMS / live.model.num_params))
    choices = tuple(f"about 10^{k} times" for k in range(exponent - 2, exponent + 2))

    def settle(live: Live) -> Reveal:
        ratio = LLAMA_PARAMS / live.model.num_params
        vocab, context = LLAMA_VOCAB / live.vocab_size, LLAMA_CONTEXT / live.config.block_size
        k = round(math.log10(ratio))
        index = choices.index(f"about 10^{k} times")
        return Reveal(
            index,
            f"405,000,000,000 / {live.model.num_params:,} = {ratio:,.0f}, about 10^{k}. Its vocabulary is "
            f"{vocab:,.0f} times this one, its context {context:,.0f} times.",
        )

    return Question("How many times more parameters has Llama 3 405B than this model?", choices, settle)


def same(live: Live) -> str:
    return (
        "What you stepped through is the same algorithm: tokens in, a Transformer, next-token cross-entropy, "
        "backpropagation, Adam, sampling one token at a time. b sets the two side by side (esc closes it)."
    )


CHAPTER = Chapter(
    "production",
    "microgpt and production LLMs",
    "this session's figures beside a production model's",
    (
        Say(here),
        Ask(ratio_question),
        Say(same),
    ),
)
