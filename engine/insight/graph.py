"""Provides `StepGraph` and `GraphView`: the last training step's real autograd graph, one node at a time.

A training step builds a graph of tens of thousands of nodes. `StepGraph`
walks it without copying it, answering the questions backpropagation raises:

- what is this node, what was its value and its gradient (`node`);
- what was it computed from, and what does the chain rule send to each input
  (`children`: local derivative times this node's gradient);
- who used it, and how much of its gradient came from each user
  (`parents`, `gradient_breakdown`): the chain rule read backwards, a
  node's gradient is the sum of these contributions;
- how does it reach the loss (`path_to_loss`: the biggest contribution each way).

Words: a node's *children* are its inputs (edges point from a result to what
it was computed from, as in `Value._children`); its *parents* are the nodes
that used it. Everything handed out is a plain record.

Both engines' graphs number their nodes the same way: the parameters first
(matrix by matrix in model.shapes order, row-major), then every other node
after all of its inputs, position after position, the loss last.
`GraphView` reads the fused tape (tape.py), where that is the order nodes
were made in; `ValueGraph` (value_graph.py) the plain engine's `Value` nodes.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import itemgetter
from typing import TYPE_CHECKING

from ..printable import standalone

if TYPE_CHECKING:
    from ..tape import Tape
    from ..train import Trainer


@dataclass
class NodeRecord:
    id: int
    op: str  # "param", "dot", "+", "*", "softmax", "rms_scale", "relu", "cross_entropy", "mean", ...
    data: float  # the forward value
    grad: float  # d(loss)/d(node)
    label: str  # e.g. "wte[5,3]", "lm_head[2]·x@pos1", "logit[a]@pos2", "cross_entropy@pos2", "loss"
    n_children: int
    pos: int | None  # the document position whose forward pass made it (None: parameter, loss)


@dataclass
class EdgeRecord:
    """One edge parent -> child, seen from either end.

    `node` is the other end: the child in `children(i)`, the parent in
    `parents(i)`. `contribution` is what the chain rule sends down this edge:
    local_grad * parent_grad.
    """

    node: NodeRecord
    local_grad: float  # d(parent)/d(child)
    parent_grad: float  # d(loss)/d(parent)
    contribution: float  # local_grad * parent_grad: this edge's share of the child's gradient


class ParentIndex:
    """Child -> [(parent, local grad)], every edge inverted, parents in node order: in three flat arrays.

    One list per node would be ~60,000 lists and ~120,000 pairs on a plain graph, each an object the
    cyclic collector walks (on the UI thread, the view built); arrays of numbers are never walked.
    """

    def __init__(self, n: int, edges: Callable[[int], list[tuple[int, float]]]) -> None:
        lists: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for i in range(n):
            for c, d in edges(i):
                lists[c].append((i, d))
        flat = list(chain.from_iterable(lists))  # (the lists and pairs go when this returns)
        self._users = array("q", map(itemgetter(0), flat))
        self._grads = array("d", map(itemgetter(1), flat))
        self._starts = array("q", accumulate(map(len, lists), initial=0))  # node i's: [starts[i], starts[i + 1])

    def of(self, i: int) -> list[tuple[int, float]]:
        """The (parent, local grad) edges into node i."""
        start, end = self._starts[i], self._starts[i + 1]
        return list(zip(self._users[start:end], self._grads[start:end]))


class StepGraph:
    """One training step's graph, frozen at that step: what both engines' graphs answer.

    A subclass says where the nodes live (`__len__`, `op`, `data`, `grad`,
    `edges`); everything else is the same walk over them. Holding one keeps
    that step's graph alive; drop it when done.
    """

    engine = ""  # "fused" or "plain": the engine whose graph this is

    def __init__(self, trainer: Trainer, logits: Sequence[Sequence[int]], losses: Sequence[int], loss: int) -> None:
        self.step = trainer.step_count
        self.loss_id = loss
        self._logits = [list(row) for row in logits]  # [pos] -> node ids, one per token
        self._losses = list(losses)  # [pos] -> cross-entropy node id
        # (the data's characters: "logit[␛]" is shown; a raw ESC would reach the terminal)
        self._labels = [standalone(trainer.tokenizer.label(t)) for t in range(trainer.tokenizer.vocab_size)]
        # Parameters: matrix by matrix in model.shapes order, row-major.
        self._matrices: list[tuple[int, str, int, int]] = []  # (first node id, name, rows, cols)
        offset = 0
        for name, (rows, cols) in trainer.model.shapes.items():
            self._matrices.append((offset, name, rows, cols))
            offset += rows * cols
        self.num_params = offset
        self._matrix_starts = [start for start, *_ in self._matrices]
        self._roles = {loss: f"cross_entropy@pos{p}" for p, loss in enumerate(self._losses)}
        for p, row in enumerate(self._logits):
            for token, i in enumerate(row):
                self._roles[i] = f"logit[{self._labels[token]}]@pos{p}"
        self._roles[self.loss_id] = "loss"
        self._no_position = {self.loss_id}  # nodes made after the positions (the loss and its parts)
        # Built on first use: who used each node (see _parent_index).
        self._parents: ParentIndex | None = None

    # --- Where the nodes live (each engine's own) ---------------------------

    def __len__(self) -> int:
        raise NotImplementedError

    def op(self, i: int) -> str:
        raise NotImplementedError

    def data(self, i: int) -> float:
        raise NotImplementedError

    def grad(self, i: int) -> float:
        raise NotImplementedError

    def edges(self, i: int) -> list[tuple[int, float]]:
        """(child, local derivative) for each input of node i, in the order the forward pass used them."""
        raise NotImplementedError

    def op_label(self, i: int, where: str) -> str:
        """The label of a node with no role of its own, e.g. "exp@pos2"."""
        return f"{self.op(i)}{where}"

    @property
    def num_positions(self) -> int:
        return len(self._losses)

    # --- Naming nodes -------------------------------------------------------

    def param_id(self, name: str, row: int, col: int) -> int:
        """The node id of one weight, e.g. param_id("wte", 5, 3)."""
        for start, matrix, rows, cols in self._matrices:
            if matrix == name:
                if not (0 <= row < rows and 0 <= col < cols):
                    raise IndexError(f"{name} is {rows}x{cols}; there is no [{row},{col}]")
                return start + row * cols + col
        raise KeyError(f"no weight matrix named {name!r}")

    def param_location(self, i: int) -> tuple[str, int, int]:
        """(matrix name, row, col) of parameter node i."""
        if not 0 <= i < self.num_params:
            raise IndexError(f"node {i} is not a parameter")
        start, name, rows, cols = self._matrices[bisect.bisect_right(self._matrix_starts, i) - 1]
        row, col = divmod(i - start, cols)
        return name, row, col

    def param_name(self, i: int) -> str:
        """The label of parameter node i, e.g. "wte[5,3]"."""
        name, row, col = self.param_location(i)
        return f"{name}[{row},{col}]"

    def position_of(self, i: int) -> int | None:
        """The position whose forward pass created node i (None for parameters and the loss)."""
        if i < self.num_params or i in self._no_position:
            return None
        # Positions come one after another, each ending with its cross-entropy node.
        p = bisect.bisect_left(self._losses, i)
        return p if p < len(self._losses) else None

    def label(self, i: int) -> str:
        if i < self.num_params:
            return self.param_name(i)
        if i in self._roles:
            return self._roles[i]
        p = self.position_of(i)
        return self.op_label(i, f"@pos{p}" if p is not None else "")

    # --- Nodes and edges ----------------------------------------------------

    def node(self, i: int) -> NodeRecord:
        if not 0 <= i < len(self):
            raise IndexError(f"the graph has nodes 0..{len(self) - 1}, not {i}")
        return NodeRecord(
            i, self.op(i), self.data(i), self.grad(i), self.label(i), len(self.edges(i)), self.position_of(i)
        )

    def logit_ids(self, pos: int) -> list[int]:
        """The node ids of the logits at `pos`, one per token id."""
        return list(self._logits[pos])

    def cross_entropy_id(self, pos: int) -> int:
        return self._losses[pos]

    def children(self, i: int) -> list[EdgeRecord]:
        """Node i's inputs, in the order the forward pass used them."""
        g = self.grad(i)
        return [EdgeRecord(self.node(c), d, g, d * g) for c, d in self.edges(i)]

    def index_parents(self) -> None:
        """Build the parent index now (else the first parents() call does: on a plain graph ~0.1 s)."""
        self._parent_index()

    def _parent_index(self) -> ParentIndex:
        # Invert every edge once per step (the graph only stores child lists).
        if self._parents is None:
            self._parents = ParentIndex(len(self), self.edges)
        return self._parents

    def parents(self, i: int) -> list[EdgeRecord]:
        """The nodes that used node i, in node order, one edge per use.

        For a parameter, every place the forward pass read that weight.
        """
        grad = self.grad
        return [EdgeRecord(self.node(p), d, grad(p), d * grad(p)) for p, d in self._parent_index().of(i)]

    def gradient_breakdown(self, i: int) -> list[EdgeRecord]:
        """Where node i's gradient comes from: its contributions sum to node(i).grad.

        (The loss has no parents: its gradient is the 1.0 backward starts from.)
        """
        return self.parents(i)

    def path_to_loss(self, i: int) -> list[int]:
        """A chain of node ids from i up to the loss, taking at each node the
        parent that sent it the largest |contribution|. Ends early at a node the
        loss does not depend on (e.g. an ablated head's attention weights)."""
        path = [i]
        grad = self.grad
        while path[-1] != self.loss_id:
            edges = self._parent_index().of(path[-1])
            if not edges:
                break
            parent = max(edges, key=lambda e: abs(e[1] * grad(e[0])))[0]
            path.append(parent)
        return path


class GraphView(StepGraph):
    """The graph of `trainer`'s last step on the fused engine: its tape, read in place."""

    engine = "fused"

    def __init__(self, trainer: Trainer) -> None:
        ops, ids = trainer.last_ops, getattr(trainer, "last_graph_ids", None)
        if ops is None or not hasattr(ops, "tape") or ids is None:
            raise ValueError("no graph to show: take a training step with the fused engine first")
        self.tape: Tape = ops.tape
        super().__init__(trainer, ids["logits"], ids["losses"], ids["loss"])

    def __len__(self) -> int:
        return len(self.tape)

    def op(self, i: int) -> str:
        return self.tape.ops[i]

    def data(self, i: int) -> float:
        return self.tape.data[i]

    def grad(self, i: int) -> float:
        grad = self.tape.grad
        return grad[i] if i < len(grad) else 0.0

    def edges(self, i: int) -> list[tuple[int, float]]:
        return self.tape.edges(i)

    def op_label(self, i: int, where: str) -> str:
        if self.op(i) == "dot":
            first = self.tape.edges(i)[0][0]
            if first < self.num_params:  # a row of a weight matrix times a vector
                name, row, _ = self.param_location(first)
                return f"{name}[{row}]·x{where}"
        return super().op_label(i, where)
