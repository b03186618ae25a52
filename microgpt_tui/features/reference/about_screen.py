"""Provides `AboutScreen`: microgpt beside production LLMs, with this session's own figures."""

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from microgpt_tui.language import N_

# (title, header, rows, footer, hint) as AboutScreen takes them
AboutContents = tuple[str, Sequence[str], Sequence[tuple[str, ...]], str, str]


class AboutScreen(ModalScreen[None]):
    """A three-column table: what, microgpt in this session, production LLMs."""

    BINDINGS = [
        Binding("escape,b,q", "dismiss", N_("Close"), tooltip=N_("Close the comparison"), id="about.close"),
    ]

    def __init__(
        self,
        title: str,
        header: Sequence[str],
        rows: Sequence[tuple[str, ...]],
        footer: str,
        hint: str,
        remake: Callable[[], AboutContents] | None = None,
        **kwargs: Any,
    ) -> None:
        """rows: (aspect, microgpt, production) as Rich markup, the figures already filled in; `remake`: all
        of it again, in the language of the moment (a switch while the screen is open)."""
        super().__init__(**kwargs)
        self.title_text, self.header, self.rows, self.footer, self.hint = title, header, rows, footer, hint
        self.remake = remake

    def retranslate(self) -> None:
        """The language changed (switching.py): the contents again, in it."""
        if self.remake is not None:
            self.title_text, self.header, self.rows, self.footer, self.hint = self.remake()
            self.refresh(recompose=True)

    def table(self) -> Group:
        table = Table(box=None, padding=(0, 2, 1, 0), show_header=True, header_style="bold", expand=True)
        table.add_column(self.header[0], style="bold #ffaf5f", no_wrap=True)
        table.add_column(self.header[1], ratio=1, overflow="fold")  # (fold: Chinese has no space to wrap at)
        table.add_column(self.header[2], ratio=1, style="dim", overflow="fold")
        for aspect, mine, theirs in self.rows:
            table.add_row(Text.from_markup(aspect), Text.from_markup(mine), Text.from_markup(theirs))
        return Group(table, Text.from_markup(self.footer, style="italic"))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="about-body") as body:
            body.border_title = self.title_text
            body.border_subtitle = self.hint
            yield Static(self.table(), id="about-table")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
