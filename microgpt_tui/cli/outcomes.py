"""Provides what a command ends in: exit codes, the one-line errors, signals as interruptions, the step line."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType

from microgpt_engine import StepRecord
from microgpt_engine.printable import printable
from microgpt_tui.language import _

EXIT_USAGE = 2
EXIT_DIVERGED = 3
EXIT_OUTPUT = 74  # sysexits' EX_IOERR: an output (stdout, the log) could not be written
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader went away
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl+C
PROG = "microgpt-tui"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


class OutputError(Exception):
    """An output could not be written (a full disk, a failed flush): one line, exit code 74."""


class StdoutClosed(Exception):
    """The reader of stdout went away (`| head -1`): end quietly, as Unix tools do."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, treated like Ctrl+C: what was trained is saved, then the run ends."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def exit_code_of(stop: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a process its signal ended."""
    return 128 + stop.signum if isinstance(stop, Stopped) else EXIT_INTERRUPTED


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP interrupt the run the way SIGINT does (so it saves before it ends)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_stopped)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block (a save) is done, then act on the first one.

    An interruption inside a save would leave no checkpoint and a temp file behind;
    the save takes a fraction of a second, so the user waits that long instead.
    """
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        raise Stopped(caught[0]) if caught[0] != signal.SIGINT else KeyboardInterrupt


def survive_any_encoding() -> None:
    """Let stdout and stderr write any character: one their encoding cannot show (`PYTHONIOENCODING=ascii`,
    a Latin-1 terminal) is written as a backslash escape (\\xeb) instead of ending the run with a
    UnicodeEncodeError. Every line a command prints, argparse's and Rich's included, goes through these."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # (a test's replacement may not have it)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def complain(text: str) -> None:
    """Print a message to stderr, every character that does not print escaped: a message may quote a
    file name or a setting the user gave (`--data $'\\x1b]0;…\\x07'`), and the terminal must not act on it."""
    print(printable_lines(text), file=sys.stderr)


def printable_lines(text: str) -> str:
    """`text` escaped line by line (its own line breaks stay)."""
    return "\n".join(map(printable, text.split("\n")))


def emit(line: str) -> None:
    """Print one line to stdout now (escaped as `complain` does); a closed or failing stdout becomes
    StdoutClosed / OutputError."""
    try:
        print(printable_lines(line), flush=True)
    except BrokenPipeError:
        raise StdoutClosed from None
    except OSError as e:
        raise OutputError(_("cannot write to stdout: {reason}").format(reason=e.strerror or e)) from None


def flush_stdout() -> None:
    """Flush what print() buffered, with the same errors as `emit`."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise StdoutClosed from None
    except OSError as e:
        raise OutputError(_("cannot write to stdout: {reason}").format(reason=e.strerror or e)) from None


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of a dead stdout prints no traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def step_line(record: StepRecord) -> str:
    """The reference's progress line: `step    1 / 1000 | loss 3.3563` (the defaults on the bundled names)."""
    return f"step {record.step:4d} / {record.total_steps:4d} | loss {record.loss:.4f}"
