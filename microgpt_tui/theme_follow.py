"""Provides `follow_theme`: redraw a widget when the app's theme changes, without keeping it alive.

Textual's signal keeps its subscribers in a WeakKeyDictionary, but the callbacks
are the values: one that refers to its widget keeps that widget, and its whole
screen, alive until the next theme change. Its own wrapper for a callback posted
to the node refers to the node too, so the callback here holds the widget weakly
and is called at once (`immediate`: that wrapper refers only to the callback).
Each closed matrix view stayed in memory without this (about 1 MB an open).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

Node = TypeVar("Node", bound=DOMNode)


def follow_theme(node: Node, redraw: Callable[[Node], object]) -> None:
    """Call `redraw(node)` after each theme change while `node` lives; the subscription holds it weakly."""
    home = weakref.ref(node)

    def changed(_theme: object) -> None:
        alive = home()
        if alive is not None:
            redraw(alive)

    node.app.theme_changed_signal.subscribe(node, changed, immediate=True)
