"""Provides the command line of recordings and codes: --record FILE, --open CODE, and `microgpt-tui play FILE`.

Everything a file or a code says is checked before the app opens (features/recording: format.py,
codes.py); each problem is one line and exit code 2. A replay writes nothing of the user's: it saves,
exports and keeps its recovery checkpoint in a temporary folder of its own, printed when it ends.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import microgpt_data
from microgpt_engine import ConfigError, Trainer
from microgpt_engine.paths import PathError
from microgpt_tui.cli.outcomes import PROG, UsageError, complain
from microgpt_tui.engine_errors import said
from microgpt_tui.features.recording import codes
from microgpt_tui.features.recording import format as rec
from microgpt_tui.language import _

if TYPE_CHECKING:
    from microgpt_tui.replay import ReplayApp

# The options a code (or a recording) carries itself: giving one beside it is a conflict.
CARRIED = {"seed": "--seed", "steps": "--steps", "lr": "--lr", "n_embd": "--n-embd", "n_head": "--n-head"}
CARRIED |= {"n_layer": "--n-layer", "block_size": "--block-size", "temperature": "--temperature"}


def check_app_only(args: argparse.Namespace) -> None:
    """--record and --open belong to the app itself, and neither to a run continued from a checkpoint."""
    for flag, value in (("--record", args.record), ("--open", args.open)):
        if value is None:
            continue
        if args.command is not None:
            raise UsageError(
                _("{flag} is an option of the app, not of '{command}'").format(flag=flag, command=args.command)
            )
        if args.load:
            raise UsageError(_("{flag} starts from a new run: it cannot be used with --load").format(flag=flag))


def identity(path: str | None) -> rec.DataIdentity:
    """The data file's identity (the bundled names when `path` is None); one line if it cannot be read."""
    try:
        if path is None:
            return rec.identify(microgpt_data.bundled_names_path(), bundled=True)
        return rec.identify(path)
    except PathError as e:
        raise UsageError(said(e)) from None


def apply_code(args: argparse.Namespace) -> codes.ScreenCode:
    """The code of --open, checked, its settings put in the options the trainer is built from."""
    try:
        code = codes.parse(args.open)
    except codes.CodeError as e:
        raise UsageError(_("--open: {reason}").format(reason=said(e))) from None
    given = [flag for dest, flag in CARRIED.items() if getattr(args, dest) is not None]
    if given:
        raise UsageError(_("--open carries its own settings: drop {flag}").format(flag=given[0]))
    if code.data is None and args.data is not None:
        raise UsageError(_("this code was made on the bundled names: drop --data"))
    if code.data is not None:
        if args.data is None:
            raise UsageError(
                _("this code needs the data file {data}: give it with --data FILE").format(data=code.data.describe())
            )
        found = identity(args.data)
        if found.size != code.data.size or not found.sha256.startswith(code.data.sha):
            raise UsageError(
                _("{path} is not the data this code needs: {data}").format(path=args.data, data=code.data.describe())
            )
    for dest in CARRIED:
        setattr(args, dest, getattr(code.config, dest))
    args.engine = code.engine
    return code


def recorded_data(recording: rec.Recording, given: str | None, file: str) -> tuple[list[str], str]:
    """The documents the recording was made on: the bundled names or the --data file, if its bytes are the same."""
    wanted = recording.header.data
    found = identity(given if given is not None or not wanted.bundled else None)
    if (found.size, found.sha256) != (wanted.size, wanted.sha256):
        if given is None:
            raise UsageError(
                _("{file} was recorded on other data, {data}: give that file with --data FILE").format(
                    file=file, data=wanted.describe()
                )
            )
        raise UsageError(
            _("{given} is not the data {file} was recorded on: {data}").format(
                given=given, file=file, data=wanted.describe()
            )
        )
    path = Path(given) if given is not None else microgpt_data.bundled_names_path()
    try:
        return microgpt_data.load_documents(path), path.name
    except microgpt_data.DataError as e:
        raise UsageError(said(e)) from None


def recorded_session(file: str, given: str | None) -> tuple[rec.Recording, Trainer, list[str], str]:
    """The recording in `file`, a new trainer on its settings and data, the documents and the data's name
    (play and export both replay it; every refusal is one UsageError line)."""
    try:
        recording = rec.read(file)
    except rec.RecordingError as e:
        raise UsageError(said(e)) from None
    header = recording.header
    docs, name = recorded_data(recording, given, file)
    try:
        header.config.check_size(len(set("".join(docs))) + 1, header.engine)
        trainer = Trainer(docs, header.config, engine=header.engine)
    except ConfigError as e:
        raise UsageError(_("{file}: {reason}").format(file=file, reason=said(e))) from None
    return recording, trainer, docs, name


def play(args: argparse.Namespace) -> int:
    """`microgpt-tui play FILE`: the recording replayed in this terminal."""
    from microgpt_tui.cli.launch import needs_terminal, run_app

    recording, trainer, docs, name = recorded_session(args.file, getattr(args, "data", None))
    needs_terminal()
    folder = Path(tempfile.mkdtemp(prefix="microgpt-replay-"))
    app = replay_app(recording, trainer, docs, name, folder, args)
    code = run_app(app)
    complain(
        _("{prog}: the replay's own files (saves, exports, recovery) are in {folder}").format(prog=PROG, folder=folder)
    )
    if app.player.diverged:
        complain(f"{PROG}: {app.player.diverged}")
        return 1
    return code


def replay_app(
    recording: rec.Recording, trainer: Trainer, docs: list[str], name: str, folder: Path, args: argparse.Namespace
) -> ReplayApp:
    """The app replaying `recording`, with everything it writes confined to `folder`."""
    from microgpt_tui.replay import Player, ReplayApp

    header = recording.header

    def player(app: ReplayApp) -> Player:
        return Player(app, recording, speed=args.speed, seek_key=args.seek_key, seek_step=args.seek_step)

    app = ReplayApp(
        trainer,
        dataset_name=name,
        save_path=folder / "microgpt-checkpoint.json",
        docs=docs,
        offer_tour=header.offered,
        state_path=folder / "state.json",  # (the tour's first-launch offer, remembered there only)
        player=player,
    )
    app.lab.experiments.confined_to = folder  # (the runs screen saves and loads only there)
    app.lab.recording.data = header.data
    app.lab.recording.path = folder / Path(args.file).name  # (its ctrl+r writes there: the notes read the same)
    return app
