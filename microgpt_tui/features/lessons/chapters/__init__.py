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
from microgpt_tui.language import N_

TOUR = Chapter(
    "tour",
    N_("A tour of the screen"),
    N_("every panel, one at a time, pressing the keys (the t key starts it too)"),
    (),
)

# The menu's words of chapters 4-11, marked for the catalog here: the menu (and a card's title) translates every
# chapter's title and summary where it draws them; tests/test_zh_lessons.py checks each is marked somewhere.
MENU = (
    N_("Autograd"),
    N_("a weight's gradient: the sum of its uses, checked by the nudge"),
    N_("Adam"),
    N_("m, v, the step, the decaying learning rate, update:data"),
    N_("One step, before and after"),
    N_("the same document before and after one update"),
    N_("Training"),
    N_("the loss curve, the uniform and bigram lines, held-out names"),
    N_("Attention"),
    N_("heads, what each looks at, ablating one; the copy task"),
    N_("The ladder"),
    N_("bigram table → no block → no attention → microgpt → bigger"),
    N_("Sampling and temperature"),
    N_("the same model at a few temperatures, side by side"),
    N_("microgpt and production LLMs"),
    N_("this session's figures beside a production model's"),
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
