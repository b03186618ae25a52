"""Provides what a command ends in: exit codes, the one-line `UsageError`, the step line."""

from microgpt_engine import StepRecord

EXIT_USAGE = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl+C
PROG = "microgpt-tui"


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def step_line(record: StepRecord) -> str:
    """The reference's progress line: `step    1 / 1000 | loss 3.3660`."""
    return f"step {record.step:4d} / {record.total_steps:4d} | loss {record.loss:.4f}"
