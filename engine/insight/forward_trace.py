"""Provides `trace_forward`: every intermediate vector of one position's forward pass, on plain floats.

`GPT.forward` (model.py) computes a position's logits and keeps nothing in
between. This module walks the same lines with the float engine (`FloatOps`)
and records each vector as it is made, in the order the code makes it:

    tok_emb, pos_emb, emb_sum, emb_norm,
    per layer i:  layer{i}.attn_norm, .q, .k, .v, .attn_weights, .head_out,
                  .attn_wo, .attn_residual, .mlp_norm, .mlp_fc1, .mlp_relu,
                  .mlp_fc2, .mlp_residual,
    logits, probs.

The names are stable (other views hook into them). Every operation is the
float engine's own, called in model.forward's order, so the numbers are the
training forward's to the last bit (a test proves it). The residual stream
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
    return _traced(model, ops, tokens[pos], pos, keys, values, ablate, temperature)


def _traced(
    model: GPT,
    ops: FloatOps,
    token_id: int,
    pos_id: int,
    keys: list[list[Sequence[float]]],
    values: list[list[Sequence[float]]],
    ablate: Ablation,
    temperature: float | None,
) -> ForwardTrace:
    """model.forward's lines, in its order, with each vector recorded (keep the two in step)."""
    cfg = model.config
    head_dim, n_head = cfg.head_dim, cfg.n_head
    inv_sqrt_d = (head_dim**0.5) ** -1
    lm_head = ops.matrix("lm_head")
    stages: list[Stage] = []

    def record(name: str, title: str, x: Sequence[float], layer: int | None = None, groups: int = 1) -> None:
        stages.append(Stage(name, title, tuple(x), layer, groups))

    def residual(name: str, title: str, x: Sequence[float], layer: int | None = None) -> None:
        stages.append(Stage(name, title, tuple(x), layer, 1, logit_lens(lm_head, x)))

    tok, pe = ops.matrix("wte")[token_id], ops.matrix("wpe")[pos_id]
    record("tok_emb", "token embedding wte[token]", tok)
    record("pos_emb", "position embedding wpe[pos]", pe)
    x = ops.add(tok, pe)
    record("emb_sum", "their sum", x)
    x = ops.rmsnorm(x)
    residual("emb_norm", "after RMSNorm: the residual stream", x)
    for li in range(cfg.n_layer):
        if cfg.attention:  # as forward: a model without attention keeps only its MLPs
            x_residual = x
            x = ops.rmsnorm(x)
            record(f"layer{li}.attn_norm", "normed input", x, li)
            q = ops.linear(x, ops.matrix(f"layer{li}.attn_wq"))
            k = ops.linear(x, ops.matrix(f"layer{li}.attn_wk"))
            v = ops.linear(x, ops.matrix(f"layer{li}.attn_wv"))
            record(f"layer{li}.q", "query q = wq·x", q, li, n_head)
            record(f"layer{li}.k", "key k = wk·x", k, li, n_head)
            record(f"layer{li}.v", "value v = wv·x", v, li, n_head)
            keys[li].append(k)
            values[li].append(v)
            x_attn: list[float] = []
            weights_by_head: list[float] = []
            for h in range(n_head):
                hs = h * head_dim
                q_h = q[hs : hs + head_dim]
                k_h = [ki[hs : hs + head_dim] for ki in keys[li]]
                v_h = [vi[hs : hs + head_dim] for vi in values[li]]
                attn_logits = [ops.scale(ops.dot(q_h, k_t), inv_sqrt_d) for k_t in k_h]
                attn_weights = ops.softmax(attn_logits)
                weights_by_head += attn_weights
                if (li, h) in ablate or (li, None) in ablate:
                    head_out = ops.zeros(head_dim)
                else:
                    head_out = [ops.dot(attn_weights, [v_t[j] for v_t in v_h]) for j in range(head_dim)]
                x_attn.extend(head_out)
            record(f"layer{li}.attn_weights", "attention weights over positions 0..pos", weights_by_head, li, n_head)
            record(f"layer{li}.head_out", "each head's output Σ w·v", x_attn, li, n_head)
            x = ops.linear(x_attn, ops.matrix(f"layer{li}.attn_wo"))
            record(f"layer{li}.attn_wo", "after attn_wo", x, li)
            x = ops.add(x, x_residual)
            residual(f"layer{li}.attn_residual", "residual after attention", x, li)
        x_residual = x
        x = ops.rmsnorm(x)
        record(f"layer{li}.mlp_norm", "normed input to the MLP", x, li)
        x = ops.linear(x, ops.matrix(f"layer{li}.mlp_fc1"))
        record(f"layer{li}.mlp_fc1", "fc1 (4·n_embd)", x, li)
        x = ops.relu(x)
        record(f"layer{li}.mlp_relu", "after ReLU (0: the unit is off at this position)", x, li)
        x = ops.linear(x, ops.matrix(f"layer{li}.mlp_fc2"))
        record(f"layer{li}.mlp_fc2", "after fc2", x, li)
        x = ops.add(x, x_residual)
        residual(f"layer{li}.mlp_residual", "residual after the MLP", x, li)
    logits = ops.linear(x, lm_head)
    record("logits", "logits = lm_head·x", logits)
    if temperature is None:
        probs = softmax_floats(logits)
        record("probs", "probabilities softmax(logits)", probs)
    else:
        inv_t = temperature**-1  # as the sampler divides by the temperature
        probs = softmax_floats([logit * inv_t for logit in logits])
        record("probs", f"probabilities softmax(logits / {temperature:g})", probs)
    return ForwardTrace(pos_id, token_id, tuple(stages), temperature)
