"""Provides `probe_table`: the probe's text as the model read it, one prediction per row.

The tokens with their ids (◆ at both ends), then per position the token read,
the token that came next, its probability with a bar and -log p, then the
loss against the uniform and bigram lines, and the notes on what was left out.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

from microgpt_tui.core.labels import visible
from microgpt_tui.features.probe.reading import PROBE_TAG, ProbeView
from microgpt_tui.language import N_, _
from microgpt_tui.renderables.prob_bars import bar
from microgpt_tui.styled_text import styled

BAR_WIDTH = 20
# Where the loss sits against the uniform line, and against the bigram line too when there is one:
# (below the uniform line?, below the bigram line?) -> the sentence.
COMPARED = {
    (True, None): N_("below the uniform line ({uniform:.2f})"),
    (False, None): N_("above the uniform line ({uniform:.2f})"),
    (True, True): N_("below the uniform line ({uniform:.2f}), below the bigram line ({bigram:.2f})"),
    (True, False): N_("below the uniform line ({uniform:.2f}), above the bigram line ({bigram:.2f})"),
    (False, True): N_("above the uniform line ({uniform:.2f}), below the bigram line ({bigram:.2f})"),
    (False, False): N_("above the uniform line ({uniform:.2f}), above the bigram line ({bigram:.2f})"),
}


def compared(loss: float, uniform: float, bigram: float | None) -> str:
    """Where the loss sits against the two lines, in words."""
    template = COMPARED[(loss < uniform, None if bigram is None else loss < bigram)]
    return _(template).format(uniform=uniform, bigram=bigram)


def probe_table(view: ProbeView) -> Group:
    reads = _("reads")
    width = max(cell_len(reads), cell_len("ids")) + 2  # (the two labels' column, by cells: 字 is two)
    tokens = Text.assemble(
        (reads + " " * (width - cell_len(reads)), "dim"), *((f"{visible(label)} ", "bold") for label in view.labels)
    )
    ids = Text.assemble(("ids" + " " * (width - 3), "dim"), " ".join(str(i) for i in view.ids))
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold", show_edge=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        (_("pos"), "right"),
        (reads, "center"),
        (_("next"), "center"),
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
    loss = styled(
        _("{loss}{value} = the mean of the {count} −log p: {compared}"),
        "dim",
        loss=(_("loss") + " ", "bold"),  # (its space bold, as the English has always drawn it)
        value=(f"{view.loss:.3f}", "bold #ffaf5f"),
        count=len(view.rows),
        compared=(compared(view.loss, view.uniform, view.bigram), ""),
    )
    parts: list = [tokens, ids, Text(""), table, Text(""), loss]
    if view.tag and view.tag != PROBE_TAG:
        parts.append(Text(_("seen through the lens: {tag}").format(tag=view.tag), style="bold #d7af5f"))
    parts += [Text(note, style="italic #ff875f") for note in view.notes]
    return Group(*parts)
