"""Provides the loss baselines a learner should compare the model against.

- uniform: a model that knows nothing guesses every token with probability
  1/vocab, so its loss is ln(vocab) (ln 27 = 3.30 for names).
- bigram: the best any model can do when it only sees the previous token,
  measured on the data itself: count how often each token follows each other
  token, then the loss of those empirical frequencies on the same data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..tokenizer import Tokenizer


def uniform_loss(vocab_size: int) -> float:
    return math.log(vocab_size)


def bigram_loss(docs: Iterable[str], tokenizer: Tokenizer, block_size: int | None = None) -> float:
    """Mean cross-entropy of the data's own next-token frequencies given the previous token.

    Averaged per document (as training's loss is), over the same predictions a
    training step makes (cropped to block_size when given).
    """
    pairs: Counter[tuple[int, int]] = Counter()
    docs_tokens: list[list[int]] = []
    for doc in docs:
        tokens = tokenizer.document(doc)
        if block_size is not None:
            tokens = tokens[: block_size + 1]
        docs_tokens.append(tokens)
        pairs.update(zip(tokens, tokens[1:]))
    following: Counter[int] = Counter()
    for (prev, _), count in pairs.items():
        following[prev] += count
    total = 0.0
    for tokens in docs_tokens:
        nll = [-math.log(pairs[a, b] / following[a]) for a, b in zip(tokens, tokens[1:])]
        total += sum(nll) / len(nll)
    return total / len(docs_tokens)
