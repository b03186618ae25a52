"""Provides `Tape`: the same autograd graph as `Value`, stored flat for speed.

Node i is an index. Its forward value is `data[i]` and its operation `ops[i]`;
its children and the local derivative of node i with respect to each child are
the slice `start[i]:start[i + 1]` of two flat lists, `children` and `local`.
A node is always created after its children, so creation order *is* a
topological order, and backward is one reverse sweep of the chain rule: no
graph walk, no per-node object.

Two things make it fast without leaving the algorithm:
- fused nodes: a whole dot product, a softmax output, an RMS scale or a
  cross-entropy is one node with many children and its exact local derivatives,
  instead of a chain of binary + and * nodes;
- flat lists of numbers instead of objects and tuples: building a step's graph
  allocates little, and Python's cyclic garbage collector, which would walk
  every container it sees, has nothing to walk.
"""


class Tape:
    def __init__(self, leaves=(), op="param"):
        self.data = list(leaves)  # forward value of each node
        self.ops = [op] * len(self.data)  # operation name, for showing the graph
        self.start = [0] * (len(self.data) + 1)  # node i's edges: start[i]:start[i + 1]
        self.children = []  # child node id of each edge
        self.local = []  # d(node)/d(child) of each edge
        self.grad = []  # filled in by backward()

    def __len__(self):
        return len(self.data)

    def leaf(self, data, op="const"):
        self.data.append(data)
        self.ops.append(op)
        self.start.append(len(self.children))
        return len(self.data) - 1

    def node(self, data, op, children, local):
        self.children += children
        self.local += local
        self.data.append(data)
        self.ops.append(op)
        self.start.append(len(self.children))
        return len(self.data) - 1

    def edges(self, i):
        """(child, local derivative) pairs of node i."""
        s, e = self.start[i], self.start[i + 1]
        return list(zip(self.children[s:e], self.local[s:e]))

    def backward(self, output):
        """The chain rule over the whole tape, from `output` back to the leaves."""
        grad = [0.0] * len(self.data)
        grad[output] = 1.0
        children, local, start = self.children, self.local, self.start
        for i in range(output, -1, -1):
            g = grad[i]
            if g:  # nothing flows through nodes the output does not depend on
                s, e = start[i], start[i + 1]
                for child, d in zip(children[s:e], local[s:e]):
                    grad[child] += d * g
        self.grad = grad
        return grad
