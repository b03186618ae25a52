"""Provides `ProbeScreen`: a text box for any name, and how the model reads it.

Every keystroke reports the text to the app (`Typed`); the app has the lab
read it (the panels behind show it as a document) and hands back the
`ProbeView` to draw. enter or esc goes back to the panels, which keep the
probe: ← → move along it, , . time travel, z ablates a head.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from microgpt_tui.features.probe.reading import ProbeView
from microgpt_tui.features.probe.table import probe_table
from microgpt_tui.language import N_, _

TITLE = N_("ask the model about any text")
HINT = N_("enter or esc: back to the panels, which show it")
PLACEHOLDER = N_("type a name: yours, say")


class ProbeScreen(ModalScreen[None]):
    """Type a name; see it tokenized, each next character's p and -log p, and its loss."""

    BINDINGS = [
        Binding(
            "escape", "dismiss", N_("Close"), tooltip=N_("Back to the panels (they keep the probe)"), id="probe.close"
        )
    ]

    view: reactive[ProbeView | None] = reactive(None)
    """The typed text as the model read it (pushed by the app)."""

    class Typed(Message):
        """The learner changed the text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, typed: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.typed = typed

    def compose(self) -> ComposeResult:
        with Vertical(id="probe-body") as body:
            body.border_title = _(TITLE)
            body.border_subtitle = _(HINT)
            yield Input(value=self.typed, placeholder=_(PLACEHOLDER), id="probe-input")
            with VerticalScroll(id="probe-scroll"):
                yield Static(id="probe-table")

    def on_mount(self) -> None:
        self.watch_view(self.view)
        self.query_one("#probe-input", Input).focus()
        self.post_message(self.Typed(self.typed))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Typed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(None)

    def watch_view(self, view: ProbeView | None) -> None:
        tables = self.query("#probe-table").results(Static)
        table = next(tables, None)
        if table is None:
            return  # (handed over before the screen was composed: on_mount draws it)
        table.update(probe_table(view) if view is not None else Text(_("type a name"), style="dim"))

    def retranslate(self) -> None:
        """The box's words in the language now chosen (the table is drawn again)."""
        body = self.query_one("#probe-body")
        body.border_title, body.border_subtitle = _(TITLE), _(HINT)
        self.query_one("#probe-input", Input).placeholder = _(PLACEHOLDER)
        self.watch_view(self.view)
        self.post_message(self.Typed(self.query_one("#probe-input", Input).value))  # (its notes, read again)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
