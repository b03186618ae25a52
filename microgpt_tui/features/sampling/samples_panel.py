"""Provides `SamplesPanel`: the names sampled this session, newest first.

Under a name that is not in the training data: ≈ the nearest training name and
how many single-character edits away it is (engine.insight.names computes it).
"""

from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from microgpt_tui.core.views import SamplesView
from microgpt_tui.language import _

KNOWN = "#5fd75f"
FORCED = "bold underline #ffaf5f"  # a letter the learner chose (f), not the model


class SamplesPanel(Widget, can_focus=True):
    """Each sampled name, with ✓ when it is a line of the data (trained on or not)."""

    view: reactive[SamplesView] = reactive(SamplesView)
    """The samples so far, the one being written, and the nearest training names."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.retranslate()

    def retranslate(self) -> None:
        """The titles in the current language (switching.py calls it again after a switch)."""
        self.border_title = _("samples")
        self.border_subtitle = _("{mark} in data").format(mark=f"[{KNOWN}]✓[/]")

    def render(self) -> RenderResult:
        view = self.view
        nearest = {name: (doc, distance) for name, doc, distance in view.nearest}
        forced = dict(view.forced)
        text = Text(no_wrap=True, overflow="ellipsis")
        if view.current is not None:
            text.append("… ", style="dim").append(view.current or "", style="bold").append("▌\n", style="dim")
        above = None
        for (name, known), temperature in zip(view.entries, view.temperatures or [""] * len(view.entries)):
            if temperature and temperature != above:  # names drawn at another temperature: a heading of their own
                text.append(f"{temperature}\n", style="dim italic")
            above = temperature
            text.append("✓ " if known else "  ", style=KNOWN)
            chosen = forced.get(name, ())
            for i, char in enumerate(name):
                text.append(char, style=FORCED if i in chosen else None)  # the learner's letters stand out
            if not name:
                text.append(_("(empty)"), style="dim")
            text.append("\n")
            if not known and name in nearest:
                doc, distance = nearest[name]
                text.append(" ≈ ", style="dim").append(doc, style="italic").append(f" ({distance})\n", style="dim")
        if not view.entries and view.current is None:
            text.append(_("press s to\nsample a\nname"), style="dim")
        text.rstrip()
        return text
