"""Provides `AttentionPanel`: the attention heatmap of the shown sequence.

One head at a time, or every head of a layer side by side. The selected
position's row is highlighted.
"""

from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.core.said import spoken
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.language import _
from microgpt_tui.renderables.heatmap import TITLE, TITLE_ON_LIGHT, AttentionHeatmap
from microgpt_tui.renderables.titles import longest_fitting
from microgpt_tui.theme_follow import follow_theme


def attention_titles(
    layer: int, n_layer: int, head: int, n_head: int, all_heads: bool, shown: int | None = None
) -> list[str]:
    """The panel's title, longest first: layers and heads count from 0, like the code. `shown`: how many of
    all the heads fit (the first ones), when not all of them do."""
    heads = (
        [_("all {n_head} heads").format(n_head=n_head), _("all heads")]
        if all_heads
        else [_("head {head} of {n_head}").format(head=head, n_head=n_head), _("head {head}").format(head=head)]
    )
    if all_heads and shown is not None and shown < n_head:
        few = _("head 0") if shown == 1 else _("heads 0-{last}").format(last=shown - 1)
        heads = [
            _("{few} of {n_head} (wider: all)").format(few=few, n_head=n_head),
            _("{few} of {n_head}").format(few=few, n_head=n_head),
        ]
    if n_layer == 0:
        return [_("attention · none in this model"), _("attn · none"), _("none")]
    return [
        _("attention · layer {layer} of {n_layer} · {heads}").format(layer=layer, n_layer=n_layer, heads=heads[0]),
        _("attn · layer {layer} of {n_layer} · {heads}").format(layer=layer, n_layer=n_layer, heads=heads[0]),
        _("attn · L{layer} · {heads}").format(layer=layer, heads=heads[0]),
        f"L{layer} · {heads[1]}",
        f"L{layer}" + ("" if all_heads else f"H{head}"),
    ]


MAX_CELL = 12  # the widest heatmap cell: a short name on a large terminal stops growing here


def cell_area(heatmap: AttentionHeatmap, width: int) -> int:
    """Columns × lines of the heatmap's narrowest cell at `width` (0 before the panel has a size)."""
    return heatmap.cell_width(width) * heatmap.row_lines(width) if width else 0


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

    def __init__(self, n_layer: int, n_head: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n_layer, self.n_head = n_layer, n_head  # n_layer: the layers with attention
        self.without = _("n_layer 0: the embeddings go straight into lm_head")  # why there is none, when none
        self.border_subtitle = _("row: query · column: key")
        self._title()

    def retranslate(self) -> None:
        """The language changed (switching.py)."""
        self.without = _("n_layer 0: the embeddings go straight into lm_head")
        self._title()

    def _title(self) -> None:
        room = self.outer_size.width - 6 if self.size.width else None  # (the corners, a dash and a space each side)
        heatmap = self.heatmap() if self.all_heads and self.size.width else None
        shown = heatmap.heads_shown(self.content_size.width) if heatmap is not None else None
        titles = attention_titles(self.layer_index, self.n_layer, self.head, self.n_head, self.all_heads, shown)
        self.border_title = longest_fitting(titles, room)
        tag = self.sequence.tag if self.sequence is not None else ""
        subtitles = (
            [spoken(tag)] if tag else [_("row: query · column: key"), _("row query · col key"), _("query × key")]
        )
        self.border_subtitle = longest_fitting(subtitles, room)  # what the lens changed, if anything

    def on_mount(self) -> None:
        follow_theme(self, lambda panel: panel.refresh())  # (the captions follow it)

    def on_resize(self) -> None:
        self._title()

    def watch_sequence(self) -> None:
        self._title()

    def watch_layer_index(self) -> None:
        self._title()

    def watch_head(self) -> None:
        self._title()

    def watch_all_heads(self) -> None:
        self._title()

    def heatmap(self) -> AttentionHeatmap | None:
        """The renderable for the current state (None when there is nothing to draw)."""
        seq = self.sequence
        if seq is None or not seq.labels or not seq.attention:
            return None
        heads = seq.attention[self.layer_index]
        titles: list[str] | None
        if self.all_heads:
            matrices, titles = heads, [_("head {head}").format(head=h) for h in range(len(heads))]
        else:
            matrices, titles = [heads[self.head]], None
        width, height = self.content_size.width, self.content_size.height or None
        light = self.is_attached and not self.app.current_theme.dark
        style = TITLE_ON_LIGHT if light else TITLE
        options = [
            AttentionHeatmap(seq.labels, matrices, titles, self.position, MAX_CELL, height, per_row, True, style)
            for per_row in sorted({len(matrices), -(-len(matrices) // 2)}, reverse=True)
        ]
        fitting = [h for h in options if h.per_row == len(matrices) or height is None or h.height() <= height]
        # every head whole first, then the biggest cells (ties: one row of heads)
        return max(fitting, key=lambda h: (not width or h.heads_shown(width) == len(matrices), cell_area(h, width)))

    def render(self) -> RenderResult:
        if self.n_layer == 0:
            return Text(_("no attention: {why}").format(why=self.without), style="dim")
        return self.heatmap() or Text(_("no document yet"), style="dim")
