"""Provides `Interventions`: the ablation, its state and its intents (heads or layers switched off in the
view, and undone).

This part owns the ablation: which (layer, head) pairs the view switches off
(head None: the whole layer). Everything that draws through the lens reads
`ablation`; only the intents here (and the interlocks, through
`set_ablation`) change it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from microgpt_tui.core.lens import Ablation, ablation_label
from microgpt_tui.core.said import Said
from microgpt_tui.core.views import Change
from microgpt_tui.language import N_

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Interventions:
    """The ablated heads, and the intents that switch them off and on."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._ablation: Ablation = frozenset()

    @property
    def ablation(self) -> Ablation:
        """The (layer, head) pairs switched off in the view; head None: the layer."""
        return self._ablation

    def reset(self) -> None:
        """Another run is live: every head on (its sampler starts afresh)."""
        self._ablation = frozenset()

    def set_ablation(self, pairs: Iterable[tuple[int, int | None]]) -> None:
        self._ablation = frozenset(pairs)
        self.rules.ablation_changed(self._ablation)  # the rest of a sample is drawn the same way

    def ablate_head(self) -> Change:
        """Switch the selected head off (or on again); with all heads shown, the whole layer."""
        sel = self.session.selection
        pair = (sel.layer, None) if sel.all_heads else (sel.layer, sel.head)
        self.set_ablation(set(self._ablation) ^ {pair})
        return Change()

    def ablate_layer(self) -> Change:
        self.set_ablation(set(self._ablation) ^ {(self.session.selection.layer, None)})
        return Change()

    def undo_interventions(self) -> Change:
        """Every head on again and back to now: the live model, exactly as trained."""
        had = self._ablation
        self.set_ablation(())
        self.rules.back_to_now()
        if had:
            return self.session.say(
                Said(
                    N_(
                        "interventions undone: the live model with every head "
                        "(was ablated: {heads}; the weights never changed)"
                    ),
                    heads=ablation_label(had),
                )
            )
        return self.session.say(N_("interventions undone: the live model with every head"))
