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
"""

import math

from .tape import Tape
from .value import Value

RMS_EPS = 1e-5


def dot(a, b):
    """Sum of products, left to right (builtin sum() may compensate on 3.12+)."""
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total


def softmax_floats(logits):
    """Softmax exactly as microgpt computes it: shift by the max, exp, normalise."""
    max_val = max(logits)
    exps = [math.exp(v - max_val) for v in logits]
    total = 0.0
    for e in exps:
        total += e
    inv = total**-1
    return [e * inv for e in exps]


def neg_log(p):
    """-log p, as microgpt's -(p.log()); a probability that underflowed to 0 costs inf."""
    return math.log(p) * -1 if p > 0 else math.inf


def rms_scale(xs):
    """(mean(x^2) + eps) ** -0.5, with microgpt's operation order."""
    ms = dot(xs, xs) * len(xs) ** -1
    return (ms + RMS_EPS) ** -0.5


class FloatOps:
    """No graph: every scalar is a float."""

    def __init__(self, weights):
        self.weights = weights  # name -> list of rows of floats

    def matrix(self, name):
        return self.weights[name]

    @staticmethod
    def data(x):
        return x

    def add(self, a, b):
        return [x + y for x, y in zip(a, b)]

    def rmsnorm(self, x):
        s = rms_scale(x)
        return [xi * s for xi in x]

    def linear(self, x, w):
        return [dot(row, x) for row in w]

    def dot(self, a, b):
        return dot(a, b)

    def scale(self, a, c):
        return a * c

    def zeros(self, n):
        return [0.0] * n

    def softmax(self, logits):
        return softmax_floats(logits)

    def relu(self, x):
        return [xi if xi > 0 else 0.0 for xi in x]

    def cross_entropy(self, logits, target):
        probs = softmax_floats(logits)
        return neg_log(probs[target]), probs

    def mean(self, xs):
        total = 0.0
        for x in xs:
            total += x
        return total * (1 / len(xs))


class PlainOps:
    """The textbook: `Value` nodes, built from binary operations as in microgpt."""

    def __init__(self, weights):
        # Fresh leaves for this forward pass; grads land on them.
        self.leaves = {name: [[Value(w, op="param") for w in row] for row in rows] for name, rows in weights.items()}

    def matrix(self, name):
        return self.leaves[name]

    @staticmethod
    def data(x):
        return x.data

    def add(self, a, b):
        return [x + y for x, y in zip(a, b)]

    def rmsnorm(self, x):
        ms = sum(xi * xi for xi in x) / len(x)
        scale = (ms + RMS_EPS) ** -0.5
        return [xi * scale for xi in x]

    def linear(self, x, w):
        return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]

    def dot(self, a, b):
        return sum(x * y for x, y in zip(a, b))

    def scale(self, a, c):
        return a * c

    def zeros(self, n):
        return [Value(0.0, op="ablated") for _ in range(n)]

    def softmax(self, logits):
        max_val = max(val.data for val in logits)
        exps = [(val - max_val).exp() for val in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def relu(self, x):
        return [xi.relu() for xi in x]

    def cross_entropy(self, logits, target):
        probs = self.softmax(logits)
        return -probs[target].log(), [p.data for p in probs]

    def mean(self, xs):
        return (1 / len(xs)) * sum(xs)

    def backward(self, loss):
        loss.backward()

    def param_grads(self, names):
        return [v.grad for name in names for row in self.leaves[name] for v in row]


class FusedOps:
    """The same graph on a flat `Tape`, with fused n-ary nodes."""

    def __init__(self, weights):
        # Parameters are the first leaves, matrix by matrix, row by row.
        flat = [w for rows in weights.values() for row in rows for w in row]
        self.tape = Tape(flat, op="param")
        self.num_params = len(flat)
        self.leaves, offset = {}, 0
        for name, rows in weights.items():
            cols = len(rows[0])
            self.leaves[name] = [range(offset + r * cols, offset + (r + 1) * cols) for r in range(len(rows))]
            offset += len(rows) * cols

    def matrix(self, name):
        return self.leaves[name]

    def data(self, i):
        return self.tape.data[i]

    def add(self, a, b):
        node, data = self.tape.node, self.tape.data
        return [node(data[x] + data[y], "+", (x, y), (1.0, 1.0)) for x, y in zip(a, b)]

    def rmsnorm(self, x):
        # One node for the scale s = (mean(x^2) + eps)^-0.5, with
        # ds/dx_j = -0.5 (ms + eps)^-1.5 * 2 x_j / n; then y_i = x_i * s.
        tape = self.tape
        xs = [tape.data[i] for i in x]
        n = len(xs)
        ms = dot(xs, xs) * n**-1
        s = (ms + RMS_EPS) ** -0.5
        ds_dx = -0.5 * (ms + RMS_EPS) ** -1.5 * 2 / n
        s_id = tape.node(s, "rms_scale", x, [ds_dx * xj for xj in xs])
        return [tape.node(xj * s, "*", (i, s_id), (s, xj)) for i, xj in zip(x, xs)]

    def dot(self, a, b):
        # d(sum a_k b_k)/d a_k = b_k and d/d b_k = a_k.
        data = self.tape.data
        da = [data[i] for i in a]
        db = [data[i] for i in b]
        return self.tape.node(dot(da, db), "dot", [*a, *b], db + da)

    def linear(self, x, w):
        # One dot-product node per output row.
        data, node = self.tape.data, self.tape.node
        xs = [data[i] for i in x]
        x = list(x)
        out = []
        for row in w:
            ws = data[row.start : row.stop]
            out.append(node(dot(ws, xs), "dot", [*row, *x], xs + ws))
        return out

    def scale(self, a, c):
        return self.tape.node(self.tape.data[a] * c, "*", (a,), (c,))

    def zeros(self, n):
        return [self.tape.leaf(0.0, "ablated") for _ in range(n)]

    def softmax(self, logits):
        # p_i = exp(z_i) / sum_j exp(z_j);  dp_i/dz_j = p_i (delta_ij - p_j).
        probs = softmax_floats([self.tape.data[i] for i in logits])
        node = self.tape.node
        return [
            node(p, "softmax", logits, [p * ((i == j) - pj) for j, pj in enumerate(probs)])
            for i, p in enumerate(probs)
        ]

    def relu(self, x):
        data, node = self.tape.data, self.tape.node
        return [node(data[i] if data[i] > 0 else 0.0, "relu", (i,), (float(data[i] > 0),)) for i in x]

    def cross_entropy(self, logits, target):
        # -log softmax(z)[t];  d/dz_j = p_j - [j == t].
        probs = softmax_floats([self.tape.data[i] for i in logits])
        loss = neg_log(probs[target])
        local = [p - (j == target) for j, p in enumerate(probs)]
        return self.tape.node(loss, "cross_entropy", logits, local), probs

    def mean(self, xs):
        data = self.tape.data
        total = 0.0
        for i in xs:
            total += data[i]
        inv_n = 1 / len(xs)
        return self.tape.node(total * inv_n, "mean", xs, [inv_n] * len(xs))

    def backward(self, loss):
        self.tape.backward(loss)

    def param_grads(self, names):
        return self.tape.grad[: self.num_params]


ENGINES = {"fused": FusedOps, "plain": PlainOps}
