"""Provides `QuizState`: predict, then reveal, while it is on: the score, the turn on show, what is asked.

The lab decides when a guess counts and which position is asked about
(`Quizzing.quiz_guess`, `Quizzing.quiz_move`: state.py); this holds what that leaves behind and
turns it into the card the quiz panel draws.
"""

from __future__ import annotations

from microgpt_engine import Tokenizer
from microgpt_engine.insight.quiz import Quiz, QuizTurn, argmax
from microgpt_tui.core.views import QuizCard


class QuizState:
    def __init__(self, tokenizer: Tokenizer, live: bool):
        self.quiz = Quiz(tokenizer)
        self.turn: QuizTurn | None = None  # the last answered turn while its answer shows; None: hidden
        self.live = live  # guessing the sampler's next draw (a sample in progress)
        self.message = ""  # a hint or a complaint under the card

    def card(self, position: int, context: str, probs: list[float] | None, temperature: float = 1.0) -> QuizCard:
        """The card for `position` after `context`; `probs` is the model's answer once revealed (else None)."""
        turn, score = self.turn, self.quiz.score()
        return QuizCard(
            position=position,
            context=context,
            probs=probs,
            actual=None if turn is None else turn.actual,
            guess=None if turn is None else turn.guess,
            top=None if probs is None else argmax(probs),
            turns=score.turns,
            learner_hits=score.learner_hits,
            model_hits=score.model_hits,
            mean_p_actual=score.model_mean_p_actual,
            message=self.message,
            live=self.live,
            temperature=temperature,
        )
