"""Provides `wrapped`: a lesson's or the tour's text, its Chinese lines broken between characters.

Textual wraps at spaces only: a Chinese sentence has none, so a run of it shorter than the panel but longer
than what is left of a line moved whole to the next line, leaving the line before half empty. Chinese may
break between any two characters, except before closing punctuation (，。）…) and after opening
punctuation (（“…). Text with no wide character is left to Textual, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

NO_START = frozenset("，。、：；？！）」』”’》〉…%")  # never first on a line
NO_END = frozenset("（「『“‘《〈")  # never last on a line


def _wide(character: str) -> bool:
    return get_character_cell_size(character) == 2


def _may_break(line: str, at: int) -> bool:
    """A line may break before `line[at]`: after a space, or beside a wide character (punctuation allowing)."""
    before, after = line[at - 1], line[at]
    if after == " " or after in NO_START or before in NO_END:
        return False
    return before == " " or _wide(before) or _wide(after)


def breaks(line: str, width: int) -> list[int]:
    """Where to break `line` (no newline in it) so that each piece fits `width` cells (trailing spaces hang)."""
    offsets: list[int] = []
    start, cells, best = 0, 0, 0
    for at, character in enumerate(line):
        if at > start and _may_break(line, at):
            best = at
        size = cell_len(character)
        if character != " " and cells + size > width and at > start:
            start = best if best > start else at  # (no place to break: fold, as Textual does)
            offsets.append(start)
            cells = cell_len(line[start:at])
        cells += size
    return offsets


@dataclass(frozen=True)
class Broken(Visual):
    """`content` broken into lines by `breaks` for the width it is drawn at, then drawn as Textual draws it."""

    content: Content

    def at(self, width: int) -> Content:
        lines: list[Content] = []
        for line in self.content.split("\n", allow_blank=True):
            pieces = line.divide(breaks(line.plain, width)) if width > 0 else [line]
            lines.extend(piece.rstrip() for piece in pieces)
        return Content("\n").join(lines)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.at(width).get_height(rules, width)


def wrapped(text: Text) -> Text | Broken:
    """`text` to draw: broken between Chinese characters where it has any."""
    if not any(_wide(character) for character in text.plain):
        return text
    return Broken(Content.from_rich_text(text))
