"""Provides `microgpt-tui export`: a recording's screens as an asciicast and an animated SVG, and a run's loss
curve as an animation.

    microgpt-tui export RECORDING [--cast OUT] [--svg OUT] [--frames N] [--loss OUT] [--data FILE]
    microgpt-tui export --load CKPT --loss OUT

Every output path is checked before anything runs (the one path checker, engine/paths.py), is never a file
that is already there (an export never replaces a file, as the app's exports pick a new name), and is
none of the inputs; a recording is read with its every field checked; bad input is one line and exit 2.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microgpt_engine import CheckpointError, Trainer, load_checkpoint, paths
from microgpt_engine.insight.baselines import uniform_loss
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.paths import PathError
from microgpt_tui.cli.outcomes import UsageError, complain

if TYPE_CHECKING:
    from microgpt_tui.features.recording import format as rec

OUTPUTS = (("--cast", "cast"), ("--svg", "svg"), ("--loss", "loss"))
DEFAULT_FRAMES = 40  # the SVG's frames: each is a whole screenshot (about 100 KB at 80x24)


def add_parser(sub: Any, path: Callable[[str], str], frames: Callable[[str], int | float]) -> None:
    """The `export` command's options (`path` and `frames`: the argparse types every command uses)."""
    export = sub.add_parser(
        "export",
        help="export a recording as an asciicast or an animated SVG, a run's loss curve as an animation",
        description="Replay a recording (microgpt-tui --record FILE) without a terminal and write its screens: "
        "as an asciicast (asciinema plays it) and as an animated SVG for slides and web pages; or write a run's "
        "loss curve, step by step, as an animated SVG (from the recording's replay, or from a checkpoint the "
        "runs screen saved with its curve). Exports never replace a file.",
    )
    export.add_argument("recording", nargs="?", type=path, metavar="RECORDING", help="the recording to replay")
    export.add_argument("--cast", metavar="OUT", type=path, help="write the screens as an asciicast v2 file")
    export.add_argument("--svg", metavar="OUT", type=path, help="write the screens as an animated SVG")
    export.add_argument(
        "--frames",
        type=frames,
        default=DEFAULT_FRAMES,
        metavar="N",
        help=f"frames of the SVGs, spread evenly over the recording or the run (default {DEFAULT_FRAMES})",
    )
    export.add_argument("--loss", metavar="OUT", type=path, help="write the run's loss curve as an animated SVG")
    export.add_argument("--data", metavar="FILE", type=path, help="the data file the recording was made on")
    export.add_argument("--load", metavar="CKPT", type=path, help="a checkpoint carrying its loss curve (--loss)")


