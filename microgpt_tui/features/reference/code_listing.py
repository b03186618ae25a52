"""Provides `code_listing`: one section of the textbook file, numbered, with the marked lines lit (✓: taught).

Each marked line gets a highlighted background and, under it, the live values
of its variables (arrowed, in the warm colour the other panels use for a
figure of this session). Returns the text and the row of the first marked
line, so the screen can scroll to it.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text

from microgpt_tui.features.reference.code import CodeListing

MARKED = "on #2a2a4a"
VALUE = "bold #ffaf5f"


def code_listing(listing: CodeListing) -> tuple[Text, int | None]:
    """The listing as one Text, and the row of its first marked line (None: nothing marked)."""
    source = "\n".join(line.text for line in listing.lines)
    highlighted = Syntax(source, "python", theme="monokai").highlight(source).split("\n", allow_blank=True)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(listing.note + "\n\n", style="italic dim")
    row, first = 2, None
    for line, code in zip(listing.lines, highlighted):
        number = f"{line.number:4d}" if line.number else "    "
        code.rstrip()
        if line.highlight:
            first = row if first is None else first
            out.append(f"{number} ▶ ", style="bold #ffaf5f")
            code.stylize(MARKED)
        elif line.taught:  # (a finished lesson taught it)
            out.append(f"{number} ✓ ", style="#5fd75f")
        else:
            out.append(f"{number} │ ", style="dim")
        if not line.number and line.text.startswith("# "):
            code = Text(line.text, style="bold #87afd7")
        out.append_text(code)
        out.append("\n")
        row += 1
        for value in line.values:
            out.append("       ⇒ ", style=VALUE).append(value, style=VALUE).append("\n")
            row += 1
    return out, first
