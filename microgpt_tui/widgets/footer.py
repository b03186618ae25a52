"""Provides `KeysFooter`: Textual's Footer, without keeping every key it ever showed alive.

Textual's Footer recomposes its keys whenever the bindings change, and binds
each new `FooterKey` to its `compact` reactive (`data_bind(compact=...)`).
That registers a watcher on the footer per key; the list of watchers is only
pruned of removed keys when `compact` itself changes, which it never does
here. So every mode change or screen open left about 18 removed keys (and all
they reference) reachable from the footer: `s` pressed 150 times took the app
from 64 to 172 MB. After each recompose, the footer is told its `compact`
changed (`mutate_reactive`), which drops the watchers of removed keys (the
live ones are set to the same value: nothing to redraw).
"""

from textual.widgets import Footer


class KeysFooter(Footer):
    """The key bar at the bottom of a screen, with flat memory however often it recomposes."""

    async def recompose(self) -> None:
        await super().recompose()
        self.mutate_reactive(Footer.compact)  # prunes the watchers of the keys just removed
