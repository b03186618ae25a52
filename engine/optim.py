"""Provides `Adam`: the optimiser, with bias correction and linear decay.

For every parameter p with gradient g, Adam keeps running averages of g (m, the
"momentum") and of g^2 (v, how large g usually is), corrects their bias towards
zero in the first steps, and moves p by -lr * m_hat / (sqrt(v_hat) + eps): a step
of about lr against the direction the gradient has been pointing (not always
against this step's gradient), whatever the gradient's scale. The learning rate
decays linearly toward 0 over the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import add
from typing import Any, TypedDict


class AdamState(TypedDict):
    """What Adam carries from one update to the next (a checkpoint saves it)."""

    m: list[float]
    v: list[float]
    t: int


class Adam:
    def __init__(self, num_params: int, lr: float, beta1: float, beta2: float, eps: float, total_steps: int) -> None:
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.total_steps = total_steps
        self.m = [0.0] * num_params
        self.v = [0.0] * num_params
        self.t = 0  # updates taken so far

    def lr_at(self, step: int) -> float:
        """Linear decay: lr at step 0, approaching 0 at the last step."""
        return self.lr * (1 - step / self.total_steps)

    def update(self, params: Sequence[float], grads: Sequence[float]) -> tuple[list[float], list[float], float]:
        """Returns new parameters and the update applied to each (new - old)."""
        b1, b2, eps = self.beta1, self.beta2, self.eps
        lr_t = self.lr_at(self.t)
        self.t += 1
        # The same float operations as microgpt's loop, one list at a time:
        #   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g**2;
        #   p -= lr_t * (m / (1-b1**t)) / ((v / (1-b2**t))**0.5 + eps).
        # Speed: constants hoisted out of the loops (same values), and the last
        # step is a C-level map(add, ...) since p + (-d) is exactly p - d.
        one_minus_b1, one_minus_b2 = 1 - b1, 1 - b2
        self.m = m = [b1 * mi + one_minus_b1 * g for mi, g in zip(self.m, grads)]
        self.v = v = [b2 * vi + one_minus_b2 * g**2 for vi, g in zip(self.v, grads)]
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        updates = [-(lr_t * (mi / c1) / ((vi / c2) ** 0.5 + eps)) for mi, vi in zip(m, v)]
        return list(map(add, params, updates)), updates, lr_t

    def state(self) -> AdamState:
        # update() builds new lists rather than mutating these, so no copy is needed.
        return {"m": self.m, "v": self.v, "t": self.t}

    def load_state(self, state: Mapping[str, Any]) -> None:
        self.m, self.v, self.t = list(state["m"]), list(state["v"]), int(state["t"])
