"""Provides `AttentionPanel`: the attention heatmap of the shown sequence.

One head at a time, or every head of a layer side by side. The selected
position's row is highlighted.
"""

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..lab.sequence import SequenceView
from ..renderables.heatmap import AttentionHeatmap


class AttentionPanel(Widget, can_focus=True):
    """Rows: the position doing the looking (query); columns: what it looks at (key)."""

    sequence: reactive[SequenceView | None] = reactive(None)
    """The document or sample whose attention is drawn."""
    layer_index: reactive[int] = reactive(0)
    """The Transformer layer shown."""
    head: reactive[int] = reactive(0)
    """The head shown when not showing all heads."""
    all_heads: reactive[bool] = reactive(False)
    """Show every head of the layer side by side."""
    position: reactive[int] = reactive(0)
    """The highlighted query row."""

    def __init__(self, n_layer, n_head, **kwargs):
        super().__init__(**kwargs)
        self.n_layer, self.n_head = n_layer, n_head
        self.border_subtitle = "row: query · column: key"
        self._title()

    def _title(self):
        heads = f"all {self.n_head} heads" if self.all_heads else f"head {self.head + 1}/{self.n_head}"
        self.border_title = f"attn · layer {self.layer_index + 1}/{self.n_layer} · {heads}"
        tag = self.sequence.tag if self.sequence is not None else ""
        self.border_subtitle = tag or "row: query · column: key"  # what the lens changed, if anything

    def watch_sequence(self):
        self._title()

    def watch_layer_index(self):
        self._title()

    def watch_head(self):
        self._title()

    def watch_all_heads(self):
        self._title()

    def heatmap(self):
        """The renderable for the current state (None when there is nothing to draw)."""
        seq = self.sequence
        if seq is None or not seq.labels or not seq.attention:
            return None
        heads = seq.attention[self.layer_index]
        if self.all_heads:
            matrices, titles = heads, [f"head {h + 1}" for h in range(len(heads))]
        else:
            matrices, titles = [heads[self.head]], None
        return AttentionHeatmap(
            seq.labels, matrices, titles, selected=self.position, max_rows=self.content_size.height or None
        )

    def render(self):
        return self.heatmap() or Text("no document yet", style="dim")
