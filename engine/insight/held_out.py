"""Provides the held-out names: a fixed set of a data set's names, and a run's loss on the ones it never trained on.

Why not simply leave them out of training: microgpt trains on every name of
the file, and the reference run (seed 42, loss 3.3660 at step 1, samples
kamon, ann, karai, …) must stay bit-identical. Taking names out of the list
would change the shuffle and so every step. Instead the training data stays
as it is, and the held-out set is checked against the run's own document
order, which is known in advance (step i trains on document i of one seeded
shuffle): a run of 1,000 steps on 32,033 names trains on 1,000 of them, so
about 97% of the set are names it never saw.

- `held_out_names`: the same HELD_OUT distinct names for every run on the same
  data (those with the smallest SHA-256 of their text; no seed involved).
- `trained_names`: the documents a run with this seed has trained on after
  `steps` steps.
- `name_losses`: a model's loss on each name (the training loss of one step on it).
- `loss_on_unseen`: the mean of those losses over the names none of the given
  runs trained on, and how many names that is.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Iterable, Mapping, Sequence

from ..model import GPT
from ..tokenizer import Tokenizer
from ..train import evaluate_tokens

HELD_OUT = 500  # names in the set: enough to tell 0.01 of loss apart in a paired comparison, ~0.6 s to measure


def held_out_names(docs: Iterable[str], size: int = HELD_OUT) -> tuple[str, ...]:
    """The `size` distinct documents with the smallest SHA-256 hash (all of them when there are fewer)."""
    distinct = set(docs)
    return tuple(sorted(distinct, key=lambda doc: hashlib.sha256(doc.encode("utf-8")).digest())[:size])


def training_order(docs: Sequence[str], seed: int) -> list[str]:
    """The documents in the order a `Trainer` with this seed trains on them (its RNG's first use is this shuffle)."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    return order


def trained_names(order: Sequence[str], steps: int) -> set[str]:
    """The documents steps 1..`steps` trained on (all of them once the run has gone round the data)."""
    return set(order[: min(steps, len(order))])


def name_losses(model: GPT, tokenizer: Tokenizer, names: Iterable[str]) -> dict[str, float]:
    """Each name's loss under `model`: the mean cross-entropy over the predictions a training step makes on it."""
    block = model.config.block_size
    return {name: evaluate_tokens(model, tokenizer, tokenizer.document(name[:block])).loss for name in names}


def loss_on_unseen(losses: Mapping[str, float], seen: Iterable[Collection[str]]) -> tuple[float | None, int]:
    """The mean loss over the names in `losses` that no set in `seen` holds, and their count (None: none is left)."""
    seen = list(seen)
    kept = [loss for name, loss in losses.items() if not any(name in names for names in seen)]
    return (math.fsum(kept) / len(kept) if kept else None), len(kept)
