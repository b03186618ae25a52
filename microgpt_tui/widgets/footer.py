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
from textual.app import ComposeResult
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def key_width(child: Widget, room: Size) -> tuple[int, int]:
    """The cells a key takes in a bar `room` wide: (its label with the margin before it, the margin after it).

    A group of keys, or its label, is as wide as Textual's layout makes it (its content's width and its padding),
    measured before any layout: the bar is fitted before the frame that would show every key."""
    margin = child.styles.margin
    if isinstance(child, FooterKey):
        width = child.render().cell_len
    else:
        width = child.get_content_width(room, room) + child.styles.gutter.width
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

    _drawn: tuple = ()  # the keys the bar shows now (shown_keys' first half, when they were composed)
    _fitted_width = -1  # the bar's width when its keys were last fitted to it

    def shown_keys(self) -> tuple[tuple, tuple[bool, ...]]:
        """What `compose` draws the bar from: each shown binding with its key, label and tooltip; and which
        of them are enabled now."""
        if not self._bindings_ready:
            return (), ()
        display = self.app.get_key_display
        shown = [entry for entry in self.screen.active_bindings.values() if entry[1].show]
        keys = tuple((b.key, display(b), b.description, b.action, b.group, tooltip) for (_, b, _, tooltip) in shown)
        return (self.show_command_palette, self.compact, *keys), tuple(enabled for (_, _, enabled, _) in shown)

    def compose(self) -> ComposeResult:
        # Textual binds each key's `compact` to the bar's, and the key's watcher adds its -compact class once it
        # is mounted: a restyle of every key (and its parts) just after its first styling, most of the style work
        # of composing a bar. A key composed with the class already on is styled once; the watcher finds it set.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        # Textual recomposes the bar on every bindings update (a screen opened or closed, a
        # refresh_bindings) and remounting ~25 keys, their styles and their layout, was most of
        # what opening and closing a dialog cost. The same keys are kept: at most their dimming
        # changes (a key that does not apply now); other keys recompose the bar. Under a dialog
        # every key is off: the bar waits until its screen is on top again (that refreshes it).
        if not self.is_attached or self.app.screen is not self.screen:  # (is_current holds under a dialog too)
            return  # (not attached: its screen was closed before this queued recompose ran)
        keys, enabled = self.shown_keys()
        if keys == self._drawn and self.children:
            self.dim(keys, enabled)
            return
        self._drawn = keys
        with self.app.batch_update():  # (no layout until the keys are fitted: one frame, and one layout, not three)
            await super().recompose()
            self.mutate_reactive(Footer.compact)  # prunes the watchers of the keys just removed
            self.fit_keys()

    def dim(self, keys: tuple, enabled: tuple[bool, ...]) -> None:
        """Dim the keys that do not apply now, undim the others, in place."""
        applies = {(key[0], key[3]): on for key, on in zip(keys[2:], enabled)}
        for key in self.query(FooterKey):
            on = applies.get((key.key, key.action))
            if on is not None and key._disabled == on:  # (FooterKey keeps its state there, for a click's bell)
                key._disabled = not on
                key.set_class(not on, "-disabled")

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self.size.width != self._fitted_width:  # (the keys' widths are the same: only the room can change)
            self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys that fit whole in the bar's width, hide the rest."""
        children = [child for child in self.children if not child.has_class("-command-palette")]
        room = self.size
        self._fitted_width = room.width
        shown = fitting([key_width(child, room) for child in children], room.width)
        for index, child in enumerate(children):
            child.display = index < shown
