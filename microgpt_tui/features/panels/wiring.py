"""Provides the main panels' wiring: the keys that move the selection (position, head, layer, temperature,
all heads, before/after)."""

from microgpt_tui.wiring import Wiring

WIRING = Wiring(
    "selecting",
    actions={
        "temperature": lambda selecting, delta: selecting.rules.temperature(delta),  # (the sampler follows)
        "move": lambda selecting, delta: selecting.move(delta),
        "head": lambda selecting, delta: selecting.head(delta),
        "layer": lambda selecting, delta: selecting.layer(delta),
        "before_after": lambda selecting: selecting.toggle_before_after(),
        "toggle_heads": lambda selecting: selecting.toggle_heads(),
    },
)
