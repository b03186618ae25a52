"""Provides `QuizActions`: predict, then reveal.

`p` swaps the next-token panel for a `QuizPanel` that hides the model's
distribution at the selected position and asks the learner for the next
character. The guess is scored against the model's (engine.quiz.Quiz): the
learner's hits, the model's top-1 hits and the mean probability the model gave
what really came next. → moves on and hides again. On a sample still being
written, the question is the sampler's next draw instead.

The quiz asks about what the panels show, so it works in the past (time
travel) and with heads switched off too.
"""

from microgpt_engine.insight.quiz import Quiz, argmax

from .renderables.heatmap import visible
from .renderables.quiz_card import QuizCard
from .widgets.quiz_panel import QuizPanel


class QuizActions:
    """`p` toggles predict-then-reveal; the panel's messages drive it."""

    quiz = None
    """The running `engine.quiz.Quiz` while the mode is on, else None."""
    quiz_turn = None  # the last answered QuizTurn while its answer shows; None: hidden
    quiz_live = False  # guessing the sampler's next draw (a sample in progress)
    quiz_message = ""
    _focus_before_quiz = None

    async def action_quiz(self):
        if self.quiz is not None:
            self.leave_quiz()
            return
        if self.mode == "training":
            await self._stop_training()
        live = self.sampling and not self.viewing_past
        self._stop_sampling(keep=True)  # no auto-advance: the learner sets the pace
        tokens = self.main.query_one("#tokens")
        panel = QuizPanel(self.vocab_labels, id="quiz")
        self._focus_before_quiz = self.main.focused
        await self.main.query_one("#body").mount(panel, after=tokens)
        self.quiz, self.quiz_turn, self.quiz_live, self.quiz_message = Quiz(self.trainer.tokenizer), None, live, ""  # (the panel is there: _push_view may push the card)
        tokens.display = False
        self.main.set_class(True, "-quiz")
        panel.focus()
        self._push_quiz()

    def leave_quiz(self):
        quiz = self.quiz
        if quiz is None:
            return
        score = quiz.score()
        self.quiz = self.quiz_turn = None
        before = self._focus_before_quiz
        self.main.set_focus(before if before is not None and before.is_attached else None)  # first, so the removal does not pass focus on
        self.main.query_one("#quiz").remove()
        self.main.query_one("#tokens").display = True
        self.main.set_class(False, "-quiz")
        if score.turns:
            self.note = (
                f"predict, then reveal: you {score.learner_hits}/{score.turns}, the model's top choice "
                f"{score.model_hits}/{score.turns}, its mean p(actual) {score.model_mean_p_actual * 100:.0f}%"
            )
        self._push_history_status()

    def quiz_note(self):
        """(what, keys) while the quiz is on, else None."""
        if self.quiz is None:
            return None
        return "predict, then reveal", "type the next character (enter: the name ends) · → next position · esc leaves"

    # -- the panel's messages ------------------------------------------------------------------

    def on_quiz_panel_guess(self, message: QuizPanel.Guess) -> None:
        quiz = self.quiz
        if quiz is None:
            return
        if self.quiz_turn is not None:
            self.quiz_message = "→ for the next position"
            self._push_quiz()
            return
        guess = quiz.token_for(message.char)
        if guess is None:
            self.quiz_message = f"“{message.char}”: not in the vocabulary"
            self._push_quiz()
            return
        if self.quiz_live:
            self._advance_sample()  # the sampler draws now; the guess was made before
        seq = self.shown_sequence()
        pos = min(self.position, len(seq.probs) - 1)
        self.quiz_turn = quiz.answer(guess, seq.probs[pos], seq.targets[pos])
        self.quiz_message = ""
        self._push_quiz()

    def on_quiz_panel_move(self, message: QuizPanel.Move) -> None:
        if self.quiz is None:
            return
        if self.quiz_live and message.delta > 0 and self.quiz_turn is not None:
            if self.sampler is not None and not self.sampler.done:
                self.quiz_turn, self.quiz_message = None, ""  # the next draw
                self._push_quiz()
                return
            self.quiz_live = False  # the sample is complete: go through its positions
        before = self.position
        self.action_move(message.delta)
        if self.position == before:
            self.quiz_message = "the end of the name: ← goes back, esc leaves" if message.delta > 0 else "this is the first position"
        else:
            self.quiz_turn, self.quiz_message = None, ""
        self._push_quiz()

    def on_quiz_panel_leave(self, message: QuizPanel.Leave) -> None:
        self.leave_quiz()

    def on_descendant_focus(self, event) -> None:
        """Keep the keys with the quiz: a click on another panel must not turn letters into commands."""
        if self.quiz is not None and event.widget.screen is self.main and not isinstance(event.widget, QuizPanel):
            self.main.query_one("#quiz", QuizPanel).focus()

    # -- pushing the card ---------------------------------------------------------------------------

    def _push_quiz(self):
        quiz = self.quiz
        seq = self.shown_sequence()
        score = quiz.score()
        live_pending = self.quiz_live and self.quiz_turn is None
        if live_pending:
            pos = len(seq.labels) if seq is not None and seq.kind == "sample" else 0
            context = self.sampler.text if self.sampler is not None else ""
            context = visible(self.trainer.tokenizer.label(self.trainer.tokenizer.bos)) + context
        else:
            pos = min(self.position, len(seq.probs) - 1)
            context = "".join(visible(label) for label in seq.labels[: pos + 1])
        turn = self.quiz_turn
        card = QuizCard(
            position=pos,
            context=context,
            probs=None if turn is None else seq.probs[pos],
            actual=None if turn is None else turn.actual,
            guess=None if turn is None else turn.guess,
            top=None if turn is None else argmax(seq.probs[pos]),
            turns=score.turns,
            learner_hits=score.learner_hits,
            model_hits=score.model_hits,
            mean_p_actual=score.model_mean_p_actual,
            message=self.quiz_message,
            live=self.quiz_live,
        )
        self.main.query_one("#quiz", QuizPanel).card = card
        self._push_history_status()

    # -- training and sampling leave the quiz (the palette can still start them) ----------------------------

    def action_step(self):
        self.leave_quiz()
        super().action_step()

    def action_run(self):
        self.leave_quiz()
        super().action_run()

    def action_sample(self):
        self.leave_quiz()
        super().action_sample()

    def applies_quiz(self):
        seq = self.sequence
        return True if seq is not None and seq.probs else None
