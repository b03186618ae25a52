"""Provides what the graph view opens: the last step's autograd graph, and why there is none.

Plain functions over the trainer; the graph feature decides when they may run
(never on the trainer while the worker trains).
"""

from __future__ import annotations

from microgpt_engine import Trainer
from microgpt_engine.insight.graph import GraphView, StepGraph
from microgpt_engine.insight.value_graph import ValueGraph
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import GraphOpen


def graph_problem(trainer: Trainer) -> str | None:
    """Why there is no graph to show, or None."""
    if trainer.last_ops is None:
        return "No step's graph to show yet: press space for one training step, then g shows its graph."
    if trainer.last_graph_ids is None:
        return "The last step diverged: its graph holds no numbers to show. Take a step that does not diverge."
    return None


def last_graph(trainer: Trainer) -> StepGraph:
    """The last step's graph as its engine built it: the fused tape, or one `Value` per operation."""
    return ValueGraph(trainer) if trainer.engine == "plain" else GraphView(trainer)


def graph_open(trainer: Trainer, seq: SequenceView | None, position: int, vocab_labels: tuple[str, ...]) -> GraphOpen:
    """The last step's graph, at the selected position if the panels show that step's document."""
    graph = last_graph(trainer)
    doc = trainer.document(graph.step - 1)  # the document the last step trained on
    tokens = trainer.tokenizer.document(doc[: trainer.config.block_size])[: graph.num_positions + 1]
    on_this_doc = seq is not None and seq.kind == "train" and seq.step == graph.step
    return GraphOpen(graph, vocab_labels, tuple(tokens), trainer.model.shapes, position if on_this_doc else 0)
