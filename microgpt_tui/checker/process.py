"""Provides `ScriptProcess`: the learner's script running in a child process, fenced in, and what it says.

The child runs `checker/harness.py` (which runs the script as `__main__`) in a fresh temporary folder that
holds only a read-only copy of the data as `input.txt`: nothing of the app's is writable there. It is its
own process group (a session), so a timeout, a verdict or Ctrl+C ends it and anything it started, and it
runs under rlimits: address space (the memory limit) and CPU seconds (the time limit; a wall-clock
deadline here catches a script that sleeps or waits). Its stdin is empty. What the script prints arrives
as events on a pipe, one JSON object a line (`events`); anything it writes to stderr is passed to `echo`.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HARNESS = "microgpt_tui.checker.harness"


@dataclass(frozen=True)
class Limits:
    seconds: float  # wall clock, and (plus a margin) CPU time
    memory_mb: int  # address space


class TimeLimit(Exception):
    """The script ran past the time limit."""


class ScriptProcess:
    def __init__(self, script: Path, docs: list[str], limits: Limits, echo: Callable[[str], None]) -> None:
        self.limits = limits
        self.folder = Path(tempfile.mkdtemp(prefix="microgpt-check-"))
        data = self.folder / "input.txt"
        data.write_text("\n".join(docs) + "\n", encoding="utf-8")
        data.chmod(0o444)
        to_checker, self._their_out = os.pipe()
        self._their_in, from_checker = os.pipe()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # (nothing of theirs written beside the script either)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])  # where the harness is, installed or not
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", HARNESS, str(script.resolve()), str(self._their_out), str(self._their_in)],
            cwd=self.folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(self._their_out, self._their_in),
            start_new_session=True,
            preexec_fn=self._limit,
        )
        os.close(self._their_out)
        os.close(self._their_in)
        self._events = os.fdopen(to_checker, "rb")
        self._answers = os.fdopen(from_checker, "w", encoding="utf-8")
        self._buffer = b""
        assert self.proc.stdout is not None
        self._echo = threading.Thread(target=self._pass_output, args=(self.proc.stdout, echo), daemon=True)
        self._echo.start()

    def _limit(self) -> None:
        """In the child, before the harness starts: its memory and CPU time are capped."""
        memory = self.limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = int(self.limits.seconds) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    @staticmethod
    def _pass_output(stream: Any, echo: Callable[[str], None]) -> None:
        for raw in iter(stream.readline, b""):
            try:
                echo(raw.decode("utf-8", "replace").rstrip("\n"))
            except Exception:  # our stdout closed (`| head`): the main thread hears of it and ends the check
                return

    def events(self) -> Iterator[dict[str, Any]]:
        """Each event the harness sends, until it ends (TimeLimit past the deadline)."""
        selector = selectors.DefaultSelector()
        selector.register(self._events, selectors.EVENT_READ)
        fd = self._events.fileno()
        try:
            while True:
                while b"\n" in self._buffer:
                    line, self._buffer = self._buffer.split(b"\n", 1)
                    yield json.loads(line)
                left = self.started + self.limits.seconds - time.monotonic()
                if left <= 0 or not selector.select(timeout=left):
                    raise TimeLimit
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return
                self._buffer += chunk
        finally:
            selector.close()

    def answer(self, **reply: Any) -> None:
        try:
            self._answers.write(json.dumps(reply) + "\n")
            self._answers.flush()
        except (BrokenPipeError, OSError):
            pass  # it ended meanwhile: the events say how

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def ended(self) -> int | None:
        """Its exit status once it has ended (a negative status: the signal that ended it)."""
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """End the script and everything it started (its whole process group), and remove its folder."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self._echo.join(timeout=5)
        for stream in (self._events, self._answers):
            with contextlib.suppress(OSError):
                stream.close()
        shutil.rmtree(self.folder, ignore_errors=True)
