"""Provides what a command ends in: exit codes, the one-line `UsageError`, the step line."""

EXIT_USAGE = 2
EXIT_DIVERGED = 3
PROG = "microgpt-tui"


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def step_line(record):
    """The reference's progress line: `step    1 / 1000 | loss 3.3660`."""
    return f"step {record.step:4d} / {record.total_steps:4d} | loss {record.loss:.4f}"
