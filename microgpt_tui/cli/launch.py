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
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from microgpt_engine import CheckpointError, Trainer, paths, save_checkpoint
from microgpt_engine.paths import PathError
from microgpt_tui.cli.options import installed_version
from microgpt_tui.cli.outcomes import PROG, STOP_SIGNALS, UsageError, complain
from microgpt_tui.engine_errors import said
from microgpt_tui.language import _, ngettext

if TYPE_CHECKING:
    from microgpt_tui.app import MicroGPTApp
    from microgpt_tui.core.runs import KeptRun
    from microgpt_tui.features.runs.saved_runs import SavedRun


def open_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, extra: Mapping[str, Any]
) -> int:
    """Run the app in this terminal; without one, explain instead of hanging.
    `extra`: what the --load checkpoint carries besides its weights (a saved run's curve, name, samples)."""
    saved = loaded_run(args, trainer, extra)
    needs_terminal()
    return launch_app(args, trainer, docs, data_name, saved)


def needs_terminal() -> None:
    """Refuse, in one line, to open the app where it cannot draw."""
    if os.environ.get("TERM") == "dumb":  # (Emacs' shell, some CI logs): no cursor to move, no screen to draw
        raise UsageError(
            _("the app needs a terminal that can draw (TERM is dumb); for headless training use 'microgpt-tui train'")
        )
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(_("the app needs a terminal; for headless training use 'microgpt-tui train'"))


def loaded_run(args: argparse.Namespace, trainer: Trainer, extra: Mapping[str, Any]) -> SavedRun | None:
    """The run a --load checkpoint carries (the runs screen's reading of it); None for a new run or a
    checkpoint of the older format, which carries nothing: that run goes on from its step, as before."""
    from microgpt_tui.features.runs.saved_runs import carried

    if not args.load or not extra:
        return None
    try:
        return carried(extra, trainer, Path(args.load))
    except CheckpointError as e:
        raise UsageError(said(e)) from None


def launch_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, saved: SavedRun | None = None
) -> int:
    """Run the app (in a terminal, or under textual-serve's web driver); returns its exit code."""
    return run_app(make_app(args, trainer, docs, data_name, saved))


def run_app(app: MicroGPTApp) -> int:
    """Run `app` until it ends; its exit code (a recording still on is written, and said where)."""
    stops: list[int] = []
    with signals_end(app, stops):
        app.run()
    written, where = app.lab.recording.close(), app.lab.recording.written
    if written is not None:
        told = _("{prog}: {written} (in {folder})") if where is not None else "{prog}: {written}"
        _say(told.format(prog=PROG, written=written, folder=where.parent if where is not None else ""))
    return ended(app, stops[0] if stops else None)


