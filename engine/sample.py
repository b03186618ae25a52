"""Provides `Sampler`: the trained model spelling out a new document, one token at a time.

Start from BOS; at each position run the model (no graph: plain floats), divide
the logits by the temperature, turn them into probabilities and draw the next
token from them with the shared RNG. Stop at BOS or when the context is full.
A temperature below 1 sharpens the distribution (safer, more typical names);
above 1 flattens it (more surprising ones).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from .model import GPT, Ablation
from .ops import FloatOps, softmax_floats
from .records import SampleRecord
from .tokenizer import Tokenizer


class Sampler:
    def __init__(
        self,
        model: GPT,
        tokenizer: Tokenizer,
        rng: random.Random | None,  # None: every token is forced (a replay)
        temperature: float = 0.5,
        ablate: Ablation = frozenset(),
    ) -> None:
        if not 0 < temperature < float("inf"):
            raise ValueError(f"temperature must be greater than 0, got {temperature}")
        self.model, self.tokenizer, self.rng = model, tokenizer, rng
        self.temperature = temperature
        self.ablate = ablate
        self.ops = FloatOps(model.weights)
        self.keys, self.values = model.empty_cache()
        self.tokens = [tokenizer.bos]  # what the model has seen so far
        self.records: list[SampleRecord] = []
        self.done = False

    @property
    def text(self) -> str:
        return self.tokenizer.decode(self.tokens[1:])

    def probabilities(self) -> list[float]:
        """The next-token distribution (after temperature) without choosing."""
        return self._forward(commit=False)[0]

    def _forward(self, commit: bool) -> tuple[list[float], list[list[list[float]]], int]:
        pos = len(self.tokens) - 1
        keys, values = self.keys, self.values
        if not commit:  # a look ahead must leave the KV cache as it was
            keys, values = [list(k) for k in keys], [list(v) for v in values]
        attention: list[list[list[float]]] = []
        logits = self.model.forward(self.ops, self.tokens[-1], pos, keys, values, attention, self.ablate)
        # microgpt divides each logit by the temperature: l / T is l * T**-1 for a Value.
        inv_t = self.temperature**-1
        probs = softmax_floats([logit * inv_t for logit in logits])
        return probs, attention, pos

    def step(self, force: int | None = None) -> SampleRecord:
        """Generate one token (or take `force`, a token id chosen by the learner)."""
        if self.done:
            raise StopIteration("the sample is complete")
        probs, attention, pos = self._forward(commit=True)
        if not all(map(math.isfinite, probs)):  # weights so large the logits overflow
            raise FloatingPointError("the next-token probabilities are not numbers: the weights have blown up")
        vocab = range(self.model.vocab_size)
        if force is not None:
            chosen = force
        elif self.rng is None:
            raise ValueError("this sampler has no random number generator: every token must be forced")
        else:
            chosen = self.rng.choices(vocab, weights=probs)[0]
        bos = self.tokenizer.bos
        self.done = chosen == bos or pos + 1 >= self.model.config.block_size
        if chosen != bos:
            self.tokens.append(chosen)
        record = SampleRecord(
            pos=pos,
            token=self.tokens[pos],
            probs=probs,
            chosen=chosen,
            label=self.tokenizer.label(chosen),
            attention=attention,
            done=self.done,
            text=self.text,
            forced=force is not None,
            temperature=self.temperature,
        )
        self.records.append(record)
        return record

    def __iter__(self) -> Iterator[SampleRecord]:
        while not self.done:
            yield self.step()

    def run(self) -> str:
        """The whole sample as a string."""
        for _ in self:
            pass
        return self.text
