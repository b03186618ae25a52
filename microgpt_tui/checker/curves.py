"""Provides `compare` (`check --compare`): an intended change, trained to the end beside microgpt, and kept.

A script that changes microgpt on purpose (GELU, another learning rate) is not checked number by number:
its whole training runs, and its loss curve is set beside microgpt's for the same settings (this engine's
fused run: the same curve to many more digits than a plot shows), then both are measured on the held-out
names (`insight/held_out.py`) that neither run trained on, the script's by its own `gpt` on its final
weights. Both runs are kept as files the app's runs screen loads and compares: microgpt's as a checkpoint,
the script's as a script run (`script_run.py`).
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from microgpt_engine import CheckpointError, Config, Sampler, StepRecord, load_checkpoint, save_checkpoint
from microgpt_engine.checkpoint import history_room
from microgpt_engine.insight.held_out import held_out_names, loss_on_unseen, name_losses, trained_names
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.paths import PathError, check_writable
from microgpt_engine.train import matrix_stats
from microgpt_tui.checker.check import SCRIPT_LINE, CannotCheck, Run, median_step
from microgpt_tui.checker.judge import SAMPLE, STEP, Judge
from microgpt_tui.checker.process import Limits, ScriptProcess, TimeLimit
from microgpt_tui.checker.reference import Reference
from microgpt_tui.checker.script import Script
from microgpt_tui.checker.script_run import ScriptRun, is_script_run, write_script_run
from microgpt_tui.cli.help_format import cells as cell_len  # (not rich's: the checker imports no UI)
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _

STRETCHES = 8  # rows of the curve table
ORIGIN = "microgpt's run, beside "  # how microgpt's kept run says where it comes from


class Curve:
    """The script's run as it trains: its losses, and a history row per step where its names allow."""

    def __init__(self, shapes: dict[str, tuple[int, int]], total: int, lr: float) -> None:
        self.shapes, self.total, self.lr = shapes, total, lr
        self.history = RunHistory(shapes)
        self.losses: list[float] = []
        self.before: list[float] | None = None
        self.order: list[str] | None = None
        self.seconds: list[float] = []

    def add(self, k: int, event: dict[str, Any], printed: float) -> None:
        loss = event.get("loss")
        loss = printed if loss is None else loss
        self.losses.append(loss)
        self.seconds.append(event.get("seconds", 0.0))
        if event.get("docs") is not None:
            self.order = event["docs"]
        if event.get("initial") is not None:
            self.before = event["initial"]
        after, grads, m, v = (event.get(key) or [] for key in ("params", "grads", "m", "v"))
        count = sum(r * c for r, c in self.shapes.values())
        known = all(len(x) == count for x in (after, grads, m, v))
        if not known:
            self.shapes, self.history = {}, rebuild_without_stats(self.history, self.losses)
        params = []
        if known and self.shapes:
            before = self.before if self.before is not None and len(self.before) == count else after
            offset = 0
            for name, (rows, cols) in self.shapes.items():
                end = offset + rows * cols
                sl = slice(offset, end)
                updates = [a - b for a, b in zip(after[sl], before[sl])]
                params.append(matrix_stats(name, (rows, cols), after[sl], grads[sl], updates, m[sl], v[sl]))
                offset = end
            self.before = after
        doc = self.order[(k - 1) % len(self.order)] if self.order else ""
        lr = event.get("lr")  # its lr_t; else the schedule its settings give, if it follows microgpt's
        lr = lr if lr is not None else self.lr * (1 - (k - 1) / self.total)
        record = StepRecord(k, self.total, doc, [], [], loss, lr, [], [], params)
        record.ms = event.get("seconds", 0.0) * 1000
        if k == self.history.now + 1:
            self.history.append(record)


def rebuild_without_stats(history: RunHistory, losses: list[float]) -> RunHistory:
    """A loss-only history (no matrices) holding the steps kept so far."""
    if not history.shapes:
        return history
    bare = RunHistory({})
    for k, loss in enumerate(losses[: history.now], start=1):
        bare.append(StepRecord(k, 0, "", [], [], loss, history.lr(k), [], [], []))
    return bare