def make_app(
    args: argparse.Namespace, trainer: Trainer, docs: list[str], data_name: str, saved: SavedRun | None = None
) -> MicroGPTApp:
    """The app the options ask for; `saved`: the loaded run's whole loss curve, name and samples."""
    from microgpt_tui.app import MicroGPTApp

    app = MicroGPTApp(
        trainer,
        dataset_name=data_name,
        save_path=Path(args.save or args.load or "microgpt-checkpoint.json"),
        docs=docs,
        offer_tour=True,
        loaded_from=Path(args.load) if args.load else None,
        saved=saved,
    )
    app.lab.experiments.confined_to = getattr(args, "confine_to", None)  # (set by `serve`)
    recorder = app.lab.recording
    recorder.data = getattr(args, "identity", None)  # (the data file's, for recordings and codes: cli/recording.py)
    recorder.app_version = installed_version()
    if getattr(args, "record", None):
        recorder.start(Path(args.record))
    code = getattr(args, "code", None)
    if code is not None:
        from microgpt_tui.opening import open_screen

        app.after_ready = partial(open_screen, app, code)
    for note in getattr(args, "notes", []):  # what the command line noted, shown once the app is up
        app.lab.session.notify(note, title=_("note"), timeout=30)
    return app


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
            # closed (`tmux kill-server`: asleep for 40 min, the steps never saved; textual_compat.py mends
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
    if code == 0 and lab.saving.quit_chosen:
        return 0
    if signum is not None:
        how = _("the app was stopped by {signal}").format(signal=signal.Signals(signum).name)
    elif code == 0:  # Textual's web driver ends the app on SIGTERM, SIGINT or a closed tab, exit code 0
        how = _("the app was ended without q (its browser tab closed, or the server stopped it)")
    else:
        how = _("the app stopped on an error")
    unsaved = lab.trainer.step_count - lab.saved_step
    if unsaved <= 0:
        _say(_("{prog}: {ended}; no training steps were unsaved").format(prog=PROG, ended=how))
    else:
        kept = _keep(lambda path: save_checkpoint(lab.trainer, path), lab.save_path)
        if isinstance(kept, Path):
            told = ngettext(
                "{prog}: {ended}; its unsaved step is saved in {path} (continue with --load {path})",
                "{prog}: {ended}; its {count} unsaved steps are saved in {path} (continue with --load {path})",
                unsaved,
            )
        else:
            told = ngettext(
                "{prog}: {ended}; its unsaved step is lost: {path}",
                "{prog}: {ended}; its {count} unsaved steps are lost: {path}",
                unsaved,
            )
        _say(told.format(prog=PROG, ended=how, count=f"{unsaved:,}", path=kept))
    _keep_earlier_runs(app)
    return code


def _keep_earlier_runs(app: MicroGPTApp) -> None:
    """The session's earlier runs that trained and were not saved from the runs screen: each in a recovery
    checkpoint of its own, with its loss curve (the runs screen's `l` loads it back)."""
    from microgpt_tui.features.runs import saved_runs

    lab = app.lab
    for run in lab.book.earlier():
        if run.final is None or run.number in lab.experiments.saved_runs:
            continue
        name = lab.save_path.with_name(f"{lab.save_path.stem}-run{run.number}{lab.save_path.suffix or '.json'}")
        kept = _keep(partial(_save_run, saved_runs.save, run), name)
        told = (
            _("{prog}: {run} ({steps} steps, not saved) is kept in {path}")
            if isinstance(kept, Path)
            else _("{prog}: {run} ({steps} steps, not saved) is lost: {path}")
        )
        _say(told.format(prog=PROG, run=run.name, steps=f"{run.steps:,}", path=kept))


def _save_run(save: Callable[[None, KeptRun, Path], object], run: KeptRun, path: Path) -> object:
    return save(None, run, path)


def _keep(write: Callable[[Path], object], save_path: Path) -> Path | str:
    """Write a recovery checkpoint named for `save_path` with `write(path)`: beside it; where that folder is
    full or read-only, in the working folder, then the temp one. The path written, or why none could be."""
    failures = []
    for folder in recovery_folders(save_path):
        path = recovery_path(folder / save_path.name)
        try:
            write(path)
            return path
        except (CheckpointError, PathError, OSError) as e:
            failures.append(said(e))
    return "; ".join(failures)


def recovery_folders(save_path: Path) -> list[Path]:
    """Where a recovery checkpoint may go, in order: beside the checkpoint, the working folder, the temp folder."""
    folders: list[Path] = []
    try:
        here = Path.cwd()
    except OSError:  # (the working folder was removed)
        here = save_path.parent
    for folder in (save_path.parent, here, Path(tempfile.gettempdir())):
        with contextlib.suppress(OSError, RuntimeError):
            if not any(paths.same_file(folder, seen) for seen in folders):
                folders.append(folder)
    return folders


def recovery_path(save_path: Path) -> Path:
    """A new file beside the checkpoint, named for the time: it never replaces anything."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        path = save_path.with_name(f"{save_path.stem}.recovery-{stamp}{f'-{n}' if n else ''}.json")
        if not path.exists():
            return path
    return save_path.with_name(f"{save_path.stem}.recovery-{stamp}-{time.monotonic_ns()}.json")
