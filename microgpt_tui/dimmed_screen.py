"""Provides `DimmedScreen`: the screen under a dialog, dimmed as Textual dims it, at a fraction of the cost.

A screen with a translucent background (every dialog and view over the main
screen: `background: $background 60%`) draws the screen under it tinted.
Textual does that with `BackgroundScreen`: it renders the whole screen under
it through Rich's segment pipeline, blends the tint into every segment's
colours (two colour blends and two new styles per segment, ~2,000 segments at
120x40) and splits the result back into lines, on every render of the dialog:
35-130 ms an open on the loaded machine, twice per open (Textual lays a new
screen out twice). Here the lines come straight from the compositor under it
(its widgets' cached lines) and each distinct style is tinted once: a screen
has a few dozen, so an open costs about a millisecond of tinting. The result is
the same segments Textual makes (the same text, the same styles); only the
work is shared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.css.styles import RulesMap
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

if TYPE_CHECKING:
    from textual.screen import Screen

STYLES_KEPT = 4096  # styles remembered per (tint, base); beyond that the memo starts again (memory stays flat)

_memos: dict[tuple[Color, RichStyle], dict[RichStyle | None, RichStyle]] = {}


def tint_memo(tint: Color, base: RichStyle) -> dict[RichStyle | None, RichStyle]:
    """The styles already tinted with `tint` under `base` (shared by every dialog: the screen under them repeats)."""
    memo = _memos.get((tint, base))
    if memo is None or len(memo) >= STYLES_KEPT:
        if len(_memos) >= 16:
            _memos.clear()
        memo = _memos[(tint, base)] = {}
    return memo


def tinted(style: RichStyle | None, tint: Color, base: RichStyle) -> RichStyle:
    """`style` as the dimmed screen shows it: Textual's own tint (BackgroundScreen), under the dialog's base style."""
    (segment,) = BackgroundScreen.process_segments([Segment(" ", style)], tint)
    assert segment.style is not None
    return base + segment.style if base else segment.style


class DimmedScreen(Visual):
    """What a translucent screen draws as its own background: `under`, tinted with `tint`."""

    def __init__(self, under: Screen, tint: Color) -> None:
        self.under = under
        self.tint = tint

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        base, tint = style.rich_style, self.tint
        memo = tint_memo(tint, base)
        lines = self.under._compositor.render_strips()
        strips = []
        for line in lines[:height] if height is not None else lines:
            segments = []
            for text, segment_style, control in line:
                if control:
                    continue  # (Textual's drops them too: they carry no text)
                shown = memo.get(segment_style)
                if shown is None:
                    shown = memo[segment_style] = tinted(segment_style, tint, base)
                segments.append(Segment(text, shown))
            strips.append(Strip(segments, line.cell_length).crop(0, width))
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.under._compositor.size.height