def check(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The outputs asked for, each usable and new, and none an input; UsageError in one line otherwise."""
    outputs = [(flag, getattr(args, name)) for flag, name in OUTPUTS if getattr(args, name) is not None]
    if not outputs:
        raise UsageError("nothing to export: give --cast OUT, --svg OUT or --loss OUT")
    if (args.recording is None) == (args.load is None):
        raise UsageError("export one source: a RECORDING, or --load CKPT for its loss curve")
    if args.load is not None and (args.cast or args.svg):
        raise UsageError("--cast and --svg replay a recording's screens: give a RECORDING, not --load")
    inputs = [("RECORDING", args.recording), ("--data", args.data), ("--load", args.load)]
    for n, (flag, out) in enumerate(outputs):
        try:
            paths.check_writable(out, flag)
        except PathError as e:
            raise UsageError(str(e)) from None
        if os.path.lexists(out):
            raise UsageError(f"{flag} {out}: a file is already there (an export never replaces one): give a new name")
        for name, other in [*inputs, *outputs[:n]]:
            if other is not None and paths.same_file(out, other):
                raise UsageError(f"{flag} {out} is the same file as {name}: it would be overwritten")
    return outputs


def recorded_docs(recording: rec.Recording, source: str, data: str | None) -> tuple[list[str], str]:
    """The documents the recording was made on (the bundled list, or --data when it is that file)."""
    import microgpt_data
    from microgpt_tui.features.recording import format as rec

    wanted = recording.header.data
    if data is None and not wanted.bundled:
        raise UsageError(f"{source} was made on {wanted.describe()}: give that file with --data FILE")
    file = Path(data) if data is not None else microgpt_data.bundled_names_path()
    try:
        found = rec.identify(file)
    except PathError as e:
        raise UsageError(str(e)) from None
    if (found.size, found.sha256) != (wanted.size, wanted.sha256):
        given = "--data " if data is not None else "the bundled list "
        raise UsageError(f"{given}{file} is not the data {source} was made on ({wanted.describe()})")
    try:
        return microgpt_data.load_documents(file), file.name
    except microgpt_data.DataError as e:
        raise UsageError(str(e)) from None


def cmd_export(args: argparse.Namespace) -> int:
    from microgpt_tui.features.motion.asciicast import write_cast  # (here: `train` and `sample` need none of this)
    from microgpt_tui.features.motion.frames import pick
    from microgpt_tui.features.motion.loss_svg import curve_of, write_loss_animation
    from microgpt_tui.features.motion.svg import write_svg
    from microgpt_tui.features.recording import format as rec

    outputs = dict(check(args))
    if args.load is not None:
        history, title, uniform = saved_curve(args.load)
        wrote = write_loss_animation(outputs["--loss"], curve_of(history, title, uniform), args.frames)
        complain(f"wrote {outputs['--loss']} ({wrote:,} bytes): the loss over {history.now:,} steps")
        return 0
    try:
        recording = rec.read(args.recording)
    except rec.RecordingError as e:
        raise UsageError(str(e)) from None
    docs, data_name = recorded_docs(recording, args.recording, args.data)
    trainer = Trainer(docs, recording.header.config, engine=recording.header.engine)
    began = time.perf_counter()
    from microgpt_tui.cli.replayed import replay_frames

    with tempfile.TemporaryDirectory(prefix="microgpt-export-") as folder:
        frames, app = replay_frames(recording, trainer, docs, data_name, Path(folder))
    replayed = time.perf_counter() - began
    if not frames:
        raise UsageError(f"{args.recording}: the replay showed no screen")
    title = f"microgpt-tui: {Path(args.recording).name}"
    done = [f"replayed {len(recording.keys):,} inputs in {replayed:.1f} s"]
    if "--cast" in outputs:
        size = write_cast(outputs["--cast"], frames, title)
        done.append(f"{outputs['--cast']}: {len(frames):,} screens, {size:,} bytes")
    if "--svg" in outputs:
        shown = pick(frames, args.frames)
        size = write_svg(outputs["--svg"], shown, title)
        done.append(f"{outputs['--svg']}: {len(shown):,} frames, {size:,} bytes")
    if "--loss" in outputs:
        history = app.lab.session.history
        if not len(history):
            raise UsageError(f"{args.recording}: no training step in the replay, so no loss curve to draw")
        run = app.lab.session.current_run
        curve = curve_of(history, f"{run.name}: {data_name}", run.uniform, run.bigram)
        size = write_loss_animation(outputs["--loss"], curve, args.frames)
        done.append(f"{outputs['--loss']}: the loss over {history.now:,} steps, {size:,} bytes")
    complain(f"exported in {time.perf_counter() - began:.1f} s: " + "; ".join(done))
    return 0


def saved_curve(path: str) -> tuple[RunHistory, str, float | None]:
    """The loss curve a checkpoint saved from the runs screen carries; UsageError when it carries none."""
    try:
        ckpt = load_checkpoint(path)
        model, tokenizer, _ = ckpt.sampler_parts()
    except CheckpointError as e:
        raise UsageError(str(e)) from None
    data = ckpt.extra.get("history")
    if data is None:
        raise UsageError(f"{path} carries no loss curve (save the run from the runs screen, w then s)")
    try:
        history = RunHistory.from_json(model.shapes, data, ckpt.step)
    except ValueError as e:
        raise UsageError(f"{path}: its loss curve is damaged ({e})") from None
    if not len(history) or not any(math.isfinite(x) for x in history.losses):
        raise UsageError(f"{path} carries no training step to draw")
    about = ckpt.extra.get("run")
    name = about.get("name") if isinstance(about, dict) and isinstance(about.get("name"), str) else Path(path).stem
    return history, str(name)[:40], uniform_loss(tokenizer.vocab_size)
