"""Provides the messages the background workers post to the app.

Workers never touch a widget: they post one of these (thread-safe) and the app,
on its own thread, updates its state and the panels.
"""

from dataclasses import dataclass

from textual.message import Message


class TrainingProgress(Message):
    """Finished training steps wait in the app's inbox (the worker posts a few of these per second)."""


@dataclass
class TrainingStopped(Message):
    """The training worker has returned: paused, finished, diverged or failed."""

    reason: str  # "paused", "done", "diverged" or "error"
    error: str = ""
    run: int = 0  # which start of training this ends (a stale stop is ignored)


@dataclass
class BaselinesReady(Message):
    """The reference losses for the loss plot."""

    uniform: float  # ln(vocab size): guessing uniformly
    bigram: float  # the data's own bigram model
