"""Provides the three engines the model can run on: plain, fused and float.

The model (model.py) is written once against a handful of operations on vectors
of scalars. Each engine implements them:

- `PlainOps`: every scalar is a `Value` and every operation is built from binary
  + and * nodes, exactly as microgpt writes it. The textbook, and the oracle.
- `FusedOps`: the same graph on a flat `Tape`, with one node per dot product,
  softmax output, RMS scale and cross-entropy, each with its exact local
  derivatives. Same numbers, a fraction of the nodes.
- `FloatOps`: plain floats and no graph at all, for sampling and for showing
  probabilities. Same numbers again, as fast as pure Python gets.

All three perform the forward pass with the same floating-point operations in
the same order (a dot product is summed left to right, a division is a
multiplication by x**-1 as `Value` does it), so their forward values agree to
the last bit; only the order in which gradients are added up differs.

`Ops` writes that handful down: what the model's forward pass (model.py) and
a document's loss (train.py) call. `GraphOps` adds what training calls on an
engine that builds a graph: backward and the parameters' gradients.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, cast

from .tape import COLUMNS, PAIRS, ROWS, Tape
from .value import Value

RMS_EPS = 1e-5

Weights = dict[str, list[list[float]]]  # the model's parameters: name -> rows of floats
# One scalar as an engine holds it: a float (FloatOps), a `Value` (PlainOps) or
# a node id on the tape (FusedOps). A vector is a sequence of them.
S = TypeVar("S")


class Ops(Protocol[S]):
    """The operations the model is written against (structural: no engine inherits it)."""

    def matrix(self, name: str) -> Sequence[Sequence[S]]:
        """A weight matrix, row by row, as this engine's scalars."""

    def data(self, x: S) -> float:
        """The forward value of a scalar."""

    def add(self, a: Sequence[S], b: Sequence[S]) -> Sequence[S]: ...

    def rmsnorm(self, x: Sequence[S]) -> Sequence[S]: ...

    def linear(self, x: Sequence[S], w: Sequence[Sequence[S]]) -> Sequence[S]:
        """w @ x: one dot product per row of w."""

    def dot(self, a: Sequence[S], b: Sequence[S]) -> S: ...

    def scale(self, a: S, c: float) -> S:
        """a times a constant."""

    def zeros(self, n: int) -> Sequence[S]:
        """n constant zeros (an ablated head's output)."""

    def softmax(self, logits: Sequence[S]) -> Sequence[S]: ...

    def relu(self, x: Sequence[S]) -> Sequence[S]: ...

    def cross_entropy(self, logits: Sequence[S], target: int) -> tuple[S, list[float]]:
        """-log softmax(logits)[target], and the probabilities as floats."""

    def mean(self, xs: Sequence[S]) -> S: ...


class GraphOps(Ops[S], Protocol[S]):
    """An engine that records a graph, so that training can backpropagate through it."""

    def backward(self, loss: S) -> None:
        """Fill in d(loss)/d(every node the loss depends on)."""

    def param_grads(self, names: Iterable[str]) -> list[float]:
        """The parameters' gradients, flat: matrix by matrix (`names` order), row by row."""


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Sum of products, left to right (builtin sum() may compensate on 3.12+)."""
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total


def matvec(rows: Sequence[Sequence[float]], x: Sequence[float]) -> list[float]:
    """[dot(row, x) for row in rows], four rows per pass over x: each x_j is fetched
    once for four rows (a third faster); every row is still summed left to right."""
    out: list[float] = []
    it = iter(rows)
    for r1, r2, r3, r4 in zip(it, it, it, it):
        t1 = t2 = t3 = t4 = 0.0
        for w1, w2, w3, w4, xj in zip(r1, r2, r3, r4, x):
            t1 += w1 * xj
            t2 += w2 * xj
            t3 += w3 * xj
            t4 += w4 * xj
        out += (t1, t2, t3, t4)
    for row in rows[len(rows) - len(rows) % 4 :]:
        out.append(dot(row, x))
    return out


def softmax_floats(logits: Sequence[float]) -> list[float]:
    """Softmax exactly as microgpt computes it: shift by the max, exp, normalise."""
    max_val = max(logits)
    exps = [math.exp(v - max_val) for v in logits]
    total = 0.0
    for e in exps:
        total += e
    inv = total**-1
    return [e * inv for e in exps]


def neg_log(p: float) -> float:
    """-log p, as microgpt's -(p.log()); a probability that underflowed to 0 costs inf."""
    return math.log(p) * -1 if p > 0 else math.inf


