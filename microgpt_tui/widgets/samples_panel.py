"""Provides `SamplesPanel`: the names sampled this session, newest first.

Under a name that is not in the training data: ≈ the nearest training name and
how many single-character edits away it is (engine.names computes it).
"""

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

KNOWN = "#5fd75f"


class SamplesPanel(Widget, can_focus=True):
    """Each sampled name, with ✓ when it is in the training data (memorised or common)."""

    entries: reactive[tuple] = reactive(())
    """(name, in_training_data) pairs, newest first."""
    current: reactive[str | None] = reactive(None)
    """The sample being generated, or None."""
    nearest: reactive[dict] = reactive(dict)
    """Sampled name not in the data -> (nearest training name, edit distance)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.border_title = "samples"
        self.border_subtitle = f"[{KNOWN}]✓[/] in data"

    def render(self):
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.current is not None:
            text.append("… ", style="dim").append(self.current or "", style="bold").append("▌\n", style="dim")
        for name, known in self.entries:
            text.append("✓ " if known else "  ", style=KNOWN)
            text.append(name or "(empty)", style=None if name else "dim")
            text.append("\n")
            if not known and name in self.nearest:
                doc, distance = self.nearest[name]
                text.append(" ≈ ", style="dim").append(doc, style="italic").append(f" ({distance})\n", style="dim")
        if not self.entries and self.current is None:
            text.append("press s to\nsample names", style="dim")
        text.rstrip()
        return text