def compare(
    script: Script, docs: list[str], data_name: str, limits: Limits, say: Callable[[str], None], data: str | None
) -> int:
    """Train the script to its end beside microgpt, print the comparison, keep both runs; 0 when done."""
    stem = script.path.stem
    files = (Path(f"{stem}-microgpt.json"), Path(f"{stem}-yours.json"))
    for file in files:
        try:
            check_writable(file)
        except PathError as e:
            raise CannotCheck(said(e)) from None
        if file.exists() and not earlier_output(file):
            raise CannotCheck(
                _("{file} exists and is no earlier check's output: move it, or check from another folder").format(
                    file=file
                )
            )
    config = script.config
    # microgpt as published, trained as long as the script: the curves compare step for step.
    reference = Reference(docs, replace(Config(), steps=config.steps), engine="fused")
    changed = differences(config, reference.trainer.config)
    say(
        _("training {script} to its end ({steps} steps) beside microgpt's run on {data}").format(
            script=script.name, steps=f"{config.steps:,}", data=data_name
        )
    )
    ref_history = RunHistory(reference.trainer.model.shapes)
    curve = Curve(dict(reference.trainer.model.shapes), config.steps, config.lr)
    proc = ScriptProcess(script.path, docs, limits, lambda line: say(SCRIPT_LINE + line))
    run = Run(script, reference, Judge(reference), proc, None, say)
    samples: list[str] = []
    got: dict[str, Any] = {}
    names = list(held_out_names(docs))
    try:
        for event in run.events:
            kind = event["kind"]
            if kind == "line":
                say(SCRIPT_LINE + event["text"])
                sample = SAMPLE.match(event["text"])
                if sample and curve.losses:
                    samples.append(sample.group(2))
            elif kind == "step":
                say(SCRIPT_LINE + event["text"])
                k, total, printed = step_of(event["text"], run)
                if not curve.losses and total != reference.trainer.config.steps:  # its num_steps is no literal
                    reference = Reference(docs, replace(reference.trainer.config, steps=total), engine="fused")
                    curve.total = total
                curve.add(k, event, printed)
                while reference.trainer.step_count < min(k, reference.trainer.config.steps):
                    ref_history.append(reference.trainer.step())
                proc.answer(do="go")
            elif kind == "done":
                if not curve.losses:
                    raise CannotCheck(
                        _("{script} printed no step line (step … / … | loss …) to compare").format(script=script.name)
                    )
                say(
                    _("measuring both on {count} held-out names (its own gpt on its final weights)…").format(
                        count=len(names)
                    )
                )
                proc.answer(do="held_out", names=names)
                for answer in run.events:
                    if answer["kind"] != "held_out":
                        run.handle_end(answer)
                        continue
                    got = answer
                    break
                else:
                    run.died()
                proc.answer(do="stop")
                break
            else:
                run.handle_end(event)
        else:
            run.died()
    except TimeLimit:
        raise CannotCheck(
            run.where(_("ran past the time limit of {seconds} s").format(seconds=f"{limits.seconds:g}"))
        ) from None
    finally:
        proc.kill()
    while not reference.trainer.done:
        ref_history.append(reference.trainer.step())
    theirs_held = got.get("losses")
    if theirs_held is None:
        raise CannotCheck(
            _("{script}'s gpt could not be run on the held-out names: {error}").format(
                script=script.name, error=got.get("error")
            )
        )
    trainer = reference.trainer
    ours_held = name_losses(trainer.model, trainer.tokenizer, names)
    their_seen = trained_names(curve.order or trainer.docs, len(curve.losses))
    our_seen = trained_names(trainer.docs, trainer.step_count)
    count = len(samples) or 20  # as many as the script drew, from the run's one generator as microgpt does
    rng_samples = [
        Sampler(trainer.model, trainer.tokenizer, trainer.rng, trainer.config.temperature).run() for _ in range(count)
    ]
    lines = report(script.name, curve.losses, ref_history.losses, theirs_held, ours_held, their_seen, our_seen)
    settings = (
        _("its settings: {changes}").format(changes=changed) if changed else _("its settings: the same as microgpt")
    )
    lines.insert(1, f"  {settings}")
    samples_line = _("samples: yours {yours}; microgpt {ours}").format(
        yours=", ".join(samples[:8]) or "-", ours=", ".join(rng_samples[:8])
    )
    lines.append(f"  {samples_line}")
    per_step = median_step(curve.seconds)
    if per_step is not None:
        lines.append("  " + _("(the script's own steps took {seconds} s each)").format(seconds=f"{per_step:.2f}"))
    extra = {
        "history": ref_history.to_json(max_rows=history_room(trainer.model.num_params, ref_history.values_per_row)),
        "run": {"name": "microgpt", "origin": f"{ORIGIN}{script.name}", "samples": rng_samples},
    }
    save_checkpoint(trainer, files[0], extra)
    write_script_run(
        files[1],
        ScriptRun(
            script.name,
            f"{script.name}, run by microgpt-tui check",
            config,
            data_name,
            curve.history,
            samples,
            theirs_held,
            sorted(their_seen & set(names)),
            curve.order or [],
        ),
    )
    for line in lines:
        say(line)
    data_flag = f" --data {shlex.quote(data)}" if data else ""  # (a command to copy: quoted as a shell needs)
    say(
        _("kept both runs: {ours} (microgpt's, a checkpoint) and {theirs} (yours: curve, samples, held-out)").format(
            ours=files[0], theirs=files[1]
        )
    )
    load = shlex.quote(str(files[0]))
    say(
        _("open them side by side: {command}, then w, l {theirs} (enter), c").format(
            command=f"microgpt-tui{data_flag} --load {load}", theirs=files[1]
        )
    )
    return 0


