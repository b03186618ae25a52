"""Provides the ladder's wiring: the actions the lessons' chapters run (no key of their own)."""

from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "ladder",
    actions={
        "ladder_climb": lambda ladder, which: ladder.climb_set(which),
        "ladder_adopt": lambda ladder, dataset, rung: ladder.adopt(dataset, rung),
    },
)
