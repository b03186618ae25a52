"""Provides `Resumed`: what a screen that follows the lab posts when it is on top again."""

from textual.message import Message


class Resumed(Message):
    """A screen that follows the lab is on top again (one over it closed): the app hands it what it shows now."""
