"""Provides the training feature's wiring: space, r and the speed keys."""

from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "stepping",
    actions={
        "step": lambda stepping: stepping.step(),
        "run": lambda stepping: stepping.run_or_pause(),
        "speed": lambda stepping, delta: stepping.speed(delta),
    },
)
