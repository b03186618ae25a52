"""Provides CSV export of training history: one row per step, shared by the CLI and the app.

The CLI writes each `StepRecord` as it comes (`CsvLog`); the app writes the
run's whole `RunHistory` at once (`write_csv` of its `rows()`). Both go through
`header` and `row`, so both files have the same columns.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from typing import Protocol

from ..paths import open_for_writing
from ..printable import printable


class StatsLike(Protocol):
    """A matrix's stats as a row reads them: its name, and the STAT_FIELDS by getattr."""

    @property
    def name(self) -> str: ...


class StepLike(Protocol):
    """What a row reads of one step: a StepRecord, a history's LoggedStep, or anything shaped like them."""

    @property
    def step(self) -> int: ...
    @property
    def doc(self) -> str: ...
    @property
    def loss(self) -> float: ...
    @property
    def lr(self) -> float: ...
    @property
    def ms(self) -> float: ...
    @property
    def params(self) -> Sequence[StatsLike]: ...


STAT_FIELDS = ("mean", "std", "grad_norm", "update_ratio")  # the columns of each matrix


def header(record: StepLike) -> list[str]:
    cols = ["step", "doc", "loss", "lr", "ms"]
    for p in record.params:
        cols += [f"{p.name}.{f}" for f in STAT_FIELDS]
    return cols


def row(record: StepLike) -> list[object]:
    values = [record.step, printable(record.doc), f"{record.loss:.6f}", f"{record.lr:.8g}", f"{record.ms:.3f}"]
    for p in record.params:
        values += [f"{getattr(p, f):.6g}" for f in STAT_FIELDS]
    return values


class CsvLog:
    """Appends step records to a CSV file, writing the header before the first row."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.file = open_for_writing(path)  # (never through a symbolic link; PathError in one line)
        self.writer = csv.writer(self.file)
        self.rows = 0

    def write(self, record: StepLike) -> None:
        if self.rows == 0:
            self.writer.writerow(header(record))
        self.writer.writerow(row(record))
        self.rows += 1

    def close(self) -> None:
        self.file.close()

    def close_quietly(self) -> None:
        """Close after an error was already reported (a second one would hide it)."""
        try:
            self.file.close()
        except OSError:
            pass


def write_csv(path: str | os.PathLike[str], records: Iterable[StepLike]) -> int:
    """Write a whole history at once (the app's export)."""
    log = CsvLog(path)
    try:
        for record in records:
            log.write(record)
    finally:
        log.close()
    return log.rows
