"""Provides `CodeScreen`: the engine's own source behind the numbers, with the panel's lines lit.

The sections (forward pass, loss, backward, Adam, sampling) on the left; the
chosen one's source on the right, read from the installed engine, with the
lines behind the panel that was focused marked and their live values under
them. It opens scrolled to the first marked line.

Opened from the forward view (`follow_stage`), ↑ ↓ move that view's stage
instead, and the lit lines follow it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from microgpt_tui.features.reference.code import SECTION_NAMES, CodeView
from microgpt_tui.features.reference.code_listing import code_listing
from microgpt_tui.language import N_, _

HINT = N_("↑ ↓ choose a section · click a panel, then k, to light its lines · esc close")
FOLLOW_HINT = N_("↑ ↓ the forward view's stage: its lines light up · esc back to the forward view")


def section_name(key: str) -> str:
    """A section's name in the list: its translation without the English a translation adds beside (损失 loss:
    损失), so it fits the narrow list; the key itself in English."""
    shown = _(SECTION_NAMES.get(key, key))
    return "".join(re.findall(r"[^\x00-\x7f]+", shown)) or shown


class CodeScreen(ModalScreen[None]):
    """One section of the engine's source at a time."""

    BINDINGS = [
        Binding("escape,k,q", "dismiss", N_("Close"), tooltip=N_("Close the code view"), id="code.close"),
        # (priority: over the scroll's own arrows; the list of sections follows them)
        Binding(
            "up",
            "move(-1)",
            "↑",
            show=False,
            priority=True,
            tooltip=N_("The section, or the stage, above"),
            id="code.up",
        ),
        Binding(
            "down",
            "move(1)",
            "↓",
            show=False,
            priority=True,
            tooltip=N_("The section, or the stage, below"),
            id="code.down",
        ),
    ]

    def __init__(
        self, view: CodeView, follow_stage: bool = False, remake: Callable[[], CodeView] | None = None, **kwargs: Any
    ) -> None:
        """`remake`: the view again, in the language of the moment (a switch while the screen is open)."""
        super().__init__(**kwargs)
        self.view = view
        self.remake = remake
        self.follow_stage = follow_stage
        self.keys = [listing.key for listing in view.listings]
        self.shown = view.selected
        """The key of the section shown."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="code-body") as body:
            body.border_subtitle = _(FOLLOW_HINT if self.follow_stage else HINT)
            yield OptionList(
                *(Option(section_name(listing.key), id=listing.key) for listing in self.view.listings),
                id="code-sections",
            )
            with VerticalScroll(id="code-scroll"):
                yield Static(id="code-text")

    def on_mount(self) -> None:
        sections = self.query_one("#code-sections", OptionList)
        sections.highlighted = self.keys.index(self.shown)
        self.show(self.shown)
        sections.focus()

    async def action_move(self, delta: int) -> None:
        """The next or previous section; from the forward view, its next or previous stage, with its lines lit."""
        sections = self.query_one("#code-sections", OptionList)
        if not self.follow_stage:
            sections.highlighted = min(max((sections.highlighted or 0) + delta, 0), len(self.keys) - 1)
            return
        await self.app.run_action(f"app.forward_stage({delta})")  # (the app hands the lit lines over: follow)

    def follow(self, view: CodeView) -> None:
        """The forward view's stage moved: its lines, lit."""
        if not self.follow_stage or view == self.view:
            return
        self.view = view
        if self.is_mounted:
            self.query_one("#code-sections", OptionList).highlighted = self.keys.index(view.selected)
            self.show(view.selected)

    def retranslate(self) -> None:
        """The language changed (switching.py): the section's title, notes, values and hint again, in it."""
        if self.remake is None:
            return
        self.view = self.remake()
        sections = self.query_one("#code-sections", OptionList)
        for index, key in enumerate(self.keys):
            sections.replace_option_prompt_at_index(index, section_name(key))
        self.query_one("#code-body").border_subtitle = _(FOLLOW_HINT if self.follow_stage else HINT)
        self.show(self.shown)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and event.option.id != self.shown:
            self.show(event.option.id)

    def show(self, key: str) -> None:
        """Show section `key`, scrolled to its first marked line."""
        self.shown = key
        listing = self.view.listings[self.keys.index(key)]
        text, first = code_listing(listing)
        self.query_one("#code-body").border_title = _("the code: {title}").format(title=listing.title)
        self.query_one("#code-text", Static).update(text)
        scroll = self.query_one("#code-scroll", VerticalScroll)
        self.call_after_refresh(scroll.scroll_to, y=max(0, (first or 0) - 4), animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
