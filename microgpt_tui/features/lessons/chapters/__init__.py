"""Provides `CHAPTERS`: every chapter, in the order microgpt is written (a chapter is a module here, and a line
below). Chapter 0 is the guided tour of the screen (features/tour), started from the menu."""

from microgpt_tui.features.lessons.chapters import (
    adam,
    attention,
    autograd,
    forward_pass,
    ladder,
    loss,
    one_step,
    production,
    temperature,
    tokens,
    training,
)
from microgpt_tui.features.lessons.steps import Chapter

TOUR = Chapter(
    "tour", "A tour of the screen", "every panel, one at a time, pressing the keys (the t key starts it too)", ()
)

CHAPTERS: tuple[Chapter, ...] = (
    TOUR,
    tokens.CHAPTER,
    forward_pass.CHAPTER,
    loss.CHAPTER,
    autograd.CHAPTER,
    adam.CHAPTER,
    one_step.CHAPTER,
    training.CHAPTER,
    attention.CHAPTER,
    ladder.CHAPTER,
    temperature.CHAPTER,
    production.CHAPTER,
)
