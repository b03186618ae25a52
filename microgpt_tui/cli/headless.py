"""Provides the headless training loop behind `microgpt-tui train`."""

import math

from microgpt_engine import StepRecord, Trainer
from microgpt_engine.insight.export import CsvLog
from microgpt_tui.cli.outcomes import EXIT_DIVERGED, OutputError, UsageError, complain, emit, step_line


def train_loop(trainer: Trainer, plain: bool = True, log_path: str | None = None) -> int:
    """Train to the configured number of steps; returns 0, or EXIT_DIVERGED."""
    log = None
    if log_path:
        try:
            log = CsvLog(log_path)
        except OSError as e:
            raise UsageError(f"cannot write {log_path}: {e.strerror or e}") from None
    try:
        if trainer.done:
            complain(f"already at step {trainer.step_count} / {trainer.config.steps}: nothing to train")
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
            raise OutputError(f"cannot write the log {log_path}: {e.strerror or e}") from None
    return status


def _step(trainer: Trainer, log: CsvLog | None) -> StepRecord:
    record = trainer.step()
    if record.diverged:
        cause = "the weights stopped being finite" if math.isfinite(record.loss) else f"the loss became {record.loss}"
        complain(
            f"training diverged at step {record.step}: {cause} "
            f"(try a smaller --lr than {trainer.config.lr}); weights kept from step {trainer.step_count}"
        )
    elif log:
        try:
            log.write(record)
        except OSError as e:  # e.g. the disk filled up: the caller still saves the weights
            raise OutputError(f"cannot write the log {log.file.name}: {e.strerror or e}") from None
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

    columns = (
        TextColumn("training"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}"),
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
