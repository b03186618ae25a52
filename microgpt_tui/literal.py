"""Provides `literal`: a string that carries the data (a name, a file name, a message quoting either)
shown on a widget as it is, never read as markup.

Textual reads a plain `str` given to a title, a `Static`, a `Select` option
or a `DataTable` cell as console markup: a document `x[/]y` raised
`MarkupError` (a crash), `[b]…` turned bold, and `[@click=app.quit]…` would
run an action when clicked. So every string that can hold the data reaches a
widget as `Content` (Textual) or `Text` (Rich), which nothing parses.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.markup import escape

from microgpt_tui.core.labels import visible_text


def literal(text: str) -> Content:
    """`text` for a Textual widget (a title, a Static, an option), shown as it is."""
    return Content(text)


def literal_text(text: str, style: str = "") -> Text:
    """`text` for a Rich renderable (a table cell, a column header), shown as it is."""
    return Text(text, style=style)


def in_markup(text: object) -> str:
    """`text` (a name, a path) placed inside a string of console markup: escaped for the markup, and every
    character that does not print shown as its picture (a dialog's question is markup, its names are not)."""
    return escape(visible_text(str(text)))
