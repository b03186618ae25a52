"""Provides the lessons' wiring: L opens the menu; the panel's keys move the chapter (the app's LessonDock
keeps the panel on the screen on top, and tells the chapter which actions happened: app.py)."""

from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "lessons",
    actions={"lessons": lambda lessons: lessons.open_menu()},
    handlers={
        LessonPanel.Next: lambda lessons, message: lessons.next(),
        LessonPanel.Back: lambda lessons, message: lessons.back(),
        LessonPanel.End: lambda lessons, message: lessons.end(),
        LessonPanel.Move: lambda lessons, message: lessons.move(message.delta),
        LessonPanel.Answer: lambda lessons, message: lessons.answer(message.choice),
    },
)
