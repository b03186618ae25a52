"""Provides `Interventions`: the lab's ablation intents (heads or layers switched off in the view, and undone).

The state stays on the `Lab` (the one owner); this part holds the intents that write it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .lens import ablation_label
from .views import Change

if TYPE_CHECKING:
    from .lab import Lab


class Interventions:
    """The lab's ablation intents (heads or layers switched off in the view, and undone)."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab

    def set_ablation(self, pairs: Iterable[tuple[int, int | None]]) -> None:
        self.lab.ablation = frozenset(pairs)
        if self.lab.sampler is not None:
            self.lab.sampler.ablate = self.lab.ablation  # the rest of a sample is drawn the same way

    def ablate_head(self) -> Change:
        """Switch the selected head off (or on again); with all heads shown, the whole layer."""
        sel = self.lab.selection
        pair = (sel.layer, None) if sel.all_heads else (sel.layer, sel.head)
        self.set_ablation(set(self.lab.ablation) ^ {pair})
        return Change()

    def ablate_layer(self) -> Change:
        self.set_ablation(set(self.lab.ablation) ^ {(self.lab.selection.layer, None)})
        return Change()

    def undo_interventions(self) -> Change:
        """Every head on again and back to now: the live model, exactly as trained."""
        had = self.lab.ablation
        self.set_ablation(())
        self.lab.travel.back_to_now()
        was = f" (was ablated: {ablation_label(had)}; the weights never changed)" if had else ""
        return self.lab._say("interventions undone: the live model with every head" + was)
