"""Provides the way from the command line into the Textual app, and out of it after a crash or a signal.

The only CLI module that imports the app, and only when it opens it, so that
`microgpt-tui train` and `sample` never import textual. However the app ends
(an exception, SIGTERM, SIGHUP, SIGINT), Textual's own shutdown restores the
terminal, the exit code says so, and steps not yet saved go to a recovery
checkpoint whose path is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from microgpt_engine import CheckpointError, Trainer, save_checkpoint
from microgpt_tui.cli.outcomes import PROG, STOP_SIGNALS, UsageError, complain

if TYPE_CHECKING:
    from microgpt_tui.app import MicroGPTApp
    from microgpt_tui.features.runs.saved_runs import SavedRun


def open_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, extra: Mapping[str, Any]
) -> int:
    """Run the app in this terminal; without one, explain instead of hanging.
    `extra`: what the --load checkpoint carries besides its weights (a saved run's curve, name, samples)."""
    saved = loaded_run(args, trainer, extra)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the app needs a terminal; for headless training use 'microgpt-tui train'")
    return launch_app(args, trainer, docs, data_name, saved)


def loaded_run(args: argparse.Namespace, trainer: Trainer, extra: Mapping[str, Any]) -> SavedRun | None:
    """The run a --load checkpoint carries (the runs screen's reading of it); None for a new run or a
    checkpoint of the older format, which carries nothing: that run goes on from its step, as before."""
    from microgpt_tui.features.runs.saved_runs import carried

    if not args.load or not extra:
        return None
    try:
        return carried(extra, trainer, Path(args.load))
    except CheckpointError as e:
        raise UsageError(str(e)) from None


def launch_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, saved: SavedRun | None = None
) -> int:
    """Run the app (in a terminal, or under textual-serve's web driver); returns its exit code."""
    app = make_app(args, trainer, docs, data_name, saved)
    stops: list[int] = []
    with signals_end(app, stops):
        app.run()
    return ended(app, stops[0] if stops else None)


def make_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, saved: SavedRun | None = None
) -> MicroGPTApp:
    """The app the options ask for; `saved`: the loaded run's whole loss curve, name and samples."""
    from microgpt_tui.app import MicroGPTApp

    return MicroGPTApp(
        trainer,
        dataset_name=data_name,
        save_path=Path(args.save or args.load or "microgpt-checkpoint.json"),
        docs=docs,
        offer_tour=True,
        loaded_from=Path(args.load) if args.load else None,
        saved=saved,
    )


@contextlib.contextmanager
def signals_end(app: MicroGPTApp, stops: list[int]) -> Iterator[None]:
    """While the app runs, SIGTERM, SIGHUP and SIGINT end it the way q does: through Textual's
    shutdown, which leaves the alternate screen, shows the cursor and stops mouse reporting."""

    def stop(signum: int, frame: FrameType | None) -> None:
        stops.append(signum)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # before the loop runs, or after: nothing on screen to restore
            raise KeyboardInterrupt from None
        loop.call_soon_threadsafe(lambda: app.exit(return_code=128 + signum))
        if len(stops) == 1:
            # A backstop: Textual's shutdown once waited forever on its writer thread after the terminal
            # closed (`tmux kill-server`: asleep for 40 min, the steps never saved; textual_fixes.py mends
            # that cause). If the app has not ended within STUCK_AFTER seconds, keep its steps and leave
            # without Textual.
            watchdog = threading.Timer(STUCK_AFTER, stuck, (app, signum))
            watchdog.daemon = True
            _watchdogs.append(watchdog)
            watchdog.start()

    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


STUCK_AFTER = 15.0  # seconds a stopped app may take to end before `stuck` keeps its steps without Textual
_ending = threading.Lock()  # held by whoever writes the recovery checkpoint: `ended` or `stuck`
_watchdogs: list[threading.Timer] = []


def stuck(app: MicroGPTApp, signum: int) -> None:
    """The app was stopped STUCK_AFTER seconds ago and has not ended: save its steps and exit."""
    if not _ending.acquire(blocking=False):
        return  # it did end: `ended` is at work
    os._exit(_recover(app, signum))


def ended(app: MicroGPTApp, signum: int | None) -> int:
    """The exit code of a finished app; when it did not end by choice, keep its unsaved steps."""
    for watchdog in _watchdogs:
        watchdog.cancel()
    with _ending:  # (if `stuck` holds it, it is about to end the process)
        return _recover(app, signum)


def _say(text: str) -> None:
    try:
        complain(text)
    except OSError:  # the terminal is gone: the checkpoint is written all the same
        pass


def _recover(app: MicroGPTApp, signum: int | None) -> int:
    lab = app.lab
    run = lab.stepping.run
    if run is not None:  # the training thread may be inside a step: let it finish that step
        run.request_stop()
        run.wait(timeout=30)
    code = 128 + signum if signum is not None else app.return_code or 0
    if code == 0:
        return 0
    how = f"was stopped by {signal.Signals(signum).name}" if signum is not None else "stopped on an error"
    unsaved = lab.trainer.step_count - lab.saved_step
    if unsaved <= 0:
        _say(f"{PROG}: the app {how}; no training steps were unsaved")
        return code
    path = recovery_path(lab.save_path)
    try:
        save_checkpoint(lab.trainer, path)
    except CheckpointError as e:
        _say(f"{PROG}: the app {how}; its {unsaved:,} unsaved steps are lost: {e}")
        return code
    _say(f"{PROG}: the app {how}; its {unsaved:,} unsaved steps are saved in {path} (continue with --load {path})")
    return code


def recovery_path(save_path: Path) -> Path:
    """A new file beside the checkpoint, named for the time: it never replaces anything."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        path = save_path.with_name(f"{save_path.stem}.recovery-{stamp}{f'-{n}' if n else ''}.json")
        if not path.exists():
            return path
    return save_path.with_name(f"{save_path.stem}.recovery-{stamp}-{time.monotonic_ns()}.json")
