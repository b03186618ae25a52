"""Provides `resample_from`: a sample rewound to a position, so the learner's letter replaces the one drawn there.

Forcing a character (f) at the selected position throws away what the model
drew from there on: a new sampler takes the characters before the position
exactly as they were (each at the temperature it was drawn at, still marked
as drawn or forced), then the learner's character, and samples on from it.
"""

from __future__ import annotations

import random

from microgpt_engine import Sampler


def resample_from(old: Sampler, pos: int, rng: random.Random | None) -> Sampler:
    """A new sampler that has taken `old`'s first `pos` characters, as they were; its next draw is position `pos`."""
    new = Sampler(old.model, old.tokenizer, rng, old.temperature, ablate=old.ablate)
    for record in old.records[:pos]:
        new.temperature = record.temperature
        again = new.step(force=record.chosen)
        again.forced = record.forced  # (replayed, not chosen again)
    new.temperature = old.temperature
    return new


def forced_letters(sampler: Sampler) -> tuple[int, ...]:
    """The positions in the sample's name whose letter the learner chose (the final BOS is no letter)."""
    bos = sampler.tokenizer.bos
    return tuple(i for i, r in enumerate(sampler.records) if r.forced and r.chosen != bos)
