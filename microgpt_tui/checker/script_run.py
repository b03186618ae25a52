"""Provides `ScriptRun`: a run of a learner's own script, kept as a file the app's runs screen loads.

A script's run has no weights this engine could run (its model is the script's: GELU, say), only what the
check saw: its settings, its loss curve (with each matrix's statistics where the script keeps microgpt's
names), its samples and its loss on each held-out name. The file is JSON, marked by SCRIPT_RUN; reading it
back checks every field (it may come from anywhere), each failure one line.
"""

from __future__ import annotations

import json
import math
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microgpt_engine import Config, ConfigError
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.paths import read_capped, write_atomically
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _

SCRIPT_RUN = "microgpt-tui script run"
ENGINE = "script"  # what the runs table says it ran on
MAX_BYTES = 64 * 1024 * 1024


class ScriptRunError(ValueError):
    """The file is no script run, or a damaged one: one line naming it."""


@dataclass(frozen=True)
class ScriptRun:
    name: str  # the script's file name
    origin: str
    config: Config  # the settings read from the script
    dataset: str
    history: RunHistory
    samples: list[str]
    held_out: dict[str, float]  # its loss on each held-out name
    seen: list[str]  # the held-out names its steps trained on
    order: list[str]  # the documents in the order its steps took them


def write_script_run(path: Path, run: ScriptRun) -> Path:
    data = {
        "format": SCRIPT_RUN,
        "name": run.name,
        "origin": run.origin,
        "config": run.config.to_dict(),
        "dataset": run.dataset,
        "shapes": {name: list(shape) for name, shape in run.history.shapes.items()},
        "steps": run.history.now,
        "history": run.history.to_json(),
        "samples": run.samples,
        "held_out": run.held_out,
        "seen": run.seen,
        "order": run.order[: run.history.now],
    }
    return write_atomically(path, lambda f: json.dump(data, f))


def is_script_run(path: Path) -> bool:
    """Whether `path` holds a script run (cheaply: its first bytes name the format). Only a regular file is
    opened: a FIFO would block the reader forever."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as f:
            return SCRIPT_RUN.encode() in f.read(200)
    except OSError:
        return False


def as_checkpoint(path: str | Path, error: Exception) -> str:
    """What a command that loads a checkpoint says of `path`: `error`'s words, or, for a script's run, where it
    opens instead."""
    if is_script_run(Path(path)):
        return _(
            "{path} is a script's run (check --compare), not a checkpoint: the app's runs screen loads it (w, l)"
        ).format(path=path)
    return said(error)


def read_script_run(path: Path) -> ScriptRun:
    raw = read_capped(
        path,
        MAX_BYTES,
        ScriptRunError,
        missing="no such file",
        directory="is a directory",
        too_large="too large for a script run",
    )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise ScriptRunError(_("{path}: not a script run (not JSON)").format(path=path)) from None
    if not isinstance(data, dict) or data.get("format") != SCRIPT_RUN:
        raise ScriptRunError(_("{path}: not a script run").format(path=path))
    try:
        shapes = {str(k): (int(v[0]), int(v[1])) for k, v in dict(data["shapes"]).items()}
        config = Config.from_dict(data["config"])
        history = RunHistory.from_json(shapes, data["history"], int(data["steps"]))
        held = {str(k): float(v) for k, v in dict(data["held_out"]).items()}
        if not all(math.isfinite(v) for v in held.values()):
            raise ValueError(_("a held-out loss is not a number"))
        return ScriptRun(
            str(data["name"])[:40],
            str(data["origin"])[:200],
            config,
            str(data["dataset"])[:200],
            history,
            strings(data["samples"])[:200],
            held,
            strings(data["seen"]),
            strings(data["order"]),
        )
    except (KeyError, TypeError, ValueError, IndexError, ConfigError) as e:
        raise ScriptRunError(_("{path}: a damaged script run ({reason})").format(path=path, reason=e)) from None


def strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise ValueError(_("a list of names is not a list of strings"))
    return value
