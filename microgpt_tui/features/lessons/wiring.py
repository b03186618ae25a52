"""Provides the lessons' wiring: L opens the menu; the panel's keys move the chapter (the app's LessonDock
keeps the panel on the screen on top, and tells the chapter which actions happened: app.py)."""

from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "lessons",
    actions={
        "lessons": lambda lessons: lessons.open_menu(),
        "lesson_menu": lambda lessons: lessons.open_menu(),  # (the panel's L over a view, where the app's L is held)
        "lesson_next": lambda lessons: lessons.next(),
        "lesson_back": lambda lessons: lessons.back(),
        "lesson_end": lambda lessons: lessons.end(),
        "lesson_move": lambda lessons, delta: lessons.move(delta),
        "lesson_answer": lambda lessons, choice: lessons.answer(choice),
    },
    handlers={LessonPanel.Redraw: lambda lessons, message: lessons.retranslate()},  # (then the dock hands the card)
)
