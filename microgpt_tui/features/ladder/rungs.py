"""Provides the ladder's rungs: the settings screen's presets (`PRESETS`) as the configs they start.

The bigram table comes first (counts, no weights), then each preset in the
order the settings screen lists them: no block, no attention, microgpt, bigger.
"""

from __future__ import annotations

from dataclasses import replace

from microgpt_engine import Config
from microgpt_engine.insight.ladder import Rung
from microgpt_tui.features.runs.settings_form import PRESETS

BIGRAM = "bigram table"
KINDS = {"n_embd": int, "n_head": int, "n_layer": int, "block_size": int, "lr": float}


def preset_config(name: str, base: Config) -> Config:
    """The preset `name` applied to `base`, as the settings screen's button fills the form."""
    values: dict[str, object] = {key: KINDS[key](text) for key, text in PRESETS[name].items() if key in KINDS}
    if "attention" in PRESETS[name]:
        values["attention"] = PRESETS[name]["attention"] == "on"
    return replace(base, **values).validate()  # type: ignore[arg-type]  # (each by its kind)


def ladder_rungs(steps: int = 1000, base: Config | None = None) -> list[Rung]:
    """Every rung, each trained for `steps` from `base` (default: microgpt's defaults)."""
    base = replace(base or Config(), steps=steps)
    return [Rung(BIGRAM, None, steps)] + [Rung(name, preset_config(name, base), steps) for name in PRESETS]
