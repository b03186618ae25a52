"""Provides `Live`: what a chapter may read of the session, as figures it can quote.

Chapters are plain functions of a `Live`: they read the trainer, the sequence on show, the last step
and the forward view, never write. Every figure a sentence quotes comes from here, so another seed or
dataset gives other sentences. Data (a name, a character) goes in through `q`, escaped for markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from microgpt_engine import GPT, StepRecord, Tokenizer
from microgpt_engine.config import Config
from microgpt_engine.insight.graph import GraphView, StepGraph
from microgpt_engine.insight.value_graph import ValueGraph
from microgpt_engine.ops import Weights
from microgpt_tui.core.labels import clipped, visible, visible_text
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import ForwardView

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Live:
    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules

    # -- the run -------------------------------------------------------------------------------

    @property
    def config(self) -> Config:
        return self.session.trainer.config

    @property
    def tokenizer(self) -> Tokenizer:
        return self.session.trainer.tokenizer

    @property
    def model(self) -> GPT:
        return self.session.trainer.model

    @property
    def steps_done(self) -> int:
        return self.session.trainer.step_count

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.vocab_size

    @property
    def latest(self) -> StepRecord | None:
        """The last training step's record (None before the first)."""
        return self.rules.latest

    @property
    def shown(self) -> SequenceView | None:
        """The document or sample the panels show."""
        return self.rules.shown()

    @property
    def position(self) -> int:
        return self.session.selection.position

    def forward(self) -> ForwardView:
        """The forward view's trace at the selected position (the view the `v` key opens)."""
        return self.rules.forward_view()

    def before_weights(self) -> Weights | None:
        """The weights the last step started from (time travel keeps them), or None when not at hand."""
        before = self.session.time.before
        return before[1] if before is not None and before[0] == self.steps_done else None

    def graph(self) -> StepGraph | None:
        """The last step's autograd graph, as its engine built it (None: no step's graph is kept now)."""
        trainer = self.session.trainer
        if self.rules.training or trainer.last_ops is None or trainer.last_graph_ids is None:
            return None
        return ValueGraph(trainer) if trainer.engine == "plain" else GraphView(trainer)

    def next_doc(self) -> str:
        """The document the next training step uses."""
        return self.session.trainer.document()

    # -- words ------------------------------------------------------------------------------------

    @staticmethod
    def q(text: str) -> str:
        """A piece of data, quoted for the panel: printable, clipped, markup escaped."""
        return escape(visible_text(clipped(text)))

    def label(self, token: int) -> str:
        """A token as the panels label it (◆ for BOS, ␣ for a space), escaped."""
        return escape(visible(self.tokenizer.label(token)))

    def plain(self, token: int) -> str:
        """The same label as plain text (an Ask step's choices are not markup)."""
        return visible(self.tokenizer.label(token))
