"""Provides CSV export of training history: one row per step, shared by the CLI and the app.

The CLI writes each `StepRecord` as it comes (`CsvLog`); the app keeps what a
row needs of every step in a `StepLog` and writes it all at once (`write_csv`).
Both go through `header` and `row`, so both files have the same columns.
"""

from __future__ import annotations

import csv
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol

from ..records import StepRecord


class StatsLike(Protocol):
    """A matrix's stats as a row reads them: its name, and the STAT_FIELDS by getattr."""

    @property
    def name(self) -> str: ...


class StepLike(Protocol):
    """What a row reads of one step: a StepRecord, a LoggedStep, or anything shaped like them."""

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


# What a StepLog keeps of one matrix's ParamStats, and of one step.
class MatrixStats(NamedTuple):
    name: str
    mean: float
    std: float
    grad_norm: float
    update_ratio: float


class LoggedStep(NamedTuple):
    step: int
    doc: str
    loss: float
    lr: float
    ms: float
    params: list[MatrixStats]


STAT_FIELDS = MatrixStats._fields[1:]  # ("mean", "std", "grad_norm", "update_ratio")


def header(record: StepLike) -> list[str]:
    cols = ["step", "doc", "loss", "lr", "ms"]
    for p in record.params:
        cols += [f"{p.name}.{f}" for f in STAT_FIELDS]
    return cols


def row(record: StepLike) -> list[object]:
    values = [record.step, record.doc, f"{record.loss:.6f}", f"{record.lr:.8g}", f"{record.ms:.3f}"]
    for p in record.params:
        values += [f"{getattr(p, f):.6g}" for f in STAT_FIELDS]
    return values


class CsvLog:
    """Appends step records to a CSV file, writing the header before the first row."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.file = open(path, "w", newline="", encoding="utf-8")
        self.writer = csv.writer(self.file)
        self.rows = 0

    def write(self, record: StepLike) -> None:
        if self.rows == 0:
            self.writer.writerow(header(record))
        self.writer.writerow(row(record))
        self.rows += 1

    def close(self) -> None:
        self.file.close()


def write_csv(path: str | os.PathLike[str], records: Iterable[StepLike]) -> int:
    """Write a whole history at once (the app's export)."""
    log = CsvLog(path)
    try:
        for record in records:
            log.write(record)
    finally:
        log.close()
    return log.rows


class StepLog:
    """What a CSV row needs of every step taken, kept compactly.

    A StepRecord carries attention and probabilities too; keeping thousands of
    them would cost megabytes. Here each step keeps its number, its document
    and one array of floats (loss, lr, ms, then the matrices' STAT_FIELDS):
    about 400 bytes a step for the default model.

    Steps come in order. A step number that is not past the last one means the
    run went back (a fork from an earlier step): the steps from there on are
    dropped, as the run dropped them. Diverged steps were not applied, so they
    are not kept (the CLI's log skips them too).
    """

    def __init__(self) -> None:
        self.steps = array("q")
        self.docs: list[str] = []
        self.numbers: list[array[float]] = []  # one array("d") per step
        self.names: list[str] | None = None  # the matrix names, in the order of record.params

    def __len__(self) -> int:
        return len(self.steps)

    def add(self, record: StepRecord) -> None:
        if record.diverged:
            return
        self.drop_after(record.step - 1)
        if self.names is None:
            self.names = [p.name for p in record.params]
        values = array("d", (record.loss, record.lr, record.ms))
        for p in record.params:
            values.extend(getattr(p, f) for f in STAT_FIELDS)
        self.steps.append(record.step)
        self.docs.append(record.doc)
        self.numbers.append(values)

    def drop_after(self, step: int) -> None:
        """Forget the steps after `step` (the run was rewound to it)."""
        while self.steps and self.steps[-1] > step:
            self.steps.pop()
            self.docs.pop()
            self.numbers.pop()

    def records(self) -> Iterator[LoggedStep]:
        """The kept steps, oldest first, as `LoggedStep`s that `write_csv` takes."""
        k = len(STAT_FIELDS)
        names = self.names or []  # None only before the first step, when there is nothing to yield
        for step, doc, values in zip(self.steps, self.docs, self.numbers):
            params = [MatrixStats(name, *values[3 + i * k : 3 + (i + 1) * k]) for i, name in enumerate(names)]
            yield LoggedStep(step, doc, values[0], values[1], values[2], params)
