"""Provides what each attention head does, measured: where it looks, and what the loss loses without it.

- `attention_on`: for each (layer, head), the mean weight its queries put on
  the key a task names for them (the copy task's pairs: the letter a position
  must repeat). The head with the most is the head that copies.
- `ablation_losses`: the mean loss over some documents with every head on, and
  with each head switched off in turn (the app's `z`). The head whose loss rises
  most is the one the model leans on.

Both run the model on plain floats (no graph) with the weights as they are.
`attention_on` keeps its last few answers, by everything they depend on (the
weights' values included): the attention chapter quotes the same figure for
the same run at its question, at adopting the run and on its card, which is
made again after every key while it shows.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import GPT
from ..tokenizer import Tokenizer
from ..train import evaluate_tokens

Head = tuple[int, int]  # (layer, head)
KEPT = 4  # attention_on's answers kept (a run's weights are in each key: about 1 MB for the bigger rung)
_kept: dict[tuple[Any, ...], dict[Head, float]] = {}
_kept_lock = threading.Lock()


def heads_of(model: GPT) -> list[Head]:
    """Every (layer, head) of the model, in order (none without attention)."""
    config = model.config
    layers = config.n_layer if config.attention else 0
    return [(layer, head) for layer in range(layers) for head in range(config.n_head)]


def attention_on(
    model: GPT, tokenizer: Tokenizer, docs: Iterable[str], pairs_of: Callable[[str], Sequence[tuple[int, int]]]
) -> dict[Head, float]:
    """Each head's mean attention weight from a query position onto the key position `pairs_of(doc)` names."""
    docs = tuple(docs)
    key = (model.config, tuple(model.flat_weights()), tuple(tokenizer.chars), docs, pairs_of)
    with _kept_lock:
        kept = _kept.get(key)
    if kept is None:
        kept = _attention_on(model, tokenizer, docs, pairs_of)
        with _kept_lock:
            _kept[key] = kept
            while len(_kept) > KEPT:
                del _kept[next(iter(_kept))]
    return dict(kept)


def _attention_on(
    model: GPT, tokenizer: Tokenizer, docs: Sequence[str], pairs_of: Callable[[str], Sequence[tuple[int, int]]]
) -> dict[Head, float]:
    block = model.config.block_size
    sums = dict.fromkeys(heads_of(model), 0.0)
    count = 0
    for doc in docs:
        pairs = [(q, k) for q, k in pairs_of(doc) if k <= q < block]
        if not pairs:
            continue
        attention = evaluate_tokens(model, tokenizer, tokenizer.document(doc[:block])).attention
        for layer, head in sums:
            rows = attention[layer][head]  # [query position] -> weights over keys 0..q
            sums[layer, head] += math.fsum(rows[q][k] for q, k in pairs if q < len(rows))
        count += len(pairs)
    return {head: total / count for head, total in sums.items()} if count else {}


@dataclass(frozen=True)
class Ablations:
    """The mean loss over the same documents with every head on, and with each one off."""

    intact: float
    without: dict[Head, float]  # (layer, head) -> the mean loss with that head's output zeroed

    def rise(self, head: Head) -> float:
        return self.without[head] - self.intact

    @property
    def worst(self) -> Head | None:
        """The head whose ablation raises the loss most (None: the model has no attention)."""
        return max(self.without, key=lambda head: (self.without[head], -head[0], -head[1]), default=None)


def ablation_losses(model: GPT, tokenizer: Tokenizer, docs: Iterable[str]) -> Ablations:
    """The mean loss over `docs` intact and with each head ablated (as the app's z does, the weights unchanged)."""
    block = model.config.block_size
    token_lists = [tokenizer.document(doc[:block]) for doc in docs]

    def mean_loss(ablate: frozenset[tuple[int, int | None]]) -> float:
        return math.fsum(evaluate_tokens(model, tokenizer, tokens, ablate).loss for tokens in token_lists) / len(
            token_lists
        )

    intact = mean_loss(frozenset())
    return Ablations(intact, {head: mean_loss(frozenset({head})) for head in heads_of(model)})


def strongest(scores: dict[Head, float]) -> Head | None:
    """The head with the highest score (ties: the first), None for none."""
    return max(scores, key=lambda head: (scores[head], -head[0], -head[1]), default=None)
