"""Provides saving a kept run with its checkpoint and loss curve, and loading one back.

The checkpoint is the engine's (weights, Adam, step, RNG); the run adds two
optional keys the engine carries along unparsed: "history" (`RunHistory.to_json`,
every kept step's numbers) and "run" (its name, how it began, its samples).
A checkpoint without them, as every earlier version wrote, loads with no
curve. An earlier run is no longer live, so its checkpoint is rebuilt from
the final state it was kept with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microgpt_engine import CheckpointError, Trainer, load_checkpoint, save_checkpoint
from microgpt_engine.checkpoint import history_room
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.timetravel import restore
from microgpt_tui.checker.script_run import ENGINE as SCRIPT_ENGINE
from microgpt_tui.core.runs import KeptRun
from microgpt_tui.language import _, ngettext


@dataclass(frozen=True)
class SavedRun:
    """What a checkpoint carries besides its weights: the loss curve, the run's name, its samples."""

    history: RunHistory
    name: str | None
    origin: str
    samples: list[str]


@dataclass
class LoadedRun:
    trainer: Trainer
    saved: SavedRun


def save(live: Trainer | None, run: KeptRun, path: Path) -> str:
    """Write `run` to `path` (`live`: the trainer, when it is the live run); returns what was saved, in words."""
    trainer = live if live is not None else rebuilt(run)
    names = [name for name, _ in run.samples.entries]
    # No more of the curve than a checkpoint can carry and still load (a 50,000-step run's whole curve saved
    # 97 MB that the loader refused): past that, its older steps are thinned, the newest kept whole.
    room = history_room(trainer.model.num_params, run.history.values_per_row)
    history = run.history.to_json(max_rows=room)
    extra = {"history": history, "run": {"name": run.name, "origin": run.origin, "samples": names}}
    save_checkpoint(trainer, path, extra)
    kept = len(history["loss"])
    curve = ngettext("its loss curve of {count} step", "its loss curve of {count} steps", kept).format(
        count=f"{kept:,}"
    )
    if kept < len(run.history):
        curve = _("{curve} (of {total} kept)").format(curve=curve, total=f"{len(run.history):,}")
    return _("saved {run} (step {step}, {curve}) to {path}").format(
        run=run.name, step=f"{trainer.step_count:,}", curve=curve, path=path
    )


def rebuilt(run: KeptRun) -> Trainer:
    """A trainer in the final state an earlier run was kept with."""
    if run.engine == SCRIPT_ENGINE:
        raise CheckpointError(
            _("{run} is a script's run: no weights to save (its file is the check's)").format(run=run.name)
        )
    if run.final is None or run.docs is None or run.rng is None:
        raise CheckpointError(_("{run} has no weights to save (it never trained)").format(run=run.name))
    trainer = Trainer(run.docs, run.config, engine=run.engine)
    restore(trainer, run.final)
    trainer.rng.setstate(run.rng)
    return trainer


def load(path: Path, docs: list[str]) -> LoadedRun:
    """The run saved at `path`, on `docs` (the live run's data; the vocabulary must match)."""
    ckpt = load_checkpoint(path)
    trainer = ckpt.restore(docs)
    return LoadedRun(trainer, carried(ckpt.extra, trainer, path))


def carried(extra: Mapping[str, Any], trainer: Trainer, path: Path) -> SavedRun:
    """The run a checkpoint's extra keys describe (untrusted), for `trainer` restored from it at `path`.

    Without a "history" key (today's checkpoints) the run has no curve and goes on from the trainer's step.
    """
    shapes, step = trainer.model.shapes, trainer.step_count
    if "history" in extra:
        try:
            history = RunHistory.from_json(shapes, extra["history"], step)
        except ValueError as exc:
            raise CheckpointError(
                _("{path}: its loss curve is damaged ({error})").format(path=path, error=exc)
            ) from None
    else:
        history = RunHistory(shapes, start=step)
    about = extra.get("run")
    about = about if isinstance(about, dict) else {}
    name = about.get("name") if isinstance(about.get("name"), str) else None
    samples = about.get("samples")
    names = [s for s in samples if isinstance(s, str)][:200] if isinstance(samples, list) else []
    return SavedRun(history, name and name[:40], f"loaded from {path.name}", names)
