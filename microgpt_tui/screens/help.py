"""Provides `HelpScreen`: every key of the app, what it does, and whether it applies now."""

from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from microgpt_tui import language
from microgpt_tui.language import IME_NOTE, N_, _


class DrawnOnce:
    """A Rich table drawn once for each width it is drawn at, then replayed.

    Textual measures a Static's height by drawing its renderable, then draws it again with that height,
    and lays a new screen out twice (without, then with the scrollbar): the key table (~70 rows, three
    columns Rich sizes each time) was drawn five times an open of the help, ~150 ms of a ? on the loaded
    machine. A table ignores the height it is given (Rich draws its cells with none), so the same
    segments are drawn once a width.
    """

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._drawn: dict[tuple, list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (
            options.size,
            options.min_width,
            options.max_width,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.highlight,
            options.markup,
        )
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = list(console.render(self.renderable, options))
        return drawn

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


KEPT_TABLES = 8  # key tables kept drawn: they differ only in what applies now, which few states cover
_tables: dict[tuple, DrawnOnce] = {}


class HelpScreen(ModalScreen[None]):
    """A modal listing of the app's key bindings (greyed: not available right now)."""

    APP_ACTIONS = frozenset({"glossary"})  # y opens the glossary over the key list
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", N_("Close"), tooltip=N_("Close the help screen"), id="help.close"),
        Binding(
            "y", "app.glossary", N_("glossary"), tooltip=N_("Look the words up in the glossary"), id="help.glossary"
        ),
    ]

    def __init__(self, rows: Sequence[tuple[str, str, str, bool]], **kwargs: Any) -> None:
        """rows: (keys, description, tooltip, enabled) for each binding."""
        super().__init__(**kwargs)
        self.rows = rows

    def table(self) -> Table:
        table = Table(box=None, padding=(0, 2, 0, 0), show_header=True, header_style="bold")
        table.add_column(_("key"), style="bold #ffaf5f", no_wrap=True)
        table.add_column(_("does"), overflow="fold")  # (fold: a Chinese sentence has no space to wrap at)
        table.add_column("", style="dim", overflow="fold")
        for keys, description, tooltip, enabled in self.rows:
            style = "" if enabled else "dim strike"
            table.add_row(Text(keys, style="" if enabled else "dim"), Text(description, style=style), tooltip)
        return table

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = _("keys")
            body.border_subtitle = _("escape or ? to close · y glossary · struck out: not available right now")
            if language.current() == "zh":  # (an input method on takes the letter keys for itself)
                yield Static(_(IME_NOTE), id="help-ime")
            yield Static(self.drawn_table(), id="help-table")

    def drawn_table(self) -> DrawnOnce:
        """The table, drawn already if an earlier open showed the same rows."""
        key = tuple(self.rows)
        drawn = _tables.get(key)
        if drawn is None:
            if len(_tables) >= KEPT_TABLES:
                _tables.clear()
            drawn = _tables[key] = DrawnOnce(self.table())
        return drawn

    def retranslate(self) -> None:
        """The language changed: the rows again, in it (switching.py)."""
        self.rows = self.app.help_rows()  # type: ignore[attr-defined]
        self.refresh(recompose=True)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
