"""Provides `BigramTable`: the count table of which token follows which, as a model of its own.

It is the first rung of building microgpt up: no weights, no training, only
counts. Its loss is the bigram line the loss plot draws (`baselines.bigram_loss`);
it can also spell names, drawing each next token with probability
count ** (1 / T), normalised: the same temperature rule as the sampler.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable

from ..tokenizer import Tokenizer
from .baselines import bigram_loss


class BigramTable:
    def __init__(self, docs: Iterable[str], tokenizer: Tokenizer, block_size: int | None = None):
        docs = list(docs)
        self.tokenizer = tokenizer
        self.counts: dict[int, Counter[int]] = {}
        for doc in docs:
            tokens = tokenizer.document(doc)
            if block_size is not None:
                tokens = tokens[: block_size + 1]
            for a, b in zip(tokens, tokens[1:]):
                self.counts.setdefault(a, Counter())[b] += 1
        self.loss = bigram_loss(docs, tokenizer, block_size)
        self.block_size = block_size or 64

    def sample(self, rng: random.Random, temperature: float = 1.0) -> str:
        """One name: from BOS, each next token drawn from the counts after the previous one."""
        bos, token, out = self.tokenizer.bos, self.tokenizer.bos, []
        for _ in range(self.block_size):
            following = self.counts.get(token)
            if not following:
                break
            choices = list(following)
            weights = [following[c] ** (1 / temperature) for c in choices]
            token = rng.choices(choices, weights)[0]
            if token == bos:
                break
            out.append(token)
        return self.tokenizer.decode(out)
