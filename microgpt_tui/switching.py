"""Provides `switch_language`: the app in another language at once, every open screen redrawn.

`language._()` translates each time a string is drawn, so a switch is a redraw; two things keep text
Textual built once: key bindings (a `Binding` is made once per class, and the footer, help and palette
read its description) are rewritten in place, and widgets that set a title once (a panel's border) have
a `retranslate()` method, called here on every widget of every open screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.message import Message

from microgpt_tui import language, user_state


class LanguageChosen(Message):
    """A dialog chose the app's language (the settings' language row); the app switches to it."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


def _translated(binding: Binding) -> Binding:
    group = binding.group  # (the footer's label of a group of keys: "temp", "head")
    return dataclasses.replace(
        binding,
        description=language._(binding.description),
        tooltip=language._(binding.tooltip),
        group=group and dataclasses.replace(group, description=language._(group.description)),
    )


def translate_map(bindings: BindingsMap | None) -> None:
    """Rewrite every binding of `bindings` in the current language (in place)."""
    if bindings is None:
        return
    for key, listed in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [_translated(b) for b in listed]


_keys_in = "en"  # the language every class's bindings are in now (Textual builds them from the English source)


def translate_bindings(nodes: Iterable[DOMNode]) -> None:
    """The key descriptions of every class Textual built (for screens opened later), when the language changed
    since, and of the open `nodes`."""
    global _keys_in
    if _keys_in != language.current():
        _keys_in = language.current()
        _translate_classes()
    for node in nodes:
        translate_map(node._bindings)


def _translate_classes() -> None:
    seen: set[type] = set()
    todo: list[type] = [DOMNode]
    while todo:
        subclasses: list[type] = todo.pop().__subclasses__()
        for sub in subclasses:
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
                if "_merged_bindings" in vars(sub):
                    translate_map(vars(sub)["_merged_bindings"])


def open_nodes(app: App) -> list[DOMNode]:
    """The app, every screen of its stack and every widget on them."""
    nodes: list[DOMNode] = [app]
    for screen in app.screen_stack:
        nodes.extend(screen.walk_children(with_self=True))
    return nodes


def switch_language(app: App, code: str, state_path: Path | None = None) -> None:
    """Show `app` in `code` from now on, remember the choice, and redraw everything open."""
    language.set_language(code)
    user_state.save(state_path or user_state.default_path(), language=code)
    retranslate(app)


def retranslate(app: App) -> None:
    """Redraw every open screen in the current language: keys, titles, and what they draw."""
    nodes = open_nodes(app)
    translate_bindings(nodes)
    for node in nodes:
        again = getattr(node, "retranslate", None)
        if callable(again):
            again()
        node.refresh()
    app.refresh_bindings()
