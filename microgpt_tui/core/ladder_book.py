"""Provides `LadderBook`: the ladder's rungs climbed so far, and the ones on their way, as plain shared state.

The ladder feature (features/ladder/) climbs them and writes here; the lessons read the figures here. A
rung is named by its dataset and its name: ("copy", "no attention").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import microgpt_data
from microgpt_engine.insight.ladder import Climbed

Key = tuple[str, str]  # (dataset, rung)


@dataclass
class LadderBook:
    climbed: dict[Key, Climbed] = field(default_factory=dict)
    pending: list[Key] = field(default_factory=list)  # asked for, not landed yet, in the order they train
    made: dict[str, list[str]] = field(default_factory=dict)  # each built-in dataset's documents, made once

    def docs(self, dataset: str) -> list[str]:
        """The documents of the built-in dataset `dataset` ("names", "copy"), made once."""
        if dataset not in self.made:
            self.made[dataset] = microgpt_data.built_in(dataset)[0]
        return self.made[dataset]

    def result(self, dataset: str, rung: str) -> Climbed | None:
        return self.climbed.get((dataset, rung))

    def held_out(self, dataset: str, rung: str) -> float | None:
        """The rung's mean loss on the held-out names it never trained on (None: not climbed, or none left)."""
        got = self.climbed.get((dataset, rung))
        return got.held_out if got is not None else None

    def waiting(self, keys: Sequence[Key]) -> list[Key]:
        """Those of `keys` not climbed yet."""
        return [key for key in keys if key not in self.climbed]
