"""Provides `GlossaryScreen`: look up any word the screens use.

A search box over the list of terms on the left; the highlighted term on the
right: its two or three sentences, microgpt's line for it, and this session's
figure. Typing filters the list (a name, an alias or a word of the text); ↑ ↓
move through it without leaving the box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol, runtime_checkable

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from microgpt_tui.features.reference.glossary import search
from microgpt_tui.features.reference.glossary_entries import GlossaryEntry
from microgpt_tui.language import N_, _

HINT = N_("type to search · ↑ ↓ choose · esc close")
PLACEHOLDER = N_("search: a word from any screen (softmax, head, Adam …)")


def entry_renderable(entry: GlossaryEntry) -> Group:
    """One entry: the sentences, microgpt's line (or the app's own formula, labelled so), and this session's figure."""
    parts: list = [Text(entry.listed, style="bold"), Text(""), Text.from_markup(entry.body), Text("")]
    where = _("the app computes (not a line of microgpt):") if entry.ours else _("in microgpt:")
    parts += [Text(where, style="dim"), Syntax(entry.code, "python", theme="ansi_dark", word_wrap=True)]
    if entry.live:
        parts += [Text(""), Text.assemble((_("this session:") + " ", "dim"), (entry.live, "bold #ffaf5f"))]
    return Group(*parts)


class GlossaryScreen(ModalScreen[None]):
    """The glossary: a search box, the matching terms, the chosen one's entry."""

    BINDINGS = [
        Binding("escape", "dismiss", N_("Close"), tooltip=N_("Close the glossary"), id="glossary.close"),
        Binding(
            "down",
            "cursor(1)",
            N_("next term"),
            show=False,
            tooltip=N_("Show the next matching term"),
            id="glossary.down",
        ),
        Binding(
            "up",
            "cursor(-1)",
            N_("previous term"),
            show=False,
            tooltip=N_("Show the previous matching term"),
            id="glossary.up",
        ),
    ]

    def __init__(
        self,
        entries: Sequence[GlossaryEntry],
        selected: str | None = None,
        remake: Callable[[], Sequence[GlossaryEntry]] | None = None,
        **kwargs: Any,
    ) -> None:
        """entries: every term; selected: the name of the term shown first (None: the first); `remake`: every
        term again, in the language of the moment (a switch while the screen is open)."""
        super().__init__(**kwargs)
        self.entries = list(entries)
        self.remake = remake
        self.shown_entries = list(entries)
        """The entries the search matches, as listed."""
        names = [e.name for e in self.entries]
        self.selected = selected if selected in names else names[0]
        """The name of the term shown."""

    def compose(self) -> ComposeResult:
        with Vertical(id="glossary-body") as body:
            body.border_title = _("glossary")
            body.border_subtitle = _(HINT)
            yield Input(placeholder=_(PLACEHOLDER), id="glossary-search")
            with Horizontal(id="glossary-columns"):
                yield OptionList(id="glossary-terms")
                with VerticalScroll(id="glossary-scroll"):
                    yield Static(id="glossary-text")

    def on_mount(self) -> None:
        self._list(self.entries)
        self.query_one("#glossary-search", Input).focus()

    def _list(self, entries: list[GlossaryEntry]) -> None:
        self.shown_entries = entries
        terms = self.query_one("#glossary-terms", OptionList)
        terms.clear_options()
        terms.add_options([Option(e.listed, id=e.name) for e in entries])
        names = [e.name for e in entries]
        if entries:
            terms.highlighted = names.index(self.selected) if self.selected in names else 0
            self.show(entries[terms.highlighted].name)
        else:
            self.query_one("#glossary-text", Static).update(Text(_("no term matches: try another word"), style="dim"))

    def retranslate(self) -> None:
        """The language changed (switching.py): the words, the terms and the shown entry again, in it."""
        if self.remake is None:
            return
        self.entries = list(self.remake())
        body = self.query_one("#glossary-body")
        body.border_title, body.border_subtitle = _("glossary"), _(HINT)
        field = self.query_one("#glossary-search", Input)
        field.placeholder = _(PLACEHOLDER)
        self._list(search(self.entries, field.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        found = search(self.entries, event.value)
        if found and event.value.strip():
            self.selected = found[0].name  # the best match
        self._list(found)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show(event.option.id)

    def action_cursor(self, delta: int) -> None:
        terms = self.query_one("#glossary-terms", OptionList)
        if terms.option_count:
            terms.highlighted = ((terms.highlighted or 0) + delta) % terms.option_count

    def show(self, name: str) -> None:
        """Show the entry of the term `name`."""
        self.selected = name
        entry = next(e for e in self.entries if e.name == name)
        self.query_one("#glossary-text", Static).update(entry_renderable(entry))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


@runtime_checkable
class GlossarySource(Protocol):
    """An app whose glossary the palette searches (the entries with this session's figures)."""

    def glossary_entries(self) -> tuple[GlossaryEntry, ...]: ...


class GlossaryCommands(Provider):
    """The command palette searches the glossary: "glossary: softmax" opens it at that term.

    Its hits rank at half their match, so a view's own command ("embedding map") comes before
    the glossary's entry for the same word.
    """

    async def startup(self) -> None:
        source = self.app
        assert isinstance(source, GlossarySource)
        self.entries = source.glossary_entries()

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries:
            command = _("glossary: {term}").format(term=entry.listed)
            score = matcher.match(command)
            if score > 0:
                yield Hit(
                    score / 2,
                    matcher.highlight(command),
                    partial(self.app.run_action, f"glossary({entry.name!r})"),
                    help=first_sentence(Text.from_markup(entry.body).plain),
                )


def first_sentence(text: str) -> str:
    """The first sentence of an entry's text, English or Chinese."""
    english, chinese = text.split(". ")[0], text.split("。")[0]
    return chinese + "。" if len(chinese) < len(english) else english + "."
