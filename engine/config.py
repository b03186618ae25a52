"""Provides `Config`: every hyperparameter of the model, the optimiser and sampling.

The defaults are microgpt's. `validate()` turns a bad value into one clear
sentence (`ConfigError`) before anything is allocated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

# Refuse models whose training step would not fit in memory. The fused graph
# holds about two edges (a child id and a float local derivative, ~40 bytes
# each) per parameter per position.
BYTES_PER_PARAM_POSITION = 80
BYTES_PER_EDGE = 40
PLAIN_FACTOR = 8
MAX_STEP_BYTES = 4 * 1024**3
# Beyond this a pure-Python step takes minutes, and a checkpoint would be huge.
MAX_PARAMS = 1_000_000
# Every whole-number setting stays below this (10^15 steps would take millennia): a size or a count
# of thousands of digits, typed or read from a checkpoint, overflows the float arithmetic that checks it.
MAX_WHOLE = 10**15


def _digits(value: int) -> str:
    """A whole number as a message shows it: itself, or its count of digits when it is long."""
    return f"{value:,}" if abs(value) < 10**24 else f"a number of {len(str(abs(value))):,} digits"


class ConfigError(ValueError):
    """A hyperparameter that cannot work; the message says which and why."""


@dataclass(frozen=True)
class Config:
    n_embd: int = 16  # width of every vector in the residual stream
    n_head: int = 4  # attention heads per layer; each sees n_embd // n_head dims
    n_layer: int = 1  # Transformer blocks (0: the embeddings go straight into lm_head)
    block_size: int = 16  # longest context, in tokens
    steps: int = 1000  # training steps; the learning rate decays to 0 over them
    lr: float = 0.01
    beta1: float = 0.85
    beta2: float = 0.99
    eps: float = 1e-8
    seed: int = 42
    temperature: float = 0.5
    init_std: float = 0.08
    attention: bool = True  # False: each block keeps only its MLP (what attention adds, by its absence)

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    def validate(self) -> Config:
        for name in ("n_embd", "n_head", "n_layer", "block_size", "steps"):
            value = getattr(self, name)
            # n_layer 0 is a model too: the embeddings straight into lm_head (what a block adds, by its absence).
            least = 0 if name == "n_layer" else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                zero = " (or 0)" if least == 0 else ""
                raise ConfigError(f"{name} must be a positive whole number{zero}, got {value!r}")
            if value > MAX_WHOLE:
                raise ConfigError(f"{name} must be at most {MAX_WHOLE:,}, got {_digits(value)}")
        if not isinstance(self.attention, bool):
            raise ConfigError(f"attention must be true or false, got {self.attention!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ConfigError(f"seed must be a whole number, got {self.seed!r}")
        if abs(self.seed) > MAX_WHOLE:
            raise ConfigError(f"seed must be from -{MAX_WHOLE:,} to {MAX_WHOLE:,}, got {_digits(self.seed)}")
        if self.n_embd % self.n_head:
            raise ConfigError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if self.block_size < 2:
            raise ConfigError(f"block_size must be at least 2 (one token in, one to predict), got {self.block_size}")
        for name in ("lr", "beta1", "beta2", "eps", "temperature", "init_std"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value == value:
                raise ConfigError(f"{name} must be a number, got {value!r}")
            try:
                float(value)  # a whole number too large for a float (e.g. 10**400 from JSON)
            except OverflowError:
                raise ConfigError(f"{name} is too large, got a number of {len(str(value))} digits") from None
        if not 0 < self.lr < float("inf"):
            raise ConfigError(f"lr must be greater than 0, got {self.lr}")
        if not 0 < self.temperature < float("inf"):
            raise ConfigError(f"temperature must be greater than 0, got {self.temperature}")
        if not math.isfinite(1 / self.temperature):  # logits are multiplied by 1/T
            raise ConfigError(f"temperature {self.temperature} is too small to divide by")
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1):
            raise ConfigError(f"beta1 and beta2 must be in [0, 1), got {self.beta1} and {self.beta2}")
        if not 0 < self.eps < 1:
            raise ConfigError(f"eps must be in (0, 1), got {self.eps}")
        if not 0 < self.init_std < float("inf"):
            raise ConfigError(f"init_std must be greater than 0, got {self.init_std}")
        return self

    def param_count(self, vocab_size: int) -> int:
        n = self.n_embd
        per_layer = (4 * n * n if self.attention else 0) + 2 * 4 * n * n
        return 2 * vocab_size * n + self.block_size * n + self.n_layer * per_layer

    def step_bytes(self, vocab_size: int, engine: str = "fused") -> int:
        """Rough memory of one training step's graph.

        Weights: ~2 edges per parameter per position. Attention: each softmax
        output at position t has t children, so a head holds ~T^3/3 edges over a
        document of T positions. The plain engine keeps a `Value` object per
        scalar, about 8 times the fused graph (measured at the default size).
        """
        t = self.block_size
        edges = BYTES_PER_PARAM_POSITION * self.param_count(vocab_size) * t
        edges += BYTES_PER_EDGE * self.n_layer * self.n_head * t**3 // 3 if self.attention else 0
        return edges * (PLAIN_FACTOR if engine == "plain" else 1)

    def check_size(self, vocab_size: int, engine: str = "fused") -> None:
        """Refuse sizes that would exhaust memory or take minutes a step, saying what they would need."""
        count = self.param_count(vocab_size)
        need = self.step_bytes(vocab_size, engine)
        if count > MAX_PARAMS or need > MAX_STEP_BYTES:
            raise ConfigError(
                f"a model of {count:,} parameters with block size {self.block_size} "
                f"would need about {need / 1024**3:,.1f} GB per training step (the limits are "
                f"{MAX_PARAMS:,} parameters and {MAX_STEP_BYTES / 1024**3:.0f} GB); "
                f"choose a smaller n_embd, n_layer or block_size"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Config:
        names = {f.name for f in fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ConfigError(f"unknown config fields: {', '.join(sorted(unknown))}")
        return cls(**d).validate()
