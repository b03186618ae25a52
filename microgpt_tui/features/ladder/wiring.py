"""Provides the ladder's wiring: the actions the lessons' chapters run (no key of their own)."""

from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "ladder",
    actions={  # (no arguments: a chapter's Open step names the action alone)
        "ladder_attention": lambda ladder: ladder.climb_set("attention"),
        "ladder_all": lambda ladder: ladder.climb_set("ladder"),
        "ladder_adopt_copy": lambda ladder: ladder.adopt("copy", "microgpt"),
    },
)