def differences(theirs: Config, ours: Config) -> str:
    """The script's settings that are not microgpt's, in words ("lr 0.02 (microgpt 0.01)")."""
    fields = (
        "n_embd",
        "n_head",
        "n_layer",
        "block_size",
        "lr",
        "beta1",
        "beta2",
        "eps",
        "seed",
        "temperature",
        "init_std",
    )
    return ", ".join(
        f"{name} {getattr(theirs, name):g} (microgpt {getattr(ours, name):g})"
        for name in fields
        if getattr(theirs, name) != getattr(ours, name)
    )


def earlier_output(file: Path) -> bool:
    """Whether `file` is what an earlier `--compare` kept (replaced without asking): a script run, or a
    checkpoint whose run says it was microgpt's beside a script."""
    if is_script_run(file):
        return True
    try:
        extra = load_checkpoint(file).extra
    except CheckpointError:
        return False
    run = extra.get("run")
    return isinstance(run, dict) and str(run.get("origin", "")).startswith(ORIGIN)


def step_of(text: str, run: Run) -> tuple[int, int, float]:
    """The step, the total and the printed loss of a step line."""
    match = STEP.match(text)
    if match is None:
        raise CannotCheck(
            _("{script} printed a step line without a loss: {line}").format(
                script=run.script.name, line=repr(text.strip())
            )
        )
    try:
        printed = float(match.group(3))
    except ValueError:
        printed = math.nan
    return int(match.group(1)), int(match.group(2)), printed


def report(
    name: str,
    theirs: list[float],
    ours: list[float],
    theirs_held: dict[str, float],
    ours_held: dict[str, float],
    their_seen: set[str],
    our_seen: set[str],
) -> list[str]:
    """The two loss curves a stretch at a time, the last 100 steps, and the held-out names."""
    n = min(len(theirs), len(ours))
    lines = [
        _("{script} against microgpt, {steps} steps each (mean loss, lower is better):").format(
            script=name, steps=f"{n:,}"
        ),
    ]
    steps, yours = _("steps"), _("yours")  # (the columns: the stretch of steps, the script's loss, microgpt's)
    lines.append(f"  {pad(steps, 22)}{pad(yours, 9, right=True)}{'microgpt':>10}")
    width = max(1, math.ceil(n / STRETCHES))
    for start in range(0, n, width):
        end = min(n, start + width)
        lines.append(f"  {f'{start + 1:,}-{end:,}':<22}{mean(theirs[start:end]):>9.4f}{mean(ours[start:end]):>10.4f}")
    tail = min(100, n)
    last = _("last {count}").format(count=f"{tail:,}")
    lines.append(f"  {pad(last, 22)}{mean(theirs[-tail:]):>9.4f}{mean(ours[-tail:]):>10.4f}")
    a, count = loss_on_unseen(theirs_held, [their_seen, our_seen])
    b, __ = loss_on_unseen(ours_held, [their_seen, our_seen])
    if a is None or b is None:
        lines.append("  " + _("held-out names: none left that neither run trained on"))
    else:
        held = _("held-out ({count} names)").format(count=f"{count:,}")
        unseen = _("(names of the data neither run trained on)")
        lines.append(f"  {pad(held, 22)}{a:>9.4f}{b:>10.4f}  {unseen}")
    return lines


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` cells (a Chinese character takes two), on the left when `right`."""
    space = " " * max(0, width - cell_len(text))
    return space + text if right else text + space


def mean(xs: list[float]) -> float:
    return math.fsum(xs) / len(xs) if xs else math.nan
