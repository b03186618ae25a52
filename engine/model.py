"""Provides `GPT`: the parameters and the forward pass of a tiny Transformer.

The architecture is microgpt's (GPT-2 with small simplifications): token and
position embeddings, RMSNorm instead of LayerNorm, no biases, multi-head causal
self-attention with a KV cache, a ReLU MLP, residual connections, and a
separate output matrix (lm_head). The forward pass runs one token at a time,
so "causal" needs no mask: a position can only attend to the keys already in
the cache.

The forward pass is written once, against `ops` (see ops.py), so the very same
lines run on `Value` nodes, on the fused tape, or on plain floats.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable, Sequence
from itertools import chain
from typing import Any

from .config import Config
from .ops import Ops, S, Weights

# (layer, head) pairs whose output is zeroed; head None means every head of the layer.
Ablation = Collection[tuple[int, int | None]]
# For each layer, the keys (or the values) of the positions seen so far.
KVCache = list[list[Sequence[S]]]
# Called with each stage's name and vector as the forward pass makes it ("tok_emb", "layer0.q", …; the logits
# are what forward returns).
Recorder = Callable[[str, Sequence[S]], None]


class GPT:
    def __init__(
        self, config: Config, vocab_size: int, rng: random.Random | None = None, weights: Weights | None = None
    ) -> None:
        self.config = config
        self.vocab_size = vocab_size
        self.shapes = self.matrix_shapes(config, vocab_size)
        if weights is None:
            if rng is None:
                raise TypeError("GPT needs either weights or an rng to draw them from")
            weights = self.init_weights(rng)
        self.weights = weights  # name -> list of rows of floats

    @staticmethod
    def matrix_shapes(config: Config, vocab_size: int) -> dict[str, tuple[int, int]]:
        """Every weight matrix as name -> (rows, cols), in initialisation order."""
        n = config.n_embd
        shapes = {"wte": (vocab_size, n), "wpe": (config.block_size, n), "lm_head": (vocab_size, n)}
        for i in range(config.n_layer):
            if config.attention:
                shapes[f"layer{i}.attn_wq"] = (n, n)
                shapes[f"layer{i}.attn_wk"] = (n, n)
                shapes[f"layer{i}.attn_wv"] = (n, n)
                shapes[f"layer{i}.attn_wo"] = (n, n)
            shapes[f"layer{i}.mlp_fc1"] = (4 * n, n)
            shapes[f"layer{i}.mlp_fc2"] = (n, 4 * n)
        return shapes

    def init_weights(self, rng: random.Random) -> Weights:
        # Gaussian noise, drawn in this exact order, is what makes a seed reproducible.
        std = self.config.init_std
        return {
            name: [[rng.gauss(0, std) for _ in range(cols)] for _ in range(rows)]
            for name, (rows, cols) in self.shapes.items()
        }

    @property
    def num_params(self) -> int:
        return sum(rows * cols for rows, cols in self.shapes.values())

    def flat_weights(self) -> list[float]:
        # (C-level chaining: a training step calls this once, a third faster than a nested comprehension)
        return list(chain.from_iterable(chain.from_iterable(self.weights.values())))

    def set_flat_weights(self, flat: Iterable[float]) -> None:
        # Each row takes its slice: a training step calls this once, a fifth of the time of next() per weight.
        values = flat if isinstance(flat, Sequence) else list(flat)
        if len(values) != self.num_params:
            raise ValueError(f"{len(values)} weights for a model of {self.num_params}")
        start = 0
        for rows in self.weights.values():
            for row in rows:
                end = start + len(row)
                row[:] = values[start:end]
                start = end

    def empty_cache(self) -> tuple[KVCache[Any], KVCache[Any]]:
        """The KV cache: for each layer, the keys and values seen so far."""
        return [[] for _ in range(self.config.n_layer)], [[] for _ in range(self.config.n_layer)]

    def forward(
        self,
        ops: Ops[S],
        token_id: int,
        pos_id: int,
        keys: KVCache[S],
        values: KVCache[S],
        attention: list[list[list[float]]] | None = None,
        ablate: Ablation = frozenset(),
        record: Recorder[S] | None = None,
    ) -> Sequence[S]:
        """Logits for the token after `token_id` at position `pos_id`.

        `attention`, if given, receives one row per (layer, head): the weights
        this query puts on each cached key, as floats. `ablate` holds
        (layer, head) pairs (head None = every head) whose output is zeroed.
        `record`, if given, is called with each intermediate vector as it is
        made (insight/forward_trace.py lists the names); training passes none.
        """
        cfg = self.config
        tok, pe = ops.matrix("wte")[token_id], ops.matrix("wpe")[pos_id]
        x = ops.add(tok, pe)
        if record:
            record("tok_emb", tok)
            record("pos_emb", pe)
            record("emb_sum", x)
        x = ops.rmsnorm(x)
        if record:
            record("emb_norm", x)
        for li in range(cfg.n_layer):
            if cfg.attention:
                x = self._attention(ops, x, li, keys, values, attention, ablate, record)
                if record:
                    record(f"layer{li}.attn_residual", x)
            # 2) MLP: think about what was gathered, one position at a time.
            x_residual = x
            x = ops.rmsnorm(x)
            if record:
                record(f"layer{li}.mlp_norm", x)
            x = ops.linear(x, ops.matrix(f"layer{li}.mlp_fc1"))
            if record:
                record(f"layer{li}.mlp_fc1", x)
            x = ops.relu(x)
            if record:
                record(f"layer{li}.mlp_relu", x)
            x = ops.linear(x, ops.matrix(f"layer{li}.mlp_fc2"))
            if record:
                record(f"layer{li}.mlp_fc2", x)
            x = ops.add(x, x_residual)
            if record:
                record(f"layer{li}.mlp_residual", x)
        return ops.linear(x, ops.matrix("lm_head"))

    def _attention(
        self,
        ops: Ops[S],
        x: Sequence[S],
        li: int,
        keys: KVCache[S],
        values: KVCache[S],
        attention: list[list[list[float]]] | None,
        ablate: Ablation,
        record: Recorder[S] | None,
    ) -> Sequence[S]:
        """1) Multi-head attention of layer `li`: each position looks back at the ones before it."""
        cfg = self.config
        head_dim = cfg.head_dim
        inv_sqrt_d = (head_dim**0.5) ** -1  # as Value's "/ head_dim**0.5" computes it
        x_residual = x
        x = ops.rmsnorm(x)
        q = ops.linear(x, ops.matrix(f"layer{li}.attn_wq"))
        k = ops.linear(x, ops.matrix(f"layer{li}.attn_wk"))
        v = ops.linear(x, ops.matrix(f"layer{li}.attn_wv"))
        if record:
            record(f"layer{li}.attn_norm", x)
            record(f"layer{li}.q", q)
            record(f"layer{li}.k", k)
            record(f"layer{li}.v", v)
        keys[li].append(k)
        values[li].append(v)
        x_attn: list[S] = []
        weights_by_head: list[S] = []  # (kept only for `record`)
        layer_rows: list[list[float]] = []
        for h in range(cfg.n_head):
            hs = h * head_dim
            q_h = q[hs : hs + head_dim]
            k_h = [ki[hs : hs + head_dim] for ki in keys[li]]
            v_h = [vi[hs : hs + head_dim] for vi in values[li]]
            attn_logits = [ops.scale(ops.dot(q_h, k_t), inv_sqrt_d) for k_t in k_h]
            attn_weights = ops.softmax(attn_logits)
            layer_rows.append([ops.data(w) for w in attn_weights])
            if record:
                weights_by_head.extend(attn_weights)
            if (li, h) in ablate or (li, None) in ablate:
                head_out = ops.zeros(head_dim)
            else:
                head_out = [ops.dot(attn_weights, [v_t[j] for v_t in v_h]) for j in range(head_dim)]
            x_attn.extend(head_out)
        if attention is not None:
            attention.append(layer_rows)
        x = ops.linear(x_attn, ops.matrix(f"layer{li}.attn_wo"))
        if record:
            record(f"layer{li}.attn_weights", weights_by_head)
            record(f"layer{li}.head_out", x_attn)
            record(f"layer{li}.attn_wo", x)
        return ops.add(x, x_residual)
