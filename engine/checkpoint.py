"""Provides checkpoints: a trainer's whole state as JSON, written atomically.

A checkpoint holds the config, the vocabulary, every weight, Adam's m and v,
the step and the RNG state, so that save + load + continue gives exactly the
numbers of an uninterrupted run. A checkpoint is untrusted input: it is only
ever parsed as JSON (never pickle, never eval), and every size is checked
against the config before anything is allocated.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeGuard, cast

from .config import MAX_PARAMS, Config, ConfigError
from .model import GPT
from .ops import Weights
from .optim import AdamState
from .paths import PathError, read_capped, write_atomically
from .tokenizer import Tokenizer

if TYPE_CHECKING:  # for the annotations only; restore() imports it when it runs
    from .train import Trainer

FORMAT = "microgpt-tui-checkpoint"
# Optional keys a checkpoint may carry besides the trainer's state (the app's run: its loss history,
# name and samples). A checkpoint without them loads as before; they are handed over unparsed.
EXTRA_KEYS = ("history", "run")
VERSION = 1
# A checkpoint of the largest model the size check allows (MAX_PARAMS weights,
# plus Adam's m and v, ~25 bytes of JSON each) is about 75 MB.
MAX_BYTES = 128 * 1024 * 1024


class CheckpointError(Exception):
    """A checkpoint that cannot be written or used; the message is one line."""


def data_fingerprint(docs: Collection[str]) -> dict[str, Any]:
    """Identifies a dataset (order-independent) so a mismatch can be reported."""
    digest = hashlib.sha256("\n".join(sorted(docs)).encode()).hexdigest()
    return {"count": len(docs), "sha256": digest}


def save_checkpoint(trainer: Trainer, path: str | os.PathLike[str], extra: Mapping[str, Any] | None = None) -> Path:
    """Write `trainer`'s state to `path`: a temp file beside it, then os.replace (paths.write_atomically),
    so a failure or a kill part-way leaves any previous file intact. `extra`: EXTRA_KEYS to carry along."""
    path = Path(path)
    state: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "config": trainer.config.to_dict(),
        "vocab": trainer.tokenizer.chars,
        "step": trainer.step_count,
        "weights": trainer.model.weights,
        "adam": trainer.optimizer.state(),
        "rng": _rng_to_json(trainer.rng.getstate()),
        "data": data_fingerprint(trainer.docs),
    }
    state.update({key: value for key, value in (extra or {}).items() if key in EXTRA_KEYS})
    try:
        # allow_nan=False: a checkpoint only ever holds finite numbers (strict JSON). dumps, not dump: only
        # the one-shot encoder is the C one (json.dump encodes in Python, twice as slow on a long run's curve).
        text = json.dumps(state, separators=(",", ":"), allow_nan=False)

        def write(f: IO[str]) -> None:
            f.write(text)

        write_atomically(path, write)
    except PathError as e:
        raise CheckpointError(str(e).replace("cannot write", "cannot save to", 1)) from None
    except ValueError:
        raise CheckpointError(f"cannot save to {path}: the state holds numbers that are not finite") from None
    return path


@dataclass
class Checkpoint:
    """A validated checkpoint, before it is turned back into a trainer."""

    path: Path
    config: Config
    vocab: list[str]
    step: int
    weights: Weights
    adam: AdamState
    rng: tuple[Any, ...]  # random.Random.getstate()
    data: dict[str, Any]  # data_fingerprint() of the training documents
    extra: dict[str, Any] = field(default_factory=dict)  # the EXTRA_KEYS it carries, unparsed

    def restore(self, docs: Collection[str]) -> Trainer:
        """A Trainer on `docs` in exactly the saved state."""
        from .train import Trainer

        data_vocab = Tokenizer.from_documents(docs).chars
        if data_vocab != self.vocab:
            raise CheckpointError(
                f"{self.path}: its vocabulary ({_describe_vocab(self.vocab)}) does not match "
                f"the data's ({_describe_vocab(data_vocab)})"
            )
        trainer = Trainer(docs, self.config)
        trainer.model.weights = self.weights
        trainer.optimizer.load_state(self.adam)
        trainer.step_count = self.step
        trainer.rng.setstate(self.rng)
        return trainer

    def sampler_parts(self) -> tuple[GPT, Tokenizer, random.Random]:
        """(model, tokenizer, rng) for sampling without the training data."""
        rng = random.Random()
        rng.setstate(self.rng)
        model = GPT(self.config, len(self.vocab) + 1, weights=self.weights)
        return model, Tokenizer(self.vocab), rng

    def same_data(self, docs: Collection[str]) -> bool:
        return data_fingerprint(docs) == self.data


def load_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Read and validate a checkpoint; every problem is one CheckpointError line."""
    path = Path(path)
    raw = read_capped(
        path,
        MAX_BYTES,
        CheckpointError,
        missing="no such checkpoint",
        directory="is a directory, not a checkpoint",
        too_large=f"more than {MAX_BYTES:,} bytes is too large for a checkpoint",
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckpointError(f"{path}: not a checkpoint (not UTF-8 JSON)") from None
    del raw  # the text is all the parser needs: one copy of the file in memory, not two
    too_many = _too_many_values(text)
    if too_many:
        raise CheckpointError(f"{path}: not a valid checkpoint (far more {too_many} than any model has)")
    try:
        state = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise CheckpointError(f"{path}: not a valid checkpoint (nested too deeply)") from None
    except (json.JSONDecodeError, ValueError) as e:
        raise CheckpointError(f"{path}: not a checkpoint or truncated (invalid JSON: {e})") from None
    try:
        return _validate(path, state)
    except ConfigError as e:
        raise CheckpointError(f"{path}: bad config: {e}") from None


# Counted in the text before parsing, these bound what the parser allocates
# whatever JSON the file holds: a dict or a list costs ~60 bytes for its 2-3
# bytes of text, so 100 MB of `{}` would otherwise become 33 million dicts
# (about 3 GB). The largest model's checkpoint holds a handful of objects, a
# list per weight row, a string per vocabulary character and ~3 numbers per
# weight; the ceilings leave room for a run's history beside them.
MAX_OBJECTS = 100_000  # at most ~20 MB of dicts
MAX_LISTS = MAX_PARAMS + 100_000  # ~70 MB of lists
MAX_STRINGS = MAX_PARAMS + 100_000  # ~70 MB of short strings
MAX_VALUES = 4 * MAX_PARAMS + 100_000  # ~130 MB of floats


def history_room(n_params: int, values_per_row: int) -> int:
    """How many rows of a run's history a checkpoint of a model of `n_params` weights can carry and still
    load: the ceilings above and MAX_BYTES, less what the model's state takes (its weights and Adam's m
    and v: three values each, ~26 bytes of JSON a value at most)."""
    per_row = values_per_row + 2
    values = MAX_VALUES - 3 * n_params - 100_000
    size = MAX_BYTES - 3 * 26 * n_params - 1_000_000
    return max(0, min(values // per_row, size // (26 * per_row)))


def _too_many_values(text: str) -> str | None:
    """What the text holds more of than any checkpoint could (objects, lists, strings, values), or None."""
    if text.count("{") > MAX_OBJECTS:
        return "objects"
    if text.count("[") > MAX_LISTS:
        return "lists"
    if text.count('"') > 2 * MAX_STRINGS + 2 * MAX_OBJECTS * 16:  # keys are strings too
        return "strings"
    if text.count(",") > MAX_VALUES:
        return "values"
    return None


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a finite number")


def _validate(path: Path, state: Any) -> Checkpoint:
    def bad(what: str) -> CheckpointError:
        return CheckpointError(f"{path}: not a valid checkpoint ({what})")

    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise bad("missing the microgpt-tui format marker")
    if not _is_int(state.get("version")) or state["version"] != VERSION:  # (`true` == 1 in Python: not a version)
        raise CheckpointError(
            f"{path}: checkpoint format version {state.get('version')!r} is not supported (this is version {VERSION})"
        )
    for key in ("config", "vocab", "step", "weights", "adam", "rng", "data"):
        if key not in state:
            raise bad(f"no {key!r}")
    if not isinstance(state["config"], dict):
        raise bad("config is not an object")
    config = Config.from_dict(state["config"])
    vocab = state["vocab"]
    if not isinstance(vocab, list) or not all(isinstance(c, str) and len(c) == 1 for c in vocab):
        raise bad("vocab is not a list of characters")
    if len(set(vocab)) != len(vocab) or vocab != sorted(vocab):
        raise bad("vocab is not sorted and unique")
    config.check_size(len(vocab) + 1)  # before allocating anything of that size
    step = state["step"]
    if not _is_int(step) or not 0 <= step <= config.steps:
        raise bad(f"step {step!r} is not between 0 and {config.steps}")
    shapes = GPT.matrix_shapes(config, len(vocab) + 1)
    weights = state["weights"]
    if not isinstance(weights, dict) or list(weights) != list(shapes):
        raise bad("weights do not name the model's matrices in order")
    for name, (rows, cols) in shapes.items():
        matrix = weights[name]
        if not isinstance(matrix, list) or len(matrix) != rows:
            raise bad(f"{name} does not have {rows} rows")
        for row in matrix:
            if not isinstance(row, list) or len(row) != cols or not all(map(_is_finite, row)):
                raise bad(f"{name} rows are not {cols} finite numbers")
        weights[name] = [[float(w) for w in row] for row in matrix]
    n_params = sum(r * c for r, c in shapes.values())
    adam = state["adam"]
    if not isinstance(adam, dict) or not _is_int(adam.get("t")) or adam["t"] != step:
        raise bad("Adam state does not match the step")
    for key in ("m", "v"):
        values = adam.get(key)
        if not isinstance(values, list) or len(values) != n_params or not all(map(_is_finite, values)):
            raise bad(f"Adam {key} is not {n_params} finite numbers")
    if any(v < 0 for v in adam["v"]):
        raise bad("Adam v has negative entries")
    rng = _rng_from_json(state["rng"])
    if rng is None:
        raise bad("RNG state is malformed")
    data = state["data"]
    if not isinstance(data, dict) or not _is_int(data.get("count")) or not isinstance(data.get("sha256"), str):
        raise bad("data fingerprint is malformed")
    if data["count"] < 1 or not _is_sha256(data["sha256"]):  # what data_fingerprint writes: documents, a hex digest
        raise bad("data fingerprint is malformed")
    extra = {key: state[key] for key in EXTRA_KEYS if key in state}
    adam_state = cast(AdamState, adam)  # (checked above)
    return Checkpoint(path, config, vocab, step, weights, adam_state, rng, data, extra)


def _is_int(x: object) -> TypeGuard[int]:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_finite(x: object) -> bool:
    if isinstance(x, float):
        return math.isfinite(x)
    return _is_int(x) and abs(x) < 2**1000  # a JSON integer of any length converts to a float


def _is_sha256(x: str) -> bool:
    return len(x) == 64 and all(c in "0123456789abcdef" for c in x)


def _rng_to_json(state: tuple[Any, ...]) -> list[Any]:
    version, internal, gauss_next = state
    return [version, list(internal), gauss_next]


def _rng_from_json(value: object) -> tuple[int, tuple[int, ...], float | None] | None:
    # random.Random's state: (3, 624 32-bit words + an index, next gauss or None).
    if not isinstance(value, list) or len(value) != 3 or value[0] != 3:
        return None
    internal, gauss_next = value[1], value[2]
    if not isinstance(internal, list) or len(internal) != 625 or not all(_is_int(x) for x in internal):
        return None
    if not all(0 <= x < 2**32 for x in internal[:624]) or not 0 <= internal[624] <= 624:
        return None
    if not any(internal[:624]):  # an all-zero Mersenne Twister only ever draws 0: no generator is in that state
        return None
    if gauss_next is not None and not _is_finite(gauss_next):
        return None
    return (3, tuple(internal), gauss_next)


def _describe_vocab(chars: list[str]) -> str:
    shown = "".join(chars)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{len(chars) + 1} tokens: {shown!r}"
