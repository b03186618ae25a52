"""The chain rule on scalars: every Value op against central finite differences."""

import math

import pytest

from microgpt_engine.value import Value

H = 1e-6


def numeric_grad(f, xs):
    grads = []
    for i in range(len(xs)):
        up = list(xs)
        down = list(xs)
        up[i] += H
        down[i] -= H
        grads.append((f(*up) - f(*down)) / (2 * H))
    return grads


def autograd(f, xs):
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, [v.grad for v in vs]


OPS = {
    "add": (lambda a, b: a + b, [0.3, -1.2]),
    "radd": (lambda a, b: 2.5 + a + b * 1, [0.3, -1.2]),
    "sub": (lambda a, b: a - b, [0.3, -1.2]),
    "rsub": (lambda a, b: 1.0 - a * b, [0.3, -1.2]),
    "mul": (lambda a, b: a * b, [0.7, -1.3]),
    "div": (lambda a, b: a / b, [0.7, -1.3]),
    "rdiv": (lambda a, b: 2.0 / a + b, [0.7, -1.3]),
    "pow": (lambda a, b: a**3 + b**-0.5, [0.7, 1.3]),
    "neg": (lambda a, b: -a * b, [0.7, -1.3]),
    "exp": (lambda a, b: (a * b).exp(), [0.7, -1.3]),
    "log": (lambda a, b: (a * b).log(), [0.7, 1.3]),
    "relu_pos": (lambda a, b: (a + b).relu(), [0.7, 1.3]),
    "relu_neg": (lambda a, b: (a - b).relu() + a, [0.7, 1.3]),
    "reuse": (lambda a, b: a * a * b + a, [0.7, -1.3]),
}


def as_float(f):
    def g(*xs):
        out = f(*[Value(x) for x in xs])
        return out.data

    return g


@pytest.mark.parametrize("name", list(OPS))
def test_each_op_gradient_matches_central_differences(name):
    f, xs = OPS[name]
    _, grads = autograd(f, xs)
    expected = numeric_grad(as_float(f), xs)
    for g, e in zip(grads, expected):
        assert g == pytest.approx(e, rel=1e-6, abs=1e-8)


def test_backward_handles_graphs_deeper_than_the_recursion_limit():
    x = Value(1.0)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0


def test_shared_subexpression_accumulates_gradient_from_every_path():
    x = Value(3.0)
    y = x * x + x  # dy/dx = 2x + 1
    y.backward()
    assert x.grad == 7.0
    assert math.isclose(y.data, 12.0)
