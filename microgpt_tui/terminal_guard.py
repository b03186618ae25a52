"""Provides `guard_terminal`: no character that does not print reaches the terminal from a widget's text.

Every view escapes the data it shows (`core/labels.visible`, `visible_text`:
ESC becomes ␛), but a view that forgets one label, or a Textual widget that
shows what was typed (an `Input` holding a pasted ESC), would write the raw
byte, and `ESC ] 0 ; … BEL` retitles the terminal. All of a widget's text
reaches the terminal through `Strip.render`, and Textual writes its own
cursor moves and colours apart from that text: so this is the one place
where a control character (C0, DEL, C1), a bidi override or any other
character that does not print can be stopped, whatever view it came from.
Each becomes as many spaces as the cells Textual gave it (almost always 0),
so the line keeps the width its layout was made for.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip


def inert(text: str) -> str:
    """`text` with each character that does not print replaced by spaces over the cells it was measured to take."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " * get_character_cell_size(ch) for ch in text)


def guard_terminal() -> None:
    """Make `Strip.render` write only printable text (again: nothing)."""
    if getattr(Strip.render, "guarded", False):
        return
    render: Callable[[Strip, Console], str] = Strip.render

    def guarded(self: Strip, console: Console) -> str:
        if self._render_cache is None and not all(text.isprintable() or control for text, _, control in self._segments):
            # (a control segment is Rich's own escape code, never the data's)
            clean = [seg if seg.control else Segment(inert(seg.text), seg.style) for seg in self._segments]
            self._render_cache = render(Strip(clean, self.cell_length), console)
        return render(self, console)

    guarded.guarded = True  # type: ignore[attr-defined]
    Strip.render = guarded  # type: ignore[method-assign]
