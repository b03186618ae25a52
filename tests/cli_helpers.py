"""Provides what the command-line tests share: running `microgpt-tui` as a user would, and its error check."""

import asyncio
import subprocess
import sys
import time
from collections.abc import Callable

ENTRY = [sys.executable, "-m", "microgpt_tui"]  # what the `microgpt-tui` script runs
SERVED_APP = [sys.executable, "-m", "microgpt_tui.cli.serve"]  # what textual-serve runs per browser tab


def cli(*args, cwd=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run `microgpt-tui ARGS...` in a fresh interpreter and capture its exit code, stdout and stderr."""
    return subprocess.run([*ENTRY, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


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
