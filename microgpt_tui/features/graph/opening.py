"""Provides what the graph view opens: the last step's autograd graph, and why there is none.

Plain functions over the trainer; the graph feature decides when they may run
(never on the trainer while the worker trains).
"""

from __future__ import annotations

from microgpt_engine import Trainer
from microgpt_engine.config import MAX_STEP_BYTES
from microgpt_engine.insight.graph import GraphView, StepGraph
from microgpt_engine.insight.value_graph import ValueGraph
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import GraphOpen
from microgpt_tui.language import _


def graph_problem(trainer: Trainer) -> str | None:
    """Why there is no graph to show, or None."""
    if trainer.last_ops is None:
        return _("No step's graph to show yet: press space for one training step, then g shows its graph.")
    if trainer.last_graph_ids is None:
        return _("The last step diverged: its graph holds no numbers to show. Take a step that does not diverge.")
    need = graph_bytes(trainer)
    if need > MAX_STEP_BYTES:
        return _(
            "The graph of one step of this model would need about {need:,.1f} GB, more than the {most:.0f} GB the "
            "size check allows: g shows the graph of a smaller model (a smaller n_embd, block_size or n_layer in "
            "the settings, o)."
        ).format(need=need / 1024**3, most=MAX_STEP_BYTES / 1024**3)
    return None


# The memory of g's view on top of the step's own graph, as a multiple of the step's estimate
# (Config.step_bytes), measured by bench/graph_memory.py with every block full: the fused tape's view
# (its nodes numbered, their parents indexed) ~2.5-3.1x, a plain step's Value graph ~1.3x. An n_embd 256,
# block 64 model (808k parameters) peaked at 10.2 GB against the 4 GB the size check promises.
GRAPH_FACTOR = {"fused": 3.5, "plain": 1.5}
GRAPH_ON_UI_THREAD = 64 * 1024**2  # a graph estimated under this opens at once (~20 ms); larger ones on a worker


def graph_bytes(trainer: Trainer) -> int:
    """About how much memory g's view of the last step needs on top of the step's own graph."""
    step = trainer.config.step_bytes(trainer.tokenizer.vocab_size, trainer.engine)
    return int(step * GRAPH_FACTOR.get(trainer.engine, GRAPH_FACTOR["fused"]))


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
