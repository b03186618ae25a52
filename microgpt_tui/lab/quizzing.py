"""Provides `Quizzing`: predict, then reveal: its state and its intents (open, guess, move, leave).

This part owns the quiz while it is on (`state`, a `QuizState`: the score,
the turn on show, the hint); the panels read it, the intents here write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .labels import visible_text
from .quiz_state import QuizState
from .views import Change

if TYPE_CHECKING:
    from .lab import Lab


class Quizzing:
    """The quiz while it is on, and the intents that open, answer, move and leave it."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self._state: QuizState | None = None

    @property
    def state(self) -> QuizState | None:
        """The quiz while it is on (None: off)."""
        return self._state

    @property
    def on(self) -> bool:
        return self._state is not None

    async def toggle_quiz(self) -> Change:
        if self._state is not None:
            return self.leave_quiz()
        await self.lab._hold_still()  # no auto-advance: the learner sets the pace
        lab = self.lab
        probed = lab.sequence is not None and lab.sequence.kind == "probe"
        if probed:  # a text the learner just typed is no quiz: the next training document is
            lab._set_sequence(lab._next_document_view())
            lab.set_position(0)
        live = lab.drawing.sampling and not lab.viewing_past
        self._state = QuizState(lab.trainer.tokenizer, live)
        if probed and lab.sequence is not None:
            note = (
                f"quiz on the next training document, “{visible_text(lab.sequence.text)}”, not on the text you "
                "typed (you know that one)"
            )
            lab._notify(note, timeout=6)  # (the status line shows the quiz's instructions meanwhile)
            return lab._say(note)
        return Change()

    def leave_quiz(self) -> Change:
        if self._state is None:
            return Change()
        score, self._state = self._state.quiz.score(), None
        if not score.turns:
            return Change()
        return self.lab._say(
            f"predict, then reveal: you {score.learner_hits}/{score.turns}, the model's top choice "
            f"{score.model_hits}/{score.turns}, its mean p(actual) {score.model_mean_p_actual * 100:.0f}%"
        )

    def quiz_guess(self, char: str) -> Change:
        quiz = self._state
        if quiz is None:
            return Change()
        if quiz.turn is not None:
            quiz.message = "→ for the next position"
            return Change()
        guess = quiz.quiz.token_for(char)
        if guess is None:
            quiz.message = f"“{char}”: not in the vocabulary"
            return Change()
        if quiz.live:
            self.lab.drawing.advance_sample()  # the sampler draws now; the guess was made before
        seq = self.lab.shown()
        assert seq is not None
        pos = min(self.lab.selection.position, len(seq.probs) - 1)
        target = seq.targets[pos]
        assert target is not None
        quiz.turn, quiz.message = quiz.quiz.answer(guess, seq.probs[pos], target), ""
        return Change()

    def quiz_move(self, delta: int) -> Change:
        quiz = self._state
        if quiz is None:
            return Change()
        if quiz.live and delta > 0 and quiz.turn is not None:
            if self.lab.drawing.sampling:
                quiz.turn, quiz.message = None, ""  # the next draw
                return Change()
            quiz.live = False  # the sample is complete: go through its positions
        before = self.lab.selection.position
        self.lab.move(delta)
        if self.lab.selection.position == before:
            quiz.message = "the end of the name: ← goes back, esc leaves" if delta > 0 else "this is the first position"
        else:
            quiz.turn, quiz.message = None, ""
        return Change()