def rms_scale(xs: Sequence[float]) -> float:
    """(mean(x^2) + eps) ** -0.5, with microgpt's operation order."""
    ms = dot(xs, xs) * len(xs) ** -1
    return (ms + RMS_EPS) ** -0.5


class FloatOps:
    """No graph: every scalar is a float."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights  # name -> list of rows of floats

    def matrix(self, name: str) -> list[list[float]]:
        return self.weights[name]

    @staticmethod
    def data(x: float) -> float:
        return x

    def add(self, a: Sequence[float], b: Sequence[float]) -> list[float]:
        return list(map(operator.add, a, b))

    def rmsnorm(self, x: Sequence[float]) -> list[float]:
        s = rms_scale(x)
        return [xi * s for xi in x]

    def linear(self, x: Sequence[float], w: Sequence[Sequence[float]]) -> list[float]:
        return matvec(w, x)

    def dot(self, a: Sequence[float], b: Sequence[float]) -> float:
        total = 0.0  # dot(a, b), inlined
        for x, y in zip(a, b):
            total += x * y
        return total

    def scale(self, a: float, c: float) -> float:
        return a * c

    def zeros(self, n: int) -> list[float]:
        return [0.0] * n

    def softmax(self, logits: Sequence[float]) -> list[float]:
        return softmax_floats(logits)

    def relu(self, x: Sequence[float]) -> list[float]:
        return [xi if xi > 0 else 0.0 for xi in x]

    def cross_entropy(self, logits: Sequence[float], target: int) -> tuple[float, list[float]]:
        probs = softmax_floats(logits)
        return neg_log(probs[target]), probs

    def mean(self, xs: Sequence[float]) -> float:
        total = 0.0
        for x in xs:
            total += x
        return total * (1 / len(xs))


class PlainOps:
    """The textbook: `Value` nodes, built from binary operations as in microgpt.

    (sum() starts from the int 0, so a type checker sees `Value | int`; over the
    non-empty vectors here it is always a `Value`, hence the casts.)
    """

    def __init__(self, weights: Weights) -> None:
        # Fresh leaves for this forward pass; grads land on them.
        self.leaves = {name: [[Value(w, op="param") for w in row] for row in rows] for name, rows in weights.items()}

    def matrix(self, name: str) -> list[list[Value]]:
        return self.leaves[name]

    @staticmethod
    def data(x: Value) -> float:
        return x.data

    def add(self, a: Sequence[Value], b: Sequence[Value]) -> list[Value]:
        return [x + y for x, y in zip(a, b)]

    def rmsnorm(self, x: Sequence[Value]) -> list[Value]:
        ms = sum(xi * xi for xi in x) / len(x)
        scale = (ms + RMS_EPS) ** -0.5
        return [xi * scale for xi in x]

    def linear(self, x: Sequence[Value], w: Sequence[Sequence[Value]]) -> list[Value]:
        return cast("list[Value]", [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w])

    def dot(self, a: Sequence[Value], b: Sequence[Value]) -> Value:
        return cast(Value, sum(x * y for x, y in zip(a, b)))

    def scale(self, a: Value, c: float) -> Value:
        return a * c

    def zeros(self, n: int) -> list[Value]:
        return [Value(0.0, op="ablated") for _ in range(n)]

    def softmax(self, logits: Sequence[Value]) -> list[Value]:
        max_val = max(val.data for val in logits)
        exps = [(val - max_val).exp() for val in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def relu(self, x: Sequence[Value]) -> list[Value]:
        return [xi.relu() for xi in x]

    def cross_entropy(self, logits: Sequence[Value], target: int) -> tuple[Value, list[float]]:
        probs = self.softmax(logits)
        return -probs[target].log(), [p.data for p in probs]

    def mean(self, xs: Sequence[Value]) -> Value:
        return cast(Value, (1 / len(xs)) * sum(xs))

    def backward(self, loss: Value) -> None:
        loss.backward()

    def param_grads(self, names: Iterable[str]) -> list[float]:
        return [v.grad for name in names for row in self.leaves[name] for v in row]


# How FusedOps records one use of a weight matrix (Tape.outer), and what it
# caches per matrix: the matrix, its values by row and by column, its `use`.
_Use = Callable[[range, list[float]], None]
_Matrix = tuple[Sequence[Sequence[int]], Sequence[Sequence[float]], list[tuple[float, ...]], _Use | None]


class FusedOps:
    """The same graph on a flat `Tape`, with fused n-ary nodes.

    Speed tricks, besides the tape's own (tape.py): a linear layer reads the
    model's weight rows directly and computes their columns once per step, and
    its rows are summed four at a time (`matvec`).
    """

    def __init__(self, weights: Weights) -> None:
        # Parameters are the first leaves, matrix by matrix, row by row.
        flat: list[float] = []
        for rows in weights.values():
            for row in rows:
                flat += row
        self.tape = Tape(flat, op="param")
        self.num_params = len(flat)
        self.leaves: dict[str, list[range]] = {}
        self._rows: dict[int, list[list[float]]] = {}
        offset = 0
        for name, rows in weights.items():
            cols = len(rows[0])
            self.leaves[name] = leaves = [range(offset + r * cols, offset + (r + 1) * cols) for r in range(len(rows))]
            self._rows[id(leaves)] = rows  # the leaves' own floats: no copy (only read during the forward)
            offset += len(rows) * cols
        self._matrices: dict[int, _Matrix] = {}  # id(w) -> (w, its values by row, by column, how to record a use)

    def matrix(self, name: str) -> list[range]:
        return self.leaves[name]

    def data(self, i: int) -> float:
        return self.tape.data[i]

    def _weights(
        self, w: Sequence[Sequence[int]]
    ) -> tuple[Sequence[Sequence[float]], list[tuple[float, ...]], _Use | None]:
        """A matrix's values by row and by column, and how to record a use: once per step."""
        cached = self._matrices.get(id(w))
        if cached is None or cached[0] is not w:  # holding w keeps its id from being reused
            by_row = self._rows.get(id(w))  # a weight matrix of the model (its leaves tile a range)
            if by_row is None:
                by_row = [self.tape.values(row) for row in w]
            use = self.tape.outer(w) if id(w) in self._rows or _tiles_a_range(w) else None
            cached = self._matrices[id(w)] = (w, by_row, list(zip(*by_row)), use)
        return cached[1:]

    def add(self, a: Sequence[int], b: Sequence[int]) -> range:
        tape = self.tape
        out = tape.nodes(list(map(operator.add, tape.values(a), tape.values(b))), "+")
        ones = [1.0] * len(out)
        tape.add_bundle(PAIRS, out, a, ones)
        tape.add_bundle(PAIRS, out, b, ones)
        return out

    def rmsnorm(self, x: Sequence[int]) -> range:
        # One node for the scale s = (mean(x^2) + eps)^-0.5, with
        # ds/dx_j = -0.5 (ms + eps)^-1.5 * 2 x_j / n; then y_i = x_i * s.
        tape = self.tape
        xs = tape.values(x)
        n = len(xs)
        ms = dot(xs, xs) * n**-1
        s = (ms + RMS_EPS) ** -0.5
        ds_dx = -0.5 * (ms + RMS_EPS) ** -1.5 * 2 / n
        s_id = tape.node(s, "rms_scale", x, [ds_dx * xj for xj in xs])
        out = tape.nodes([xj * s for xj in xs], "*")
        tape.add_bundle(PAIRS, out, x, [s] * n)  # d y_i / d x_i = s
        tape.add_bundle(COLUMNS, out, (s_id,), (xs,))  # d y_i / d s = x_i
        return out

    def dot(self, a: Sequence[int], b: Sequence[int]) -> int:
        # d(sum a_k b_k)/d a_k = b_k and d/d b_k = a_k.
        tape = self.tape
        da, db = tape.values(a), tape.values(b)
        total = 0.0  # dot(da, db), inlined: attention calls this hundreds of times a step
        for x, y in zip(da, db):
            total += x * y
        return tape.node(total, "dot", [*a, *b], db + da)

    def linear(self, x: Sequence[int], w: Sequence[Sequence[int]]) -> range:
        # One dot-product node per row: d out_r / d w_rj = x_j and d out_r / d x_j = w_rj.
        tape = self.tape
        xs = tape.values(x)
        by_row, by_column, use = self._weights(w)
        out = tape.nodes(matvec(by_row, xs), "dot")
        if use is not None:
            use(out, xs)  # the weights' edges: all rows share xs as their local derivatives
        else:
            tape.add_bundle(ROWS, out, w, [xs] * len(w))
        tape.add_bundle(COLUMNS, out, x, by_column)  # the input's edges
        return out

    def scale(self, a: int, c: float) -> int:
        return self.tape.node(self.tape.data[a] * c, "*", (a,), (c,))

    def zeros(self, n: int) -> list[int]:
        return [self.tape.leaf(0.0, "ablated") for _ in range(n)]

    def softmax(self, logits: Sequence[int]) -> range:
        # p_i = exp(z_i) / sum_j exp(z_j);  dp_i/dz_j = p_i (delta_ij - p_j).
        tape = self.tape
        probs = softmax_floats(tape.values(logits))
        out = tape.nodes(probs, "softmax")
        jacobian = [[p * ((i == j) - pj) for j, pj in enumerate(probs)] for i, p in enumerate(probs)]
        tape.add_bundle(ROWS, out, [logits] * len(probs), jacobian)
        return out

    def relu(self, x: Sequence[int]) -> range:
        tape = self.tape
        xs = tape.values(x)
        out = tape.nodes([xi if xi > 0 else 0.0 for xi in xs], "relu")
        tape.add_bundle(PAIRS, out, x, [1.0 if xi > 0 else 0.0 for xi in xs])
        return out

    def cross_entropy(self, logits: Sequence[int], target: int) -> tuple[int, list[float]]:
        # -log softmax(z)[t];  d/dz_j = p_j - [j == t].
        probs = softmax_floats(self.tape.values(logits))
        loss = neg_log(probs[target])
        local = [p - (j == target) for j, p in enumerate(probs)]
        return self.tape.node(loss, "cross_entropy", logits, local), probs

    def mean(self, xs: Sequence[int]) -> int:
        data = self.tape.data
        total = 0.0
        for i in xs:
            total += data[i]
        inv_n = 1 / len(xs)
        return self.tape.node(total * inv_n, "mean", xs, [inv_n] * len(xs))

    def backward(self, loss: int) -> None:
        self.tape.backward(loss)

    def param_grads(self, names: Iterable[str]) -> list[float]:
        return self.tape.grad[: self.num_params]


def _tiles_a_range(rows: Sequence[Any]) -> bool:
    """True if the rows are consecutive ranges of one length, as a weight matrix's leaves are."""
    return (
        len(rows) > 0
        and all(type(row) is range and row.step == 1 and len(row) == len(rows[0]) for row in rows)
        and all(a.stop == b.start for a, b in zip(rows, rows[1:]))
    )


# The engines training can run on (FloatOps builds no graph to train through).
ENGINES: dict[str, Callable[[Weights], GraphOps[Any]]] = {"fused": FusedOps, "plain": PlainOps}
