"""Provides `Tape`: the same autograd graph as `Value`, stored flat for speed.

Node i is an index. Its forward value is `data[i]` and its operation `ops[i]`;
`edges(i)` lists its children in order, each with the local derivative of node
i with respect to that child, exactly what a `Value` keeps in `_children` and
`_local_grads`. A node is always created after its children, so creation order
*is* a topological order and backward needs no graph walk.

The edges are stored in *bundles*: the edges of the nodes that one operation
created together, in one of five layouts. `parents` (the nodes the edges start
from) is one id for NODE, a range of consecutive ids for the next three, and a
list of such ranges for OUTER:

- NODE:    one node: parent, its children, their local derivatives;
- ROWS:    parent k has its own children[k], with local derivatives local[k];
- PAIRS:   parent k has exactly one child, children[k], with local[k]
           (elementwise operations: +, *, relu);
- COLUMNS: every parent has the same children; local[j][k] is d parent_k /
           d child_j, stored child by child (a linear layer and its input);
- OUTER:   every use of one weight matrix (one per position): parents[u][r] is
           row r's dot product in use u; its children are the weights of row
           r, children[r], and its local derivatives the use's input, local[u].
           It sits where the matrix was first used, so backward reaches it
           after all of its uses, and it only sends to leaves.

Backward is the chain rule, `grad[child] += local * grad[parent]` for every
edge, bundle by bundle from the last one created to the first (every parent
before its children). The layout only decides in which order each child's
contributions are added up. The speed tricks, each named where it is used:

- fused nodes: a dot product, a softmax output, an RMS scale or a cross-entropy
  is one node with its exact local derivatives, not a chain of binary nodes;
- shared local lists: all rows of a linear layer share one list, the input, as
  their local derivatives, so building the graph copies almost nothing;
- pull, not push: where many parents send to the same children (COLUMNS,
  OUTER), each child adds up its incoming terms with one C-level sum() instead
  of a Python loop per edge. sum() only orders the adding-up of gradients,
  which is free; forward values never go through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import product, repeat, starmap
from operator import add, mul
from typing import Any

NODE, ROWS, PAIRS, COLUMNS, OUTER = "node", "rows", "pairs", "columns", "outer"

# (layout, parents, children, local): what the last three hold depends on the layout (above).
Bundle = tuple[str, Any, Any, Any]
# node -> [(bundle, use)]: the bundles that hold its edges (use: which use, in an OUTER bundle).
Index = dict[int, list[tuple[Bundle, int | None]]]


class Tape:
    def __init__(self, leaves: Iterable[float] = (), op: str = "param") -> None:
        self.data = list(leaves)  # forward value of each node
        self.ops = [op] * len(self.data)  # operation name, for showing the graph
        self.bundles: list[Bundle] = []  # in creation order
        self.grad: list[float] = []  # filled in by backward()
        self._index: Index | None = None  # built by the first edges() call

    def __len__(self) -> int:
        return len(self.data)

    # --- building -----------------------------------------------------------

    def values(self, ids: Sequence[int]) -> list[float]:
        """The forward values of some nodes (one slice when they are consecutive)."""
        if type(ids) is range:
            return self.data[ids.start : ids.stop : ids.step]
        data = self.data
        return [data[i] for i in ids]

    def leaf(self, data: float, op: str = "const") -> int:
        self.data.append(data)
        self.ops.append(op)
        return len(self.data) - 1

    def nodes(self, values: Iterable[float], op: str) -> range:
        """New nodes, one per value; returns their ids, a range."""
        start = len(self.data)
        self.data += values
        self.ops += repeat(op, len(self.data) - start)
        return range(start, len(self.data))

    def node(self, data: float, op: str, children: Sequence[int], local: Sequence[float]) -> int:
        """One new node with its children and their local derivatives."""
        i = len(self.data)
        self.data.append(data)
        self.ops.append(op)
        self.bundles.append((NODE, i, children, local))
        return i

    def add_bundle(self, layout: str, parents: range, children: Sequence[Any], local: Sequence[Any]) -> None:
        self.bundles.append((layout, parents, children, local))

    def outer(self, rows: Sequence[Sequence[int]]) -> Callable[[range, list[float]], None]:
        """An OUTER bundle for the weight matrix `rows` (consecutive leaf ids, row by
        row); `use(out, xs)` records each use. Returns `use`."""
        uses: list[range] = []
        inputs: list[list[float]] = []
        self.bundles.append((OUTER, uses, rows, inputs))

        def use(out: range, xs: list[float]) -> None:
            uses.append(out)
            inputs.append(xs)

        return use

    # --- inspecting ---------------------------------------------------------

    def edges(self, i: int) -> list[tuple[int, float]]:
        """(child, local derivative) pairs of node i, in the order of its children."""
        index = self._index
        if index is None or self._indexed != (len(self.bundles), len(self.data)):
            index = self._build_index()  # once per finished graph (an OUTER bundle grows without a new bundle)
        out: list[tuple[int, float]] = []
        for (layout, parents, children, local), use in index.get(i, ()):
            if layout is NODE:
                out += zip(children, local)
            elif layout is OUTER:
                out += zip(children[i - parents[use].start], local[use])
            else:
                k = i - parents.start
                if layout is ROWS:
                    out += zip(children[k], local[k])
                elif layout is PAIRS:
                    out.append((children[k], local[k]))
                else:  # COLUMNS
                    out += [(child, column[k]) for child, column in zip(children, local)]
        return out

    def _build_index(self) -> Index:
        index: Index = {}
        for bundle in self.bundles:
            layout, parents = bundle[0], bundle[1]
            if layout is NODE:
                index.setdefault(parents, []).append((bundle, None))
            elif layout is OUTER:
                for use, out in enumerate(parents):
                    for i in out:
                        index.setdefault(i, []).append((bundle, use))
            else:
                for i in parents:
                    index.setdefault(i, []).append((bundle, None))
        self._index, self._indexed = index, (len(self.bundles), len(self.data))
        return index

    def num_edges(self) -> int:
        total = 0
        for layout, parents, children, _local in self.bundles:
            if layout is NODE:
                total += len(children)
            elif layout is ROWS:
                total += sum(map(len, children))
            elif layout is PAIRS:
                total += len(parents)
            elif layout is COLUMNS:
                total += len(parents) * len(children)
            else:  # OUTER
                total += sum(map(len, parents)) * len(children[0])
        return total

    # --- the chain rule -----------------------------------------------------

    def backward(self, output: int) -> list[float]:
        """The chain rule over the whole tape, from `output` back to the leaves."""
        grad = [0.0] * len(self.data)
        grad[output] = 1.0
        for layout, parents, children, local in reversed(self.bundles):
            if layout is NODE:
                g = grad[parents]
                if g:  # nothing flows through a node the output does not depend on
                    for child, d in zip(children, local):
                        grad[child] += d * g
            elif layout is COLUMNS:
                # Pull: each child sums the terms from all parents at C speed.
                gs = grad[parents.start : parents.stop]
                for child, column in zip(children, local):
                    grad[child] += sum(map(mul, column, gs))
            elif layout is PAIRS:
                for parent, child, d in zip(parents, children, local):
                    grad[child] += d * grad[parent]
            elif layout is ROWS:
                for parent, kids, ds in zip(parents, children, local):
                    g = grad[parent]
                    if g:
                        for child, d in zip(kids, ds):
                            grad[child] += d * g
            else:  # OUTER
                # Pull over the uses: d loss / d w[r][j] = sum over uses u of g_u[r] * x_u[j].
                # product(g_u, x_u) lists those terms row by row, like the weights; zip
                # lines up each weight's terms across the uses and sum adds them.
                terms = [starmap(mul, product(grad[out.start : out.stop], xs)) for out, xs in zip(parents, local)]
                first, last = children[0].start, children[-1].stop
                grad[first:last] = map(add, grad[first:last], map(sum, zip(*terms)))
        self.grad = grad
        return grad
