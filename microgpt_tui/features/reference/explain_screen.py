"""Provides `ExplainScreen`: what the numbers in each panel mean, in plain words.

A list of the panels on the left, the chosen one's explanation on the right,
with this session's figures in it. The app opens it on the focused panel, or
on the list when no panel is focused.
"""

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from microgpt_tui.language import N_, _
from microgpt_tui.texts import EXPLAIN_CHOOSE, EXPLAIN_HINT


class ExplainScreen(ModalScreen[None]):
    """One panel's explanation at a time; ↑/↓ choose another."""

    APP_ACTIONS = frozenset({"glossary"})  # y looks up the panel's term over this screen
    BINDINGS = [
        Binding("escape,i,q", "dismiss", N_("Close"), tooltip=N_("Close the explanation"), id="explain.close"),
        Binding(
            "y",
            "app.glossary",
            N_("glossary"),
            tooltip=N_("Look the words up in the glossary"),
            id="explain.glossary",
        ),
    ]

    def __init__(
        self,
        explanations: Sequence[tuple[str, str, str]],
        selected: str | None = None,
        remake: Callable[[], Sequence[tuple[str, str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        """explanations: (panel id, name, body as Rich markup) for each panel; selected: a panel id or None;
        `remake`: the explanations again, in the language of the moment (a switch while the screen is open)."""
        super().__init__(**kwargs)
        self.explanations = explanations
        self.remake = remake
        self.panel_ids = [pid for pid, *_rest in explanations]
        self.chooser = selected not in self.panel_ids  # opened with no panel focused
        self.shown = self.panel_ids[0] if self.chooser or selected is None else selected  # (None: the chooser)
        """The panel whose explanation is shown."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="explain-body") as body:
            body.border_subtitle = _(EXPLAIN_HINT)
            yield OptionList(*(Option(name, id=pid) for pid, name, _body in self.explanations), id="explain-panels")
            with VerticalScroll(id="explain-scroll"):
                yield Static(id="explain-text")

    def on_mount(self) -> None:
        panels = self.query_one("#explain-panels", OptionList)
        panels.highlighted = self.panel_ids.index(self.shown)
        self.show(self.shown)
        panels.focus()

    def retranslate(self) -> None:
        """The language changed (switching.py): the names, the hint and the explanation again, in it."""
        if self.remake is None:
            return
        self.explanations = self.remake()
        panels = self.query_one("#explain-panels", OptionList)
        for index, (_pid, name, _body) in enumerate(self.explanations):
            panels.replace_option_prompt_at_index(index, name)
        self.query_one("#explain-body").border_subtitle = _(EXPLAIN_HINT)
        self.show(self.shown)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:  # (every panel's option has its id)
            self.show(event.option.id)

    def show(self, panel_id: str) -> None:
        """Show `panel_id`'s explanation."""
        self.shown = panel_id
        name, body = self.explanations[self.panel_ids.index(panel_id)][1:]
        text = Text.from_markup(body)
        if self.chooser:
            text = Text.assemble(Text(_(EXPLAIN_CHOOSE) + "\n\n", style="italic dim"), text)
        self.query_one("#explain-body").border_title = _("what it means: {name}").format(name=name)
        self.query_one("#explain-text", Static).update(text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
