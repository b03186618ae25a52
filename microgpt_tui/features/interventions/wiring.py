"""Provides the interventions' wiring: z, x and u."""

from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "interventions",
    actions={
        "ablate_head": lambda interventions: interventions.ablate_head(),
        "ablate_layer": lambda interventions: interventions.ablate_layer(),
        "undo_interventions": lambda interventions: interventions.undo_interventions(),
    },
)
