"""Provides `Quiz`: predict the next character, then see what the model predicted.

The learner looks at a name up to some position and guesses the next
character; the model has a whole probability distribution for the same
position. Scoring both on the same positions makes the loss concrete:

- the learner's guess is a bet of all probability on one character, so it
  either hits (log-loss 0) or misses (log-loss infinite): hits are the score;
- the model's top-1 choice can be scored the same way;
- the model's fair score is p(actual), the mass it put on what came next; its
  mean -log p(actual) is exactly the training loss on those positions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..tokenizer import Tokenizer


@dataclass
class QuizTurn:
    """One guess, and how the learner and the model did on it."""

    guess: int | None  # the learner's token id (None: not in the vocabulary)
    actual: int  # the token that really came next
    model_top: int  # the model's most likely token
    learner_hit: bool
    model_hit: bool
    p_actual: float  # the model's probability of the actual token
    p_guess: float  # the model's probability of the learner's guess (0 if unknown)


@dataclass
class QuizScore:
    """The running totals, ready to display."""

    turns: int
    learner_hits: int
    model_hits: int
    learner_accuracy: float  # hits / turns (0 before any turn)
    model_accuracy: float
    model_mean_p_actual: float  # mean probability the model gave the truth
    model_mean_loss: float  # mean -log p(actual): the model's cross-entropy here


def argmax(probs: Sequence[float]) -> int:
    """Index of the largest probability (the first, on a tie)."""
    best = 0
    for i, p in enumerate(probs):
        if p > probs[best]:
            best = i
    return best


class Quiz:
    """Plain counters over turns; `tokenizer` turns typed characters into ids."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.turns: list[QuizTurn] = []
        self.learner_hits = 0
        self.model_hits = 0
        self.sum_p_actual = 0.0
        self.sum_surprisal = 0.0  # sum of -log p(actual); inf once the model gave the truth 0

    def token_for(self, char: str) -> int | None:
        """The token id of a typed character; '' or the BOS label means "the name ends"."""
        if char in ("", self.tokenizer.label(self.tokenizer.bos)):
            return self.tokenizer.bos
        chars = self.tokenizer.chars
        return chars.index(char) if char in chars else None

    def answer(self, guess: str | int, probs: Sequence[float], actual: int) -> QuizTurn:
        """Score one turn: `guess` is the typed character (or a token id), `probs`
        the model's next-token distribution there, `actual` the true next token."""
        guess_id = guess if isinstance(guess, int) else self.token_for(guess)
        model_top = argmax(probs)
        p_actual = probs[actual]
        turn = QuizTurn(
            guess=guess_id,
            actual=actual,
            model_top=model_top,
            learner_hit=guess_id == actual,
            model_hit=model_top == actual,
            p_actual=p_actual,
            p_guess=probs[guess_id] if guess_id is not None else 0.0,
        )
        self.turns.append(turn)
        self.learner_hits += turn.learner_hit
        self.model_hits += turn.model_hit
        self.sum_p_actual += p_actual
        self.sum_surprisal += -math.log(p_actual) if p_actual > 0 else math.inf
        return turn

    def score(self) -> QuizScore:
        n = len(self.turns)
        return QuizScore(
            turns=n,
            learner_hits=self.learner_hits,
            model_hits=self.model_hits,
            learner_accuracy=self.learner_hits / n if n else 0.0,
            model_accuracy=self.model_hits / n if n else 0.0,
            model_mean_p_actual=self.sum_p_actual / n if n else 0.0,
            model_mean_loss=self.sum_surprisal / n if n else 0.0,
        )
