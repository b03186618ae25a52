"""Provides `probe_table`: the probe's text as the model read it, one prediction per row.

The tokens with their ids (◆ at both ends), then per position the token read,
the token that came next, its probability with a bar and -log p, then the
loss against the uniform and bigram lines, and the notes on what was left out.
"""

from __future__ import annotations

from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

from microgpt_tui.core.labels import visible
from microgpt_tui.features.probe.reading import ProbeView
from microgpt_tui.renderables.prob_bars import bar

BAR_WIDTH = 20


def compared(loss: float, uniform: float, bigram: float | None) -> str:
    """Where the loss sits against the two lines, in words."""
    words = "below" if loss < uniform else "above"
    line = f"{words} the uniform line ({uniform:.2f})"
    if bigram is not None:
        line += f", {'below' if loss < bigram else 'above'} the bigram line ({bigram:.2f})"
    return line


def probe_table(view: ProbeView) -> Group:
    tokens = Text.assemble(("reads  ", "dim"), *((f"{visible(label)} ", "bold") for label in view.labels))
    ids = Text.assemble(("ids    ", "dim"), " ".join(str(i) for i in view.ids))
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold", show_edge=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("pos", "right"),
        ("reads", "center"),
        ("next", "center"),
        ("p", "right"),
        ("", "left"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=True)
    table.add_column("-log p", justify="right", no_wrap=True)
    for row in view.rows:
        table.add_row(
            str(row.pos),
            visible(row.input),
            Text(visible(row.next), style="bold #5fd75f"),
            f"{row.p * 100:.1f}%",
            Text(bar(row.p, BAR_WIDTH), style="#5fafff"),
            f"{row.nll:.3f}",
        )
    loss = Text.assemble(
        ("loss ", "bold"),
        (f"{view.loss:.3f}", "bold #ffaf5f"),
        (f" = the mean of the {len(view.rows)} −log p: ", "dim"),
        compared(view.loss, view.uniform, view.bigram),
    )
    parts: list = [tokens, ids, Text(""), table, Text(""), loss]
    if view.tag and view.tag != "probe":
        parts.append(Text(f"seen through the lens: {view.tag}", style="bold #d7af5f"))
    parts += [Text(note, style="italic #ff875f") for note in view.notes]
    return Group(*parts)
