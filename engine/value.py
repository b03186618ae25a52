"""Provides `Value`: one scalar, the operation that made it, and the chain rule.

This is the textbook autograd of micrograd/microgpt. Every arithmetic operation
creates a new node that remembers its children and the local derivative of its
output with respect to each child. `backward()` then walks the graph from the
output back to the leaves and applies the chain rule: a child's gradient is the
sum over its parents of (parent's gradient x local derivative).

The model can run on these nodes directly (the "plain" engine). It is slow but
it is the algorithm in its purest form, and the oracle the fused engine is
tested against.
"""

from __future__ import annotations

import math


class Value:
    __slots__ = ("data", "grad", "_children", "_local_grads", "op")

    def __init__(
        self,
        data: float,
        children: tuple[Value, ...] = (),
        local_grads: tuple[float, ...] = (),
        op: str = "",
    ) -> None:
        self.data = data  # the scalar computed in the forward pass
        self.grad = 0.0  # d(loss)/d(this node), filled in by backward()
        self._children = children  # the nodes this one was computed from
        self._local_grads = local_grads  # d(this)/d(child) for each child
        self.op = op  # name of the operation, for showing the graph

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1), "+")

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, other: float) -> Value:
        return Value(self.data**other, (self,), (other * self.data ** (other - 1),), f"**{other}")

    def log(self) -> Value:
        return Value(math.log(self.data), (self,), (1 / self.data,), "log")

    def exp(self) -> Value:
        return Value(math.exp(self.data), (self,), (math.exp(self.data),), "exp")

    def relu(self) -> Value:
        return Value(max(0, self.data), (self,), (float(self.data > 0),), "relu")

    # Everything else is built from the operations above, exactly as microgpt does,
    # so that both engines perform the same floating-point operations.
    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: float) -> Value:
        return self + other

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def __rsub__(self, other: float) -> Value:
        return other + (-self)

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __truediv__(self, other: Value | float) -> Value:
        return self * other**-1

    def __rtruediv__(self, other: float) -> Value:
        return other * self**-1

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its children (this one last)."""
        # Depth first, first child first, on an explicit stack (no recursion limit on deep graphs): each entry
        # is a node and the children it has yet to go down; a node is appended once all of them are. A child is
        # marked as it is reached, so one reached already is never stacked again (stacking every child and
        # skipping the visited ones as they come off gives the same order in nearly twice the time).
        topo: list[Value] = []
        visited = {id(self)}
        stack = [(self, iter(self._children))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if id(child) not in visited:
                    visited.add(id(child))
                    stack.append((child, iter(child._children)))
                    break
            else:  # no child left to go down
                stack.pop()
                topo.append(node)
        return topo

    def backward(self) -> None:
        """Fill in `grad` on every node that this one depends on."""
        self.grad = 1.0
        for node in reversed(self.topological_order()):
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * node.grad

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"
