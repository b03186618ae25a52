"""Provides `trace_forward`: every intermediate vector of one position's forward pass, on plain floats.

`GPT.forward` (model.py) computes a position's logits; given a `record`
callback, it hands over each vector as it makes it. This module runs it with
the float engine (`FloatOps`) and keeps those vectors, in the order the code
makes them:

    tok_emb, pos_emb, emb_sum, emb_norm,
    per layer i:  layer{i}.attn_norm, .q, .k, .v, .attn_weights, .head_out,
                  .attn_wo, .attn_residual, .mlp_norm, .mlp_fc1, .mlp_relu,
                  .mlp_fc2, .mlp_residual,
    logits, probs.

The names are stable (other views hook into them). The vectors are the ones
model.forward itself computes on floats, so the numbers are the training
forward's to the last bit (a test proves it). The residual stream
(emb_norm and each block's residual) also gets a "logit lens": lm_head
applied to it, softmaxed, top three tokens. microgpt has no final norm before
lm_head, so the lens of the last residual is exactly the model's prediction.

Nothing here runs unless a view asks for it: training never calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import GPT, Ablation
from ..ops import FloatOps, softmax_floats

LENS_TOP = 3  # characters the logit lens names

# What each stage is, by its name within its layer ("layer0.q" -> "q"): GPT.forward names the stages, this
# says what they are.
TITLES = {
    "tok_emb": "token embedding wte[token]",
    "pos_emb": "position embedding wpe[pos]",
    "emb_sum": "their sum",
    "emb_norm": "after RMSNorm: the residual stream",
    "attn_norm": "normed input",
    "q": "query q = wq·x",
    "k": "key k = wk·x",
    "v": "value v = wv·x",
    "attn_weights": "attention weights over positions 0..pos",
    "head_out": "each head's output Σ w·v",
    "attn_wo": "after attn_wo",
    "attn_residual": "residual after attention",
    "mlp_norm": "normed input to the MLP",
    "mlp_fc1": "fc1 (4·n_embd)",
    "mlp_relu": "after ReLU (0: the unit is off at this position)",
    "mlp_fc2": "after fc2",
    "mlp_residual": "residual after the MLP",
    "logits": "logits = lm_head·x",
}
BY_HEAD = {"q", "k", "v", "attn_weights", "head_out"}  # drawn in one part per head
RESIDUAL = {"emb_norm", "attn_residual", "mlp_residual"}  # the residual stream: these get a logit lens


@dataclass(frozen=True)
class Stage:
    """One vector of the forward pass."""

    name: str  # stable id: "emb_sum", "layer0.q", "logits", …
    title: str  # what it is, in a few words
    values: tuple[float, ...]
    layer: int | None = None  # the layer it belongs to (None: before or after the layers)
    groups: int = 1  # split into this many equal parts when drawn (q, k, v, attention and head outputs: heads)
    lens: tuple[tuple[int, float], ...] = ()  # residual stream only: lm_head's top (token, p) from this vector

    @property
    def norm(self) -> float:
        return sum(v * v for v in self.values) ** 0.5

    @property
    def residual(self) -> bool:
        return bool(self.lens)


@dataclass(frozen=True)
class ForwardTrace:
    """The forward pass at one position: its input token, and every stage in order."""

    pos: int
    token: int
    stages: tuple[Stage, ...]
    temperature: float | None = None  # the probs stage is softmax(logits / T) when set (a sample)

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(f"no stage {name!r}; stages: {', '.join(s.name for s in self.stages)}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self.stages)

    @property
    def logits(self) -> tuple[float, ...]:
        return self.stage("logits").values

    @property
    def probs(self) -> tuple[float, ...]:
        return self.stage("probs").values


def stage_names(n_layer: int, attention: bool = True) -> tuple[str, ...]:
    """Every stage name of a model with `n_layer` layers, in order (what `trace_forward` records)."""
    attention_stages = ("attn_norm", "q", "k", "v", "attn_weights", "head_out", "attn_wo", "attn_residual")
    per_layer = (
        *(attention_stages if attention else ()),
        "mlp_norm",
        "mlp_fc1",
        "mlp_relu",
        "mlp_fc2",
        "mlp_residual",
    )
    layers = tuple(f"layer{i}.{name}" for i in range(n_layer) for name in per_layer)
    return ("tok_emb", "pos_emb", "emb_sum", "emb_norm", *layers, "logits", "probs")


def logit_lens(
    lm_head: Sequence[Sequence[float]], x: Sequence[float], top: int = LENS_TOP
) -> tuple[tuple[int, float], ...]:
    """What lm_head would predict from `x`: the `top` most likely tokens and their probabilities."""
    probs = softmax_floats(FloatOps({}).linear(x, lm_head))
    order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))[:top]
    return tuple((i, probs[i]) for i in order)


def trace_forward(
    model: GPT,
    tokens: Sequence[int],
    pos: int,
    ablate: Ablation = frozenset(),
    temperature: float | None = None,
) -> ForwardTrace:
    """Every vector of the forward pass at `pos` of `tokens` (the positions before it fill the KV cache)."""
    if not 0 <= pos < len(tokens):
        raise IndexError(f"position {pos} is outside the {len(tokens)} tokens")
    ops = FloatOps(model.weights)
    keys, values = model.empty_cache()
    for p in range(pos):  # the earlier positions, exactly as evaluation runs them
        model.forward(ops, tokens[p], p, keys, values, ablate=ablate)
    lm_head = ops.matrix("lm_head")
    stages: list[Stage] = []

    def record(name: str, x: Sequence[float]) -> None:
        layer_name, _, short = name.rpartition(".")
        layer = int(layer_name.removeprefix("layer")) if layer_name else None
        groups = model.config.n_head if short in BY_HEAD else 1
        lens = logit_lens(lm_head, x) if short in RESIDUAL else ()
        stages.append(Stage(name, TITLES[short], tuple(x), layer, groups, lens))

    logits = model.forward(ops, tokens[pos], pos, keys, values, ablate=ablate, record=record)
    record("logits", logits)
    if temperature is None:
        probs = softmax_floats(logits)
        stages.append(Stage("probs", "probabilities softmax(logits)", tuple(probs)))
    else:
        inv_t = temperature**-1  # as the sampler divides by the temperature
        probs = softmax_floats([logit * inv_t for logit in logits])
        stages.append(Stage("probs", f"probabilities softmax(logits / {temperature:g})", tuple(probs)))
    return ForwardTrace(pos, tokens[pos], tuple(stages), temperature)
