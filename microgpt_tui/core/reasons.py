"""Provides `why_not`: the one-line reason a key does nothing now, and what to do instead.

The rules (`Lab.applies`) say whether an action applies; a key that does
not apply is greyed out in the footer, and pressing it shows the reason from
here instead of nothing at all. Each reason says what is in the way and names
the key (or option) that gets past it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_tui.core.said import Said
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_engine import Config
    from microgpt_tui.features.time_travel.going import Going


def complete(config: Config) -> str:
    """Training has taken every configured step."""
    if config.steps == 1:
        return Said(
            N_(
                "training is complete: its one step is taken. "
                "s draws samples; the , key looks back at earlier steps; o starts a new run with other settings"
            )
        )
    return Said(
        N_(
            "training is complete: all {total} steps are taken, the last at 1/{total} of the learning rate. "
            "s draws samples; the , key looks back at earlier steps; o starts a new run with other settings"
        ),
        total=f"{config.steps:,}",
    )


def while_replaying(going: Going) -> str:
    """space, r or c while a replay brings the step asked for: they would act on the step shown before it."""
    return Said(
        N_("{going} space, r and c wait until it is shown (, . < > and the other keys still work; u goes back to now)"),
        going=going.note,
    )


def why_not(applies: bool | None, training: bool, config: Config, action: str) -> str | None:
    """Why `action` does nothing now (`applies`: what its rule says now; None: it applies, or there is nothing
    worth saying)."""
    if applies is True:
        return None
    if action in ("step", "run"):
        if training:
            return _("training is running: r pauses it, then space takes one step at a time")
        return complete(config)
    if action == "sample":
        return _("training is running: r pauses it, then s samples a name from the weights as they stand")
    if action == "next_char":
        return _("no sample in progress: s starts one, then n reveals one more character")
    if action == "force_char":
        if training:
            return _("training is running: r pauses it, then s samples and f replaces a letter")
        return _("no sample on screen: s starts one, then ← → pick a position and f replaces its letter")
    if action in ("layer", "head", "ablate_head", "ablate_layer") and config.n_layer == 0:
        return _("this model has no Transformer block (n_layer 0): no attention to look at or switch off")
    if action in ("layer", "head", "ablate_head", "ablate_layer") and not config.attention:
        return _("this model's blocks have no attention (only their MLP): nothing to look at or switch off")
    if action == "layer":
        return Said(
            N_("this model has one layer (layer 0 of {n_layer}): [ and ] change layers when --n-layer is 2 or more"),
            n_layer=config.n_layer,
        )
    if action == "head":
        if config.n_head == 1:
            return _("this model has one head (head 0 of 1): h and l change heads when --n-head is 2 or more")
        return _("all heads are shown side by side: a shows one head again, then h and l change it")
    if action in ("view_step", "compare", "goto_step"):
        return _("no step taken yet: time travel needs at least one (space takes one)")
    if action in ("ablate_head", "ablate_layer"):
        if training:
            return _("training is running and always uses every head: r pauses it, then z or x ablates")
        return _("nothing to ablate yet")
    if action == "undo_interventions":
        return _("nothing to undo: every head is on and this is now")
    if action == "quiz":
        return _("nothing to predict yet: the document has no positions")
    return None
