"""Chapter 11, microgpt next to production LLMs, with this session's figures.

The outside figures are one model's, from one source, as the about screen (b) quotes them: Llama 3 405B,
from Meta's Llama 3 paper (2024). Nothing else outside is claimed.
"""

from __future__ import annotations

import math

from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Ask, Chapter, Question, Reveal, Say
from microgpt_tui.language import N_, _, ngettext

LLAMA_PARAMS = 405e9  # Llama 3 405B (Meta, "The Llama 3 Herd of Models", 2024)
LLAMA_VOCAB = 128_000
LLAMA_CONTEXT = 128_000
LLAMA_TOKENS = 15e12  # "over 15 trillion" training tokens
SOURCE = N_("Meta's Llama 3 paper (2024)")


def trained(steps: int) -> str:
    if not steps:
        return _("no training step yet")
    return ngettext("{count} step of one document each", "{count} steps of one document each", steps).format(
        count=f"{steps:,}"
    )


def here(live: Live) -> str:
    cfg = live.config
    return _(
        "This session's model: {params} parameters, a vocabulary of {vocab} tokens (one per character, and BOS ◆), a "
        "context of {block_size} tokens, {trained}, on {docs} documents. Llama 3 405B, from {source}: 405 billion "
        "parameters, a "
        "vocabulary of 128,000 subword tokens, a context of 128,000 tokens, over 15 trillion training tokens."
    ).format(
        params=f"{live.model.num_params:,}",
        vocab=live.vocab_size,
        block_size=cfg.block_size,
        trained=trained(live.steps_done),
        docs=f"{len(live.session.docs):,}",
        source=_(SOURCE),
    )


def times(k: int) -> str:
    return _("about 10^{k} times").format(k=k)


def ratio_question(live: Live) -> Question:
    exponent = round(math.log10(LLAMA_PARAMS / live.model.num_params))
    powers = range(exponent - 2, exponent + 2)
    choices = tuple(times(k) for k in powers)

    def settle(live: Live) -> Reveal:
        ratio = LLAMA_PARAMS / live.model.num_params
        vocab, context = LLAMA_VOCAB / live.vocab_size, LLAMA_CONTEXT / live.config.block_size
        k = round(math.log10(ratio))
        index = powers.index(k)  # (by the power, not the words: the language may switch in between)
        return Reveal(
            index,
            _(
                "405,000,000,000 / {params} = {ratio:,.0f}, about 10^{k}. Its vocabulary is {vocab:,.0f} times this "
                "one, its context {context:,.0f} times."
            ).format(params=f"{live.model.num_params:,}", ratio=ratio, k=k, vocab=vocab, context=context),
        )

    return Question(_("How many times more parameters has Llama 3 405B than this model?"), choices, settle)


def same(live: Live) -> str:
    return _(
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
