"""Provides `microgpt-tui check FILE.py`: a learner's own microgpt.py run beside microgpt (microgpt_tui/checker/).

What the script prints streams to stdout as it comes (each line after "│ "), then the verdict; exit 0
identical, 1 it differs. Anything that stops the check (a file that is not Python, a script that raises,
runs past its limits or reaches for the network) is one line on stderr and exit 2; a script's own
traceback is shown first, as the script's, on stdout.
"""

from __future__ import annotations

import argparse

from microgpt_tui.checker.check import CannotCheck, check, median_step
from microgpt_tui.checker.process import Limits
from microgpt_tui.checker.script import Script, ScriptError, read
from microgpt_tui.cli.options import HYPERPARAMETERS, load_docs
from microgpt_tui.cli.outcomes import UsageError, emit
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _

# The default time limit: a start, a budget per step ten times a default step's on a quiet machine (a shared
# one is often several times slower), and --compare's held-out names (500 names of the script's own gpt).
START_SECONDS, STEP_SECONDS, HELD_OUT_SECONDS = 60, 3, 300


def cmd_check(args: argparse.Namespace) -> int:
    given = [
        opt for opt in (*HYPERPARAMETERS, "temperature") if opt != "steps" and getattr(args, opt, None) is not None
    ]
    if given:
        flag = "--" + given[0].replace("_", "-")
        raise UsageError(_("check reads the settings from the script itself: {flag} does not apply").format(flag=flag))
    steps: int | None = getattr(args, "steps", None)
    if args.compare and steps is not None:
        raise UsageError(_("--compare runs the script's whole training: --steps does not apply"))
    try:
        script = read(args.file)
    except ScriptError as e:
        raise UsageError(said(e)) from None
    docs, data_name = load_docs(getattr(args, "data", None))
    planned = min(steps, script.config.steps) if steps is not None else script.config.steps
    seconds = args.time_limit or START_SECONDS + STEP_SECONDS * planned + (HELD_OUT_SECONDS if args.compare else 0)
    limits = Limits(seconds, args.memory_limit)
    if args.compare:
        from microgpt_tui.checker.curves import compare

        try:
            return compare(script, docs, data_name, limits, emit, getattr(args, "data", None))
        except CannotCheck as e:
            raise UsageError(str(e)) from None
    checking = (
        _("checking {script} against microgpt on {data} ({settings}): its first {steps} steps")
        if planned < script.config.steps
        else _("checking {script} against microgpt on {data} ({settings}): all {steps} steps and the samples")
    )
    emit(checking.format(script=script.name, data=data_name, settings=settings(script), steps=f"{planned:,}"))
    try:
        verdict = check(script, docs, steps, limits, emit)
    except CannotCheck as e:
        raise UsageError(str(e)) from None
    for line in verdict.lines:
        emit(line)
    per_step = median_step(verdict.step_seconds)
    timing = (
        _("(verdict after {seconds} s; the script's own steps take {step} s each)")
        if per_step is not None
        else _("(verdict after {seconds} s)")
    )
    emit(timing.format(seconds=f"{verdict.seconds:.1f}", step=f"{per_step:.2f}" if per_step is not None else ""))
    return verdict.status


def settings(script: Script) -> str:
    config = script.config
    return _(
        "n_embd {n_embd}, n_head {n_head}, n_layer {n_layer}, block_size {block_size}, lr {lr}, {steps} steps"
    ).format(
        n_embd=config.n_embd,
        n_head=config.n_head,
        n_layer=config.n_layer,
        block_size=config.block_size,
        lr=f"{config.lr:g}",
        steps=f"{config.steps:,}",
    )
