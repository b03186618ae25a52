"""Provides `run_apart`: a time-travel `Replay` run in a child process.

A replay on a thread of the app shares the interpreter lock with the UI
thread: the UI then gets about half of it, and its own drawing takes two to
three times as long (bench/ui_stalls.py measures it). In a process of its own
the replay shares nothing. The child is forked: it starts with a copy of the
replay's scratch trainer (nothing to pickle on the way in, no module to import
again), steps it and sends back the states it passed through (pickled arrays:
about 0.1 MB a step for the default model). It only computes and writes to its
pipe, so the app's other threads (copied as not running) are never missed; a
cancelled replay's child is killed. Where no process can be forked, the
replay runs on the calling thread instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..train import Trainer
from .child import quiet_child
from .timetravel import Replay, Replayed, replay_steps

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

POLL = 0.05  # seconds between looks at whether the replay was cancelled
_context: Any = None


def _processes() -> Any:
    global _context
    if _context is None:
        import multiprocessing  # (here: importing it registers `__mp_main__`, which only replays need)

        _context = multiprocessing.get_context("fork")
    return _context


def _child(conn: Connection, trainer: Trainer, step: int, recorded: dict[int, float]) -> None:
    quiet_child()
    try:
        states, error, _ = replay_steps(trainer, step, recorded)
    except Exception as exc:  # (told to the app, which says it; never printed over its screen)
        states, error = [], f"the replay failed: {type(exc).__name__}: {exc}"
    try:
        conn.send((states, error))
        conn.close()
    except OSError:  # the app is gone: nobody to tell
        pass


def run_apart(replay: Replay, cancelled: Callable[[], bool] = lambda: False) -> Replayed:
    """Run `replay` in a child process; wait (off the interpreter lock) for its states, or until cancelled."""
    if replay.stopped or cancelled():
        return Replayed(replay, (), cancelled=True)
    try:
        context = _processes()
        here, there = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(there, replay.trainer, replay.step, replay.recorded), daemon=True)
        child.start()
    except (OSError, ValueError):  # no processes here (a sandbox, a platform without fork)
        return replay.run(cancelled)
    there.close()
    try:
        while not here.poll(POLL):
            if replay.stopped or cancelled():
                return Replayed(replay, (), cancelled=True)
            if not child.is_alive() and not here.poll(0):
                return Replayed(replay, (), error=f"the replay's process ended early (exit code {child.exitcode})")
        try:
            states, error = here.recv()
        except EOFError:
            return Replayed(replay, (), error=f"the replay's process ended early (exit code {child.exitcode})")
        return Replayed(replay, tuple(states), error)
    finally:
        here.close()
        if child.is_alive():
            child.kill()
        child.join(5)
