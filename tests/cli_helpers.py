"""Provides what the command-line tests share: running `microgpt-tui` as a user would, and its error check."""

import asyncio
import contextlib
import io
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

ENTRY = [sys.executable, "-m", "microgpt_tui"]  # what the `microgpt-tui` script runs
SERVED_APP = [sys.executable, "-m", "microgpt_tui.cli.serve"]  # what textual-serve runs per browser tab


def cli(*args, cwd=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run `microgpt-tui ARGS...` in a fresh interpreter and capture its exit code, stdout and stderr."""
    return subprocess.run([*ENTRY, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


def refused(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`cli(*args)` run in this interpreter through `main(argv)`, for input the command must refuse before it
    starts: a fresh interpreter costs a quarter second, and what is checked is the exit code and stderr, not
    the process. Should the input be taken, the test fails at once instead of opening the app, serving or
    training; should the command block (a FIFO opened), it fails after `timeout` seconds, as `cli` does."""
    return in_process(*args, cwd=cwd, timeout=timeout, may_train=False)


def in_process(
    *args: str, cwd: Path | None = None, timeout: float = 60, may_train: bool = True
) -> subprocess.CompletedProcess:
    """`cli(*args)` run in this interpreter through `main(argv)`: its exit code and what it printed, as a
    CompletedProcess. Opening the app or serving fails the test (they need a process of their own), and so
    does training unless `may_train`. The signal handlers `train` and `sample` install are put back; a run
    still going after `timeout` seconds fails."""
    from microgpt_tui.cli import main as cli_main

    def started(*_: object, **__: object) -> NoReturn:
        raise AssertionError(f"microgpt-tui {' '.join(args)} took its input and started")

    def blocked(*_: object) -> NoReturn:
        raise AssertionError(f"microgpt-tui {' '.join(args)} still ran after {timeout} s")

    out, err = io.StringIO(), io.StringIO()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM)}
    names = ("open_app", "serve") if may_train else ("open_app", "serve", "train_loop")
    starts = {name: getattr(cli_main, name) for name in names}
    try:
        for name in starts:
            setattr(cli_main, name, started)
        signal.signal(signal.SIGALRM, blocked)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        with contextlib.chdir(cwd or Path.cwd()), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli_main.main(list(args))
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for name, start in starts.items():
            setattr(cli_main, name, start)
        for sig, handler in handlers.items():
            if handler is not None:
                signal.signal(sig, handler)
    return subprocess.CompletedProcess(["microgpt-tui", *args], code, out.getvalue(), err.getvalue())


def assert_one_line_error(result: subprocess.CompletedProcess, code: int, message: str) -> None:
    """The run ended with `code` and a single stderr line containing `message`, never a traceback."""
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr


def eventually(condition: Callable[[], object], what: str, timeout: float = 60, every: float = 0.02) -> None:
    """Wait until `condition()` holds, for what only another process or thread changes (a file, a port, a
    count) and nothing announces: it looks every `every` seconds. Fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


async def eventually_async(condition: Callable[[], object], what: str, timeout: float = 60) -> None:
    """`eventually` inside a test's event loop (which goes on meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)
