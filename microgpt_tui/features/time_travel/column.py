"""Provides `column`: one step's view of a document for the compare screen (loss, attention, next token)."""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from microgpt_engine.ops import neg_log
from microgpt_engine.records import EvalRecord
from microgpt_tui.language import _
from microgpt_tui.renderables.heatmap import AttentionHeatmap, visible
from microgpt_tui.renderables.prob_bars import ProbabilityBars

HEATMAP_ROWS = 17  # the heatmap's header and up to 16 query rows


def column(
    title: str,
    record: EvalRecord,
    vocab_labels: Sequence[str],
    layer: int,
    head: int,
    position: int,
    height: int = 30,
) -> RenderableType:
    """One step's view of the document, as a Rich renderable `height` lines tall at most."""
    n = len(record.positions)
    pos = min(position, n - 1)
    target = record.positions[pos].target
    assert target is not None  # (every position of an evaluated document has its next token)
    p = record.positions[pos].probs[target]
    context = "".join(visible(label) for label in record.labels[: pos + 1])
    heading = Text(no_wrap=True, overflow="ellipsis")
    heading.append(title, style="bold").append(
        "\n" + _("loss {loss} · bars: T 1 (raw)").format(loss=f"{record.loss:.3f}") + "\n", style="dim"
    )
    prediction = Text(no_wrap=True, overflow="ellipsis")
    prediction.append(_("after {context}: ").format(context=context), style="dim").append(
        visible(vocab_labels[target]), style="bold #5fd75f"
    )
    prediction.append(f"  p {p * 100:.1f}%  -log p {neg_log(p):.2f}")
    heatmap: RenderableType
    if record.attention:
        heatmap = AttentionHeatmap(
            record.labels[:n], [record.attention[layer][head]], selected=pos, max_rows=HEATMAP_ROWS
        )
    else:
        heatmap = Text(_("no attention: n_layer 0 (the embeddings go straight into lm_head)"), style="dim")
    bar_rows = max(4, height - 2 - min(n + 1, HEATMAP_ROWS) - 2)  # heading, heatmap, gap and prediction
    bars = ProbabilityBars(vocab_labels, record.positions[pos].probs, marked=target, height=bar_rows)
    return Group(heading, heatmap, Text(""), prediction, bars)
