"""Provides what the lesson panel draws: the chapter menu (`MenuCard`) or one step (`LessonCard`). Immutable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MenuRow:
    number: int
    title: str
    summary: str
    status: str  # "done", "started" or ""


@dataclass(frozen=True)
class MenuCard:
    rows: tuple[MenuRow, ...]
    cursor: int


@dataclass(frozen=True)
class LessonCard:
    number: int  # the chapter's number
    title: str
    at: int  # the step shown, from 1
    total: int
    body: str  # Rich markup
    prompt: str  # what to press now (markup)
    choices: tuple[str, ...] = ()  # an Ask step's choices
    guess: int | None = None  # the learner's choice
    answer: int | None = None  # revealed: the right choice
    lines: tuple[int, int] | None = None  # the textbook lines the chapter teaches (1-based, inclusive)
