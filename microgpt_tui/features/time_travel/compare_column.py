"""Provides `CompareColumn`: one step's column of the compare screen, drawn at the height it is given.

It draws in `render`, once laid out, so the column is built once per change
of what it shows and once per size (a `Static` updated on mount and again
after the first layout built and drew every column twice, with a relayout for
each update).
"""

from collections.abc import Sequence
from typing import Any

from rich.console import RenderableType
from textual.widget import Widget

from microgpt_engine.records import EvalRecord
from microgpt_tui.core.said import spoken
from microgpt_tui.features.time_travel.column import column


class CompareColumn(Widget):
    """One (title, EvalRecord) column; `show` sets what the columns share (layer, head, position)."""

    def __init__(self, title: str, record: EvalRecord, vocab_labels: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.title, self.record, self.vocab_labels = title, record, vocab_labels
        self.shown = (0, 0, 0)  # (layer, head, position)

    def show(self, layer: int, head: int, position: int) -> None:
        """Draw the layer, head and position the screen shows (nothing to do when they are the ones drawn)."""
        if (layer, head, position) != self.shown:
            self.shown = (layer, head, position)
            self.refresh()

    def render(self) -> RenderableType:
        height = self.content_size.height or 30
        return column(spoken(self.title), self.record, self.vocab_labels, *self.shown, height)
