"""Provides `ValueGraph`: the plain engine's last step, one `Value` node per scalar operation.

With `--engine plain` a training step builds microgpt's own graph: every +, *,
**, exp, log and relu makes a `Value` (value.py) that holds its children and
the local derivative with respect to each. This view numbers those nodes as
the fused tape numbers its own (the parameters first, then the rest in the
topological order backward walks, the loss last) and answers the same
questions through graph.py's `StepGraph`, reading the nodes in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..ops import PlainOps
from ..value import Value
from .graph import StepGraph

if TYPE_CHECKING:
    from ..train import Trainer


class ValueGraph(StepGraph):
    """The graph of `trainer`'s last step on the plain engine: its `Value` nodes, numbered."""

    engine = "plain"

    def __init__(self, trainer: Trainer) -> None:
        ops, ids = trainer.last_ops, trainer.last_graph_ids
        if not isinstance(ops, PlainOps) or ids is None:
            raise ValueError("no graph to show: take a training step with the plain engine first")
        params = [v for name in trainer.model.shapes for row in ops.leaves[name] for v in row]
        loss: Value = ids["loss"]
        is_param = {id(v) for v in params}
        # Every weight has a node, used or not (as on the tape); then what the loss depends on.
        self._nodes = params + [v for v in loss.topological_order() if id(v) not in is_param]
        self._index = index = {id(v): i for i, v in enumerate(self._nodes)}
        logits = [[index[id(v)] for v in row] for row in ids["logits"]]
        losses = [index[id(v)] for v in ids["losses"]]
        super().__init__(trainer, logits, losses, index[id(loss)])
        # The mean over the positions, (1/n) * (((ce0 + 0) + ce1) + ...), is made after them,
        # though backward's order puts its partial sums between them: they have no position.
        ce, parts, stack = set(losses), set(), [self.loss_id]
        while stack:
            i = stack.pop()
            if i not in ce and i not in parts:
                parts.add(i)
                stack.extend(child for child, _ in self.edges(i))
        self._no_position |= parts
        for i in parts - {self.loss_id}:
            summed = [losses.index(child) for child, _ in self.edges(i) if child in ce]
            if summed:
                self._roles[i] = "Σ cross_entropy@pos0" + (f"..{summed[0]}" if summed[0] else "")

    def __len__(self) -> int:
        return len(self._nodes)

    def op(self, i: int) -> str:
        return self._nodes[i].op or "const"  # Value(3.0) made from a plain number has no op

    def data(self, i: int) -> float:
        return self._nodes[i].data

    def grad(self, i: int) -> float:
        return self._nodes[i].grad

    def edges(self, i: int) -> list[tuple[int, float]]:
        node, index = self._nodes[i], self._index
        return [(index[id(child)], d) for child, d in zip(node._children, node._local_grads)]

    def op_label(self, i: int, where: str) -> str:
        if self.op(i) == "*":
            first = self.edges(i)[0][0]
            if first < self.num_params:  # one weight times one number of the input
                return f"{self.param_name(first)}×x{where}"
        return super().op_label(i, where)
