"""Provides `Quizzing`: predict, then reveal: its state and its intents (open, guess, move, leave).

This part owns the quiz while it is on (`state`, a `QuizState`: the score,
the turn on show, the hint); the panels read it, the intents here write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_tui.core.labels import visible, visible_text
from microgpt_tui.core.said import Said
from microgpt_tui.core.views import Change, QuizCard
from microgpt_tui.features.quiz.turns import QuizState
from microgpt_tui.language import N_

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Quizzing:
    """The quiz while it is on, and the intents that open, answer, move and leave it."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._state: QuizState | None = None

    @property
    def state(self) -> QuizState | None:
        """The quiz while it is on (None: off)."""
        return self._state

    @property
    def on(self) -> bool:
        return self._state is not None

    def card(self) -> QuizCard | None:
        """What the quiz panel shows (None: the quiz is off)."""
        quiz = self._state
        if quiz is None:
            return None
        seq = self.rules.shown()
        tokenizer = self.session.trainer.tokenizer
        if quiz.live and quiz.turn is None:
            pos = len(seq.labels) if seq is not None and seq.kind == "sample" else 0
            context = visible(tokenizer.label(tokenizer.bos)) + visible_text(self.rules.sample_text)
        else:
            assert seq is not None
            pos = min(self.session.selection.position, len(seq.probs) - 1)
            context = "".join(visible(label) for label in seq.labels[: pos + 1])
        revealed = seq.probs[pos] if seq is not None and quiz.turn is not None else None
        temps = seq.temperatures if seq is not None else []
        return quiz.card(pos, context, revealed, temps[pos] if 0 <= pos < len(temps) else 1.0)

    async def toggle_quiz(self) -> Change:
        if self._state is not None:
            return self.leave_quiz()
        await self.rules.hold_still()  # no auto-advance: the learner sets the pace
        session = self.session
        probed = session.sequence is not None and session.sequence.kind == "probe"
        if probed:  # a text the learner just typed is no quiz: the next training document is
            session.set_sequence(session.next_document_view())
            session.set_position(0)
        live = self.rules.sampling and not session.viewing_past
        self._state = QuizState(session.trainer.tokenizer, live)
        if probed and session.sequence is not None:
            note = Said(
                N_("quiz on the next training document, “{document}”, not on the text you typed (you know that one)"),
                document=visible_text(session.sequence.text),
            )
            session.notify(note, timeout=6)  # (the status line shows the quiz's instructions meanwhile)
            return session.say(note)
        return Change()

    def leave_quiz(self) -> Change:
        if self._state is None:
            return Change()
        score, self._state = self._state.quiz.score(), None
        if not score.turns:
            return Change()
        return self.session.say(
            Said(
                N_(
                    "predict, then reveal: you {you}/{turns}, the model's top choice {model}/{turns}, "
                    "its mean p(actual) {mean}%"
                ),
                you=score.learner_hits,
                turns=score.turns,
                model=score.model_hits,
                mean=f"{score.model_mean_p_actual * 100:.0f}",
            )
        )

    def quiz_guess(self, char: str) -> Change:
        quiz = self._state
        if quiz is None:
            return Change()
        if quiz.turn is not None:
            quiz.message = N_("→ for the next position")
            return Change()
        guess = quiz.quiz.token_for(char)
        if guess is None:
            quiz.message = Said(N_("“{char}”: not in the vocabulary"), char=char)
            return Change()
        if quiz.live:
            self.rules.advance_sample()  # the sampler draws now; the guess was made before
        seq = self.rules.shown()
        assert seq is not None
        pos = min(self.session.selection.position, len(seq.probs) - 1)
        target = seq.targets[pos]
        assert target is not None
        quiz.turn, quiz.message = quiz.quiz.answer(guess, seq.probs[pos], target), ""
        return Change()

    def quiz_move(self, delta: int) -> Change:
        quiz = self._state
        if quiz is None:
            return Change()
        if quiz.live and delta > 0 and quiz.turn is not None:
            if self.rules.sampling:
                quiz.turn, quiz.message = None, ""  # the next draw
                return Change()
            quiz.live = False  # the sample is complete: go through its positions
        before = self.session.selection.position
        self.session.set_position(before + delta)
        if self.session.selection.position == before:
            quiz.message = (
                N_("the end of the name: ← goes back, esc leaves") if delta > 0 else N_("this is the first position")
            )
        else:
            quiz.turn, quiz.message = None, ""
        return Change()
