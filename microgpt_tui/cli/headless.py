"""Provides the headless training loop behind `microgpt-tui train`."""

import math

from microgpt_engine import StepRecord, Trainer
from microgpt_engine.insight.export import CsvLog
from microgpt_engine.paths import PathError
from microgpt_tui.cli.outcomes import EXIT_DIVERGED, OutputError, UsageError, complain, emit, step_line
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _


def train_loop(trainer: Trainer, plain: bool = True, log_path: str | None = None) -> int:
    """Train to the configured number of steps; returns 0, or EXIT_DIVERGED."""
    log = None
    if log_path:
        try:
            log = CsvLog(log_path)
        except PathError as e:
            raise UsageError(said(e)) from None
    try:
        if trainer.done:
            complain(
                _("already at step {step} / {steps}: nothing to train").format(
                    step=trainer.step_count, steps=trainer.config.steps
                )
            )
            status = 0
        else:
            status = _plain(trainer, log) if plain else _progress(trainer, log)
    except BaseException:
        if log:
            log.close_quietly()  # the first error is the one to report
        raise
    if log:
        try:
            log.close()  # the last rows are written here: a full disk may only show now
        except OSError as e:
            raise OutputError(
                _("cannot write the log {path}: {reason}").format(path=log_path, reason=e.strerror or e)
            ) from None
    return status


def _step(trainer: Trainer, log: CsvLog | None) -> StepRecord:
    record = trainer.step()
    if record.diverged:
        said = (
            _(
                "training diverged at step {step}: the weights stopped being finite "
                "(try a smaller --lr than {lr}); weights kept from step {kept}"
            )
            if math.isfinite(record.loss)
            else _(
                "training diverged at step {step}: the loss became {loss} "
                "(try a smaller --lr than {lr}); weights kept from step {kept}"
            )
        )
        complain(said.format(step=record.step, loss=record.loss, lr=trainer.config.lr, kept=trainer.step_count))
    elif log:
        try:
            log.write(record)
        except OSError as e:  # e.g. the disk filled up: the caller still saves the weights
            raise OutputError(
                _("cannot write the log {path}: {reason}").format(path=log.path, reason=e.strerror or e)
            ) from None
    return record


def _plain(trainer: Trainer, log: CsvLog | None) -> int:
    while not trainer.done:
        record = _step(trainer, log)
        if record.diverged:
            return EXIT_DIVERGED
        emit(step_line(record))
    return 0


def _progress(trainer: Trainer, log: CsvLog | None) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    loss = _("loss")  # (the column's label; its value is Rich's field)
    columns = (
        TextColumn(_("training")),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(loss + " {task.fields[loss]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns) as progress:
        task = progress.add_task("train", total=trainer.config.steps, completed=trainer.step_count, loss="-")
        while not trainer.done:
            record = _step(trainer, log)
            if record.diverged:
                return EXIT_DIVERGED
            progress.update(task, completed=record.step, loss=f"{record.loss:.4f}")
    emit(step_line(record))
    return 0
