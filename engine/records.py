"""Provides the plain records the engine hands out: floats, ints, strings and lists.

Whatever renders them (the app, a test, a CSV writer) never sees a `Value` or a
graph, only these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PositionRecord:
    """What the model predicted at one position of a document or sample."""

    pos: int
    token: int  # the input token at this position
    target: int | None  # the true next token (training), or the one sampled
    probs: list[float]  # next-token distribution over the whole vocabulary

    @property
    def p_target(self) -> float | None:
        return None if self.target is None else self.probs[self.target]


@dataclass
class ParamStats:
    """Summary of one weight matrix after a training step."""

    name: str
    rows: int
    cols: int
    mean: float
    std: float
    min: float
    max: float
    grad_norm: float  # L2 norm of d(loss)/d(matrix) for this step
    update_ratio: float  # std of Adam's update / std of the weights after it (under Adam: up to about lr_t / std)
    m_mean_abs: float  # mean |m|: Adam's running average of the gradient
    v_mean_sqrt: float  # sqrt(mean v): typical gradient size Adam divides by
    update_norm: float = 0.0  # L2 norm of this step's update Δ = new - old weights
    update_max: float = 0.0  # the largest single change (signed), max |Δ| over the matrix


@dataclass
class StepRecord:
    """Everything one training step did, as plain data."""

    step: int  # 1-based: this was the step-th update
    total_steps: int
    doc: str
    tokens: list[int]  # [BOS] + doc + [BOS], cropped to the block size + 1
    labels: list[str]  # a printable label per token
    loss: float  # mean cross-entropy before the update
    lr: float  # learning rate used for this update
    positions: list[PositionRecord]
    attention: list[list[list[list[float]]]]  # [layer][head][query] -> weights over keys 0..query
    params: list[ParamStats]
    graph_nodes: int = 0
    ms: float = 0.0
    loss_after: float | None = None  # same document, after the update
    after: EvalRecord | None = None  # with loss_after: the whole evaluation after the update
    diverged: bool = False  # loss or weights not finite: update not applied


@dataclass
class EvalRecord:
    """A forward pass with no graph and no update: loss, predictions, attention."""

    tokens: list[int]
    labels: list[str]
    loss: float
    positions: list[PositionRecord]
    attention: list[list[list[list[float]]]]  # [layer][head][query] -> weights


@dataclass
class SampleRecord:
    """One generated character: what the model saw, weighed and chose."""

    pos: int
    token: int  # input token at this position
    probs: list[float]  # after temperature
    chosen: int
    label: str  # printable label of the chosen token
    attention: list[list[list[float]]]  # [layer][head] -> weights over keys 0..pos
    done: bool  # chose BOS or reached the block size
    text: str = ""  # the sample so far, without BOS
    forced: bool = False  # chosen by the learner, not drawn
    temperature: float = 1.0  # the temperature `probs` were computed at (it may change between characters)
