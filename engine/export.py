"""Provides CSV export of training history: one row per step, shared by the CLI and the app."""

import csv

STAT_FIELDS = ("mean", "std", "grad_norm", "update_ratio")


def header(record):
    cols = ["step", "doc", "loss", "lr", "ms"]
    for p in record.params:
        cols += [f"{p.name}.{f}" for f in STAT_FIELDS]
    return cols


def row(record):
    values = [record.step, record.doc, f"{record.loss:.6f}", f"{record.lr:.8g}", f"{record.ms:.3f}"]
    for p in record.params:
        values += [f"{getattr(p, f):.6g}" for f in STAT_FIELDS]
    return values


class CsvLog:
    """Appends step records to a CSV file, writing the header before the first row."""

    def __init__(self, path):
        self.file = open(path, "w", newline="", encoding="utf-8")
        self.writer = csv.writer(self.file)
        self.rows = 0

    def write(self, record):
        if self.rows == 0:
            self.writer.writerow(header(record))
        self.writer.writerow(row(record))
        self.rows += 1

    def close(self):
        self.file.close()


def write_csv(path, records):
    """Write a whole history at once (the app's export)."""
    log = CsvLog(path)
    try:
        for record in records:
            log.write(record)
    finally:
        log.close()
    return log.rows
