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
from pathlib import Path

from microgpt_engine import CheckpointError, load_checkpoint, paths
from microgpt_engine.insight.baselines import uniform_loss
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.paths import PathError
from microgpt_tui.cli.outcomes import PROG, UsageError, complain
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _

OUTPUTS = (("--cast", "cast"), ("--svg", "svg"), ("--loss", "loss"))


def check(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The outputs asked for, each usable and new, and none an input; UsageError in one line otherwise."""
    outputs = [(flag, getattr(args, name)) for flag, name in OUTPUTS if getattr(args, name) is not None]
    if not outputs:
        raise UsageError(_("nothing to export: give --cast OUT, --svg OUT or --loss OUT"))
    if (args.recording is None) == (args.load is None):
        raise UsageError(_("export one source: a RECORDING, or --load CKPT for its loss curve"))
    if args.load is not None and (args.cast or args.svg):
        raise UsageError(_("--cast and --svg replay a recording's screens: give a RECORDING, not --load"))
    inputs = [("RECORDING", args.recording), ("--data", getattr(args, "data", None)), ("--load", args.load)]
    for n, (flag, out) in enumerate(outputs):
        try:
            paths.check_writable(out, flag)
        except PathError as e:
            raise UsageError(said(e)) from None
        if os.path.lexists(out):
            raise UsageError(
                _("{flag} {out}: a file is already there (an export never replaces one): give a new name").format(
                    flag=flag, out=out
                )
            )
        for name, other in [*inputs, *outputs[:n]]:
            if other is not None and paths.same_file(out, other):
                raise UsageError(
                    _("{flag} {out} is the same file as {other}: it would be overwritten").format(
                        flag=flag, out=out, other=name
                    )
                )
    return outputs


def cmd_export(args: argparse.Namespace) -> int:
    from microgpt_tui.cli.recording import recorded_session
    from microgpt_tui.cli.replayed import film
    from microgpt_tui.features.motion.asciicast import write_cast  # (here: `train` and `sample` need none of this)
    from microgpt_tui.features.motion.frames import pick
    from microgpt_tui.features.motion.loss_svg import curve_of, write_loss_animation
    from microgpt_tui.features.motion.svg import write_svg

    outputs = dict(check(args))
    if args.load is not None:
        history, title, uniform = saved_curve(args.load)
        wrote = write_loss_animation(outputs["--loss"], curve_of(history, title, uniform), args.frames)
        complain(
            _("wrote {path} ({size} bytes): the loss over {steps} steps").format(
                path=outputs["--loss"], size=f"{wrote:,}", steps=f"{history.now:,}"
            )
        )
        return 0
    recording, trainer, docs, data_name = recorded_session(args.recording, getattr(args, "data", None))
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="microgpt-export-") as folder:
        filmed = film(recording, args.recording, trainer, docs, data_name, Path(folder))
    replayed = time.perf_counter() - began
    if filmed.diverged:
        complain(
            _("{prog}: {recording}: {why}; nothing exported").format(
                prog=PROG, recording=args.recording, why=filmed.diverged
            )
        )
        return 1
    frames, app = filmed.frames, filmed.app
    if not frames:
        raise UsageError(_("{recording}: the replay showed no screen").format(recording=args.recording))
    title = f"microgpt-tui: {Path(args.recording).name}"
    done = [
        _("replayed {count} inputs in {seconds} s").format(count=f"{len(recording.keys):,}", seconds=f"{replayed:.1f}")
    ]
    if "--cast" in outputs:
        size = write_cast(outputs["--cast"], frames, title)
        done.append(
            _("{path}: {count} screens, {size} bytes").format(
                path=outputs["--cast"], count=f"{len(frames):,}", size=f"{size:,}"
            )
        )
    if "--svg" in outputs:
        shown = pick(frames, args.frames)
        size = write_svg(outputs["--svg"], shown, title)
        done.append(
            _("{path}: {count} frames, {size} bytes").format(
                path=outputs["--svg"], count=f"{len(shown):,}", size=f"{size:,}"
            )
        )
    if "--loss" in outputs:
        history = app.lab.session.history
        if not len(history):
            raise UsageError(
                _("{recording}: no training step in the replay, so no loss curve to draw").format(
                    recording=args.recording
                )
            )
        run = app.lab.session.current_run
        curve = curve_of(history, f"{run.name}: {data_name}", run.uniform, run.bigram)
        size = write_loss_animation(outputs["--loss"], curve, args.frames)
        done.append(
            _("{path}: the loss over {steps} steps, {size} bytes").format(
                path=outputs["--loss"], steps=f"{history.now:,}", size=f"{size:,}"
            )
        )
    complain(
        _("exported in {seconds} s: {done}").format(
            seconds=f"{time.perf_counter() - began:.1f}", done=_("; ").join(done)
        )
    )
    return 0


def saved_curve(path: str) -> tuple[RunHistory, str, float | None]:
    """The loss curve a checkpoint saved from the runs screen carries; UsageError when it carries none."""
    try:
        ckpt = load_checkpoint(path)
        model, tokenizer, __ = ckpt.sampler_parts()
    except CheckpointError as e:
        raise UsageError(said(e)) from None
    data = ckpt.extra.get("history")
    if data is None:
        raise UsageError(
            _("{path} carries no loss curve (save the run from the runs screen, w then s)").format(path=path)
        )
    try:
        history = RunHistory.from_json(model.shapes, data, ckpt.step)
    except ValueError as e:
        raise UsageError(_("{path}: its loss curve is damaged ({reason})").format(path=path, reason=e)) from None
    if not len(history) or not any(math.isfinite(x) for x in history.losses):
        raise UsageError(_("{path} carries no training step to draw").format(path=path))
    about = ckpt.extra.get("run")
    name = about.get("name") if isinstance(about, dict) and isinstance(about.get("name"), str) else Path(path).stem
    return history, str(name)[:40], uniform_loss(tokenizer.vocab_size)
