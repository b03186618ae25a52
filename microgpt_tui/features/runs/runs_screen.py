"""Provides `RunsScreen`: every run of the session in a table; compare two, rename, remove, save, load.

The screen decides nothing: each key posts a message the app hands to the
lab, and the app sets the new `view` (a `RunsView`) back on the screen.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from microgpt_tui.core.labels import number_or_dash
from microgpt_tui.core.views import RunRow, RunsView
from microgpt_tui.features.runs.origins import origin_words
from microgpt_tui.language import N_, _, ngettext
from microgpt_tui.literal import literal_text

COLUMNS = (
    "#",
    N_("name"),
    N_("differs from run 0"),
    N_("steps"),
    "mean(100)",
    N_("held-out"),
    N_("bigram"),
    N_("uniform"),
    N_("samples"),
)
HELD_OUT_NOTE = N_(
    "held-out: the mean loss on the names of a fixed set of this data (the same for every run) that the run's "
    "steps never trained on; mean(100) is on names it trained on. … measuring; - none (a count table, a training run)"
)
HINT = N_(
    "[b]space[/b] mark · [b]c[/b] compare with the marked run (or the live one) · [b]n[/b] rename · "
    "[b]delete[/b] remove · [b]s[/b] save · [b]l[/b] load · [b]esc[/b] back"
)


def row_cells(row: RunRow, marked: bool) -> tuple[Text, ...]:
    name = ("▶ " if row.live else "  ") + row.name + (" ◆" if marked else "")
    differs = row.differs or (_("(the first run)") if row.number == 0 else _("same settings"))
    cells = (
        str(row.number),
        name,
        _("{differs}; {origin}").format(differs=differs, origin=origin_words(row.origin)) if row.origin else differs,
        f"{row.steps:,}/{row.total:,}",
        number_or_dash(row.mean_last, ".3f"),
        held_out_cell(row),
        number_or_dash(row.bigram, ".3f"),
        f"{row.uniform:.3f}",
        ", ".join(row.samples) or "-",
    )
    return tuple(map(literal_text, cells))  # (names and samples are the data's or the learner's: no markup)


def held_out_cell(row: RunRow) -> str:
    """The run's held-out loss; … while it is measured, - when it has no weights to measure (a count table) or
    no held-out name it did not train on."""
    if row.held_out is None:
        return "…" if row.measurable else "-"
    return number_or_dash(row.held_out.losses[0], ".3f")


class RunsScreen(ModalScreen[None]):
    """The runs table; ▶ is the live run, ◆ the one marked for comparing."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), tooltip=N_("Back to the live run"), id="runs.close"),
        Binding("space", "mark", N_("Mark"), tooltip=N_("Mark this run to compare another with it"), id="runs.mark"),
        Binding("c", "compare", N_("Compare"), tooltip=N_("Compare this run with the marked one"), id="runs.compare"),
        Binding("n", "ask('rename')", N_("Rename"), tooltip=N_("Give this run a name"), id="runs.rename"),
        Binding("delete,x", "remove", N_("Remove"), tooltip=N_("Remove this run from the list"), id="runs.remove"),
        Binding(
            "s",
            "ask('save')",
            N_("Save"),
            tooltip=N_("Save this run with its checkpoint and loss curve"),
            id="runs.save",
        ),
        Binding(
            "l",
            "ask('load')",
            N_("Load"),
            tooltip=N_("Load a saved run back, with its whole loss curve"),
            id="runs.load",
        ),
    ]

    view: var[RunsView | None] = var(None)
    """The rows to show; the app replaces it after each change."""

    class Rename(Message):
        def __init__(self, number: int, name: str):
            super().__init__()
            self.number, self.name = number, name

    class Remove(Message):
        def __init__(self, number: int):
            super().__init__()
            self.number = number

    class Compare(Message):
        def __init__(self, a: int, b: int):
            super().__init__()
            self.a, self.b = a, b

    class Save(Message):
        def __init__(self, number: int, path: str):
            super().__init__()
            self.number, self.path = number, path

    class Load(Message):
        def __init__(self, path: str):
            super().__init__()
            self.path = path

    def __init__(self, view: RunsView, save_stem: str = "microgpt-run", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.save_stem = save_stem
        self.marked: int | None = None
        self.asking: str | None = None  # "rename", "save" or "load" while the input is open
        self._columns_added = False
        self.set_reactive(RunsScreen.view, view)

    def compose(self) -> ComposeResult:
        with Vertical(id="runs-body") as body:
            body.border_title = _("runs of this session")
            yield DataTable(id="runs-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="runs-memory")
            yield Static(_(HELD_OUT_NOTE), id="runs-held-out-note")
            yield Input("", id="runs-input", compact=True)
            yield Static(_(HINT), id="runs-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*map(_, COLUMNS))
        self._columns_added = True
        self.query_one("#runs-input").display = False
        self.watch_view(self.view)
        if self.view is not None:  # the live run first
            live = [i for i, row in enumerate(self.view.rows) if row.live]
            table.move_cursor(row=live[0] if live else 0)
        table.focus()

    def watch_view(self, view: RunsView | None) -> None:
        if view is None or not self._columns_added:
            return
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for row in view.rows:
            table.add_row(*row_cells(row, row.number == self.marked), key=str(row.number))
        if view.rows:
            table.move_cursor(row=min(at, len(view.rows) - 1))
        self.query_one("#runs-memory", Static).update(
            ngettext(
                "{count} run kept, {mb} MB in memory", "{count} runs kept, {mb} MB in memory", len(view.rows)
            ).format(count=len(view.rows), mb=f"{view.nbytes / 1024**2:.1f}")
        )

    def retranslate(self) -> None:
        """The language changed while the screen is open: its title, columns, notes and hint again."""
        self.query_one("#runs-body").border_title = _("runs of this session")
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*map(_, COLUMNS))
        self.query_one("#runs-held-out-note", Static).update(_(HELD_OUT_NOTE))
        self.query_one("#runs-hint", Static).update(_(HINT))
        self.watch_view(self.view)

    def highlighted(self) -> int | None:
        view = self.view
        if view is None or not view.rows:
            return None
        return view.rows[min(self.query_one(DataTable).cursor_row, len(view.rows) - 1)].number

    def action_close(self) -> None:
        if self.asking is not None:
            self._close_input()
        else:
            self.dismiss(None)

    def action_mark(self) -> None:
        number = self.highlighted()
        self.marked = None if number == self.marked else number
        self.watch_view(self.view)

    def action_compare(self) -> None:
        number, view = self.highlighted(), self.view
        if number is None or view is None:
            return
        live = next((row.number for row in view.rows if row.live), view.rows[0].number)
        other = self.marked if self.marked is not None and self.marked != number else live
        if other == number:
            other = view.rows[0].number
        if other == number:
            self.notify(_("mark a run with space, then press c on another"), timeout=4)
            return
        self.post_message(self.Compare(other, number))

    def action_remove(self) -> None:
        number = self.highlighted()
        if number is not None:
            self.post_message(self.Remove(number))

    def action_ask(self, what: str) -> None:
        number = self.highlighted()
        field = self.query_one("#runs-input", Input)
        field.display, self.asking = True, what
        if what == "rename":
            row = next(r for r in self.view.rows if r.number == number) if self.view else None
            field.value, field.placeholder = (row.name if row else ""), _("the run's new name, then enter")
        elif what == "save":
            field.value, field.placeholder = f"{self.save_stem}-{number}.json", _("save to this file, then enter")
        else:
            field.value, field.placeholder = (
                f"{self.save_stem}-0.json",
                _("load the run saved in this file, then enter"),
            )
        field.focus()

    @on(Input.Submitted, "#runs-input")
    def answered(self, event: Input.Submitted) -> None:
        what, number, text = self.asking, self.highlighted(), event.value.strip()
        self._close_input()
        if what == "load":
            self.post_message(self.Load(text))
        elif number is not None and what == "rename":
            self.post_message(self.Rename(number, text))
        elif number is not None and what == "save":
            self.post_message(self.Save(number, text))

    def _close_input(self) -> None:
        self.asking = None
        self.query_one("#runs-input").display = False
        self.query_one(DataTable).focus()
