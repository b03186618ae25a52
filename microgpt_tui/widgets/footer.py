"""Provides `KeysFooter`: Textual's Footer, showing only whole keys, without keeping every key it ever showed alive.

Textual's Footer recomposes its keys whenever the bindings change, and binds
each new `FooterKey` to its `compact` reactive (`data_bind(compact=...)`).
That registers a watcher on the footer per key; the list of watchers is only
pruned of removed keys when `compact` itself changes, which it never does
here. So every mode change or screen open left about 18 removed keys (and all
they reference) reachable from the footer: `s` pressed 150 times took the app
from 64 to 172 MB. After each recompose, the footer is told its `compact`
changed (`mutate_reactive`), which drops the watchers of removed keys (the
live ones are set to the same value: nothing to redraw).

Textual's Footer also lets a narrow terminal cut its last key mid-word
("c compa"). Here the keys are laid out in their order and the first one that
does not fit whole hides, with every one after it: the bar never shows a
partial label (the help screen and the palette list them all).
"""

from textual import events
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def key_width(child: Widget) -> tuple[int, int]:
    """The cells a key takes in the bar: (its label with the margin before it, the margin after it)."""
    margin = child.styles.margin
    width = child.render().cell_len if isinstance(child, FooterKey) else child.outer_size.width
    return width + margin.left, margin.right


def fitting(widths: list[tuple[int, int]], room: int) -> int:
    """How many keys, taken in order, fit whole in `room` cells (the last one's trailing margin may be cut)."""
    used = 0
    for count, (width, after) in enumerate(widths):
        if used + width > room:
            return count
        used += width + after
    return len(widths)


class KeysFooter(Footer):
    """The key bar at the bottom of a screen: whole keys only, with flat memory however often it recomposes."""

    async def recompose(self) -> None:
        await super().recompose()
        self.mutate_reactive(Footer.compact)  # prunes the watchers of the keys just removed
        self.call_after_refresh(self.fit_keys)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.fit_keys)

    def fit_keys(self) -> None:
        """Show the keys that fit whole in the bar's width, hide the rest."""
        children = [child for child in self.children if not child.has_class("-command-palette")]
        shown = fitting([key_width(child) for child in children], self.size.width)
        for index, child in enumerate(children):
            child.display = index < shown
