"""Provides the quiz's wiring: what its panel's keys say (the app's p opens the panel: app.py)."""

from microgpt_tui.features.quiz.panel import QuizPanel
from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "quizzing",
    handlers={
        QuizPanel.Guess: lambda quizzing, message: quizzing.quiz_guess(message.char),
        QuizPanel.Move: lambda quizzing, message: quizzing.quiz_move(message.delta),
        QuizPanel.Leave: lambda quizzing, message: quizzing.leave_quiz(),
    },
)
