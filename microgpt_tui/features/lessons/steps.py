"""Provides the kinds of step a chapter is made of, and `Chapter`: plain data, no Textual.

A chapter is a list of steps, each one of four kinds:

- `Say`: a few sentences quoting this session's live numbers (a function of `Live`);
- `Open`: the app opens a real view through its own key's action (forward `v`, graph `g`, ...);
- `Press`: the learner presses the key that does the thing; it really happens in the app, and the
  chapter moves on when the app reports that action;
- `Ask`: predict, then reveal: a `Question` made from the live run when the step is reached; the
  learner picks a choice, then (after the key in `wait`, if any) `Question.settle` computes the
  answer from the run and the reveal explains it with the numbers. No answer is ever written down.

A chapter is complete when all its questions are answered. Chapters live in `chapters/`, one module
each, listed in `chapters/__init__.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microgpt_tui.features.lessons.live import Live

Text = Callable[["Live"], str]  # Rich markup with this session's figures (data escaped: Live.q)


@dataclass(frozen=True)
class Say:
    text: Text


@dataclass(frozen=True)
class Open:
    """The app runs `action` (the real key's action, as if `key` were pressed); `text` says what it shows."""

    action: str
    key: str
    text: Text


@dataclass(frozen=True)
class Press:
    """Wait for the learner to press `key`: the step is done when the app reports one of `on` (action names)."""

    key: str
    on: tuple[str, ...]
    text: Text


@dataclass(frozen=True)
class Reveal:
    """The answer, computed from the run, and what it means in this session's numbers."""

    answer: int  # the index of the right choice
    text: str


@dataclass(frozen=True)
class Question:
    prompt: str  # Rich markup, like every text of a step
    choices: tuple[str, ...]  # plain text
    settle: Callable[[Live], Reveal]  # the answer, from the run as it is when revealed
    wait: tuple[str, ...] = ()  # actions that must happen between the guess and the reveal (a step: "step")
    wait_key: str = ""  # the key that does it, for the prompt


@dataclass(frozen=True)
class Ask:
    make: Callable[[Live], Question]


Step = Say | Open | Press | Ask


@dataclass(frozen=True)
class Chapter:
    """One chapter: its menu title, what it teaches in one line, and its steps.

    `lines` names the part of the textbook file it teaches: (the first line's text, the last line's text),
    found in the file (so the range survives edits to the lines around it); () for none."""

    key: str  # a stable id, for progress kept between sessions
    title: str
    summary: str
    steps: tuple[Step, ...]
    lines: tuple[str, ...] = field(default=())

    @property
    def questions(self) -> int:
        return sum(isinstance(step, Ask) for step in self.steps)
