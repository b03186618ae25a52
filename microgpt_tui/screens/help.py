"""Provides `HelpScreen`: every key of the app, what it does, and whether it applies now."""

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A modal listing of the app's key bindings (greyed: not available right now)."""

    APP_ACTIONS = frozenset({"glossary"})  # y opens the glossary over the key list
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close", tooltip="Close the help screen", id="help.close"),
        Binding("y", "app.glossary", "glossary", tooltip="Look the words up in the glossary", id="help.glossary"),
    ]

    def __init__(self, rows, **kwargs):
        """rows: (keys, description, tooltip, enabled) for each binding."""
        super().__init__(**kwargs)
        self.rows = rows

    def table(self):
        table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold")
        table.add_column("key", style="bold #ffaf5f", no_wrap=True)
        table.add_column("does")
        table.add_column("", style="dim")
        for keys, description, tooltip, enabled in self.rows:
            style = None if enabled else "dim strike"
            table.add_row(Text(keys, style=None if enabled else "dim"), Text(description, style=style), tooltip)
        return table

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "keys"
            body.border_subtitle = "escape or ? to close · y glossary · struck out: not available right now"
            yield Static(self.table(), id="help-table")

    def action_dismiss(self, result=None):
        self.dismiss(result)
