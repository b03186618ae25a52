"""Provides `CompareScreen`: the same document through the model at the start, at a viewed step and now.

One column per step: the document's loss, the attention heatmap of the chosen
head, and the next-token distribution at the selected position, drawn with the
same renderables as the main panels. The columns share position and head, so
the eye can move across them and see what training changed.
"""

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from microgpt_engine.records import EvalRecord
from microgpt_tui.core.said import spoken
from microgpt_tui.features.time_travel.compare_column import CompareColumn
from microgpt_tui.language import _
from microgpt_tui.literal import literal


class CompareScreen(ModalScreen[int | None]):
    """Dismisses with the selected position (so the main screen follows it)."""

    BINDINGS = [
        Binding("escape,c,q", "close", "Close", tooltip="Back to the main screen", id="compare.close"),
        Binding("left", "move(-1)", "position ←", tooltip="The previous position", id="compare.left"),
        Binding("right", "move(1)", "position →", tooltip="The next position", id="compare.right"),
        Binding("h", "head(-1)", "head ←", tooltip="The previous head", id="compare.head_prev"),
        Binding("l,tab", "head(1)", "head →", tooltip="The next head", id="compare.head_next"),
    ]

    def __init__(
        self,
        doc: str,
        columns: Sequence[tuple[str, EvalRecord]],
        vocab_labels: Sequence[str],
        layer: int,
        head: int,
        n_head: int,
        position: int,
        tag: str = "",
        **kwargs: Any,
    ) -> None:
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
            title = _("compare · “{doc}”").format(doc=self.doc)
            body.border_title = literal(f"{title} · {spoken(self.tag)}" if self.tag else title)
            body.border_subtitle = _("← → position · h l head · esc close")
            yield Static(id="compare-caption")
            with Horizontal(id="compare-columns"):
                for i, (title, record) in enumerate(self.columns):
                    yield CompareColumn(title, record, self.vocab_labels, id=f"compare-{i}", classes="compare-column")

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        self.query_one("#compare-caption", Static).update(
            Text.assemble(
                (_("the same document through the model at each step") + " · ", "dim"),
                (
                    _("layer {layer} · head {head} of {n_head} · pos {pos}").format(
                        layer=self.layer_index, head=self.head, n_head=self.n_head, pos=self.position
                    ),
                    "bold",
                ),
            )
        )
        for widget in self.query(CompareColumn):  # (each draws at its own height, once laid out)
            widget.show(self.layer_index, self.head, self.position)

    def action_move(self, delta: int) -> None:
        self.position = min(max(self.position + delta, 0), self.length - 1)
        self.redraw()

    def action_head(self, delta: int) -> None:
        self.head = (self.head + delta) % self.n_head
        self.redraw()

    def action_close(self) -> None:
        self.dismiss(self.position)
