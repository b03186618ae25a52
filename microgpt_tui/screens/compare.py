"""Provides `CompareScreen`: the same document through the model at the start, at a viewed step and now.

One column per step: the document's loss, the attention heatmap of the chosen
head, and the next-token distribution at the selected position, drawn with the
same renderables as the main panels. The columns share position and head, so
the eye can move across them and see what training changed.
"""

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from microgpt_engine.ops import neg_log

from ..renderables.heatmap import AttentionHeatmap, visible
from ..renderables.prob_bars import ProbabilityBars

HEATMAP_ROWS = 17  # the heatmap's header and up to 16 query rows


def column(title, record, vocab_labels, layer, head, position, height=30):
    """One step's view of the document, as a Rich renderable `height` lines tall at most."""
    n = len(record.positions)
    pos = min(position, n - 1)
    target = record.positions[pos].target
    p = record.positions[pos].probs[target]
    context = "".join(visible(label) for label in record.labels[: pos + 1])
    heading = Text(no_wrap=True, overflow="ellipsis")
    heading.append(title, style="bold").append(f"\nloss {record.loss:.3f} · bars: T 1 (raw)\n", style="dim")
    prediction = Text(no_wrap=True, overflow="ellipsis")
    prediction.append(f"after {context}: ", style="dim").append(visible(vocab_labels[target]), style="bold #5fd75f")
    prediction.append(f"  p {p * 100:.1f}%  -log p {neg_log(p):.2f}")
    if record.attention:
        heatmap = AttentionHeatmap(
            record.labels[:n], [record.attention[layer][head]], selected=pos, max_rows=HEATMAP_ROWS
        )
    else:
        heatmap = Text("no attention: n_layer 0 (the embeddings go straight into lm_head)", style="dim")
    bar_rows = max(4, height - 2 - min(n + 1, HEATMAP_ROWS) - 2)  # heading, heatmap, gap and prediction
    bars = ProbabilityBars(vocab_labels, record.positions[pos].probs, marked=target, height=bar_rows)
    return Group(heading, heatmap, Text(""), prediction, bars)


class CompareScreen(ModalScreen[int | None]):
    """Dismisses with the selected position (so the main screen follows it)."""

    BINDINGS = [
        Binding("escape,c,q", "close", "Close", tooltip="Back to the main screen", id="compare.close"),
        Binding("left", "move(-1)", "position ←", tooltip="The previous position", id="compare.left"),
        Binding("right", "move(1)", "position →", tooltip="The next position", id="compare.right"),
        Binding("h", "head(-1)", "head ←", tooltip="The previous head", id="compare.head_prev"),
        Binding("l,tab", "head(1)", "head →", tooltip="The next head", id="compare.head_next"),
    ]

    def __init__(self, doc, columns, vocab_labels, layer, head, n_head, position, tag="", **kwargs):
        """columns: (title, EvalRecord) per step, oldest first."""
        super().__init__(**kwargs)
        self.doc, self.columns = doc, columns
        self.vocab_labels = vocab_labels
        self.layer_index, self.head, self.n_head = layer, head, n_head
        self.length = len(columns[0][1].positions)
        self.position = min(position, self.length - 1)
        self.tag = tag

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-body") as body:
            body.border_title = f"compare · “{self.doc}”" + (f" · {self.tag}" if self.tag else "")
            body.border_subtitle = "← → position · h l head · esc close"
            yield Static(id="compare-caption")
            with Horizontal(id="compare-columns"):
                for i in range(len(self.columns)):
                    yield Static(id=f"compare-{i}", classes="compare-column")

    def on_mount(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.call_after_refresh(self.redraw)  # the columns' height is known once laid out

    def redraw(self):
        self.query_one("#compare-caption", Static).update(
            Text.assemble(
                ("the same document through the model at each step · ", "dim"),
                (
                    f"layer {self.layer_index} · head {self.head} of {self.n_head} · pos {self.position}",
                    "bold",
                ),
            )
        )
        for i, (title, record) in enumerate(self.columns):
            widget = self.query_one(f"#compare-{i}", Static)
            height = widget.content_size.height or 30
            widget.update(column(title, record, self.vocab_labels, self.layer_index, self.head, self.position, height))

    def action_move(self, delta):
        self.position = min(max(self.position + delta, 0), self.length - 1)
        self.redraw()

    def action_head(self, delta):
        self.head = (self.head + delta) % self.n_head
        self.redraw()

    def action_close(self):
        self.dismiss(self.position)
