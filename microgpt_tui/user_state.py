"""Provides what the app remembers between launches: whether the tour was offered, taken, finished, and the
lessons' progress (features/lessons/progress.py).

A small JSON file under the user's config directory
($XDG_CONFIG_HOME/microgpt-tui/state.json, else ~/.config/microgpt-tui/state.json).
It is a convenience, never a reason to fail: an unreadable or malformed file
reads as empty, and a file that cannot be written is left alone. Writes go to
a temporary file in the same directory, then replace the old one, so a crash
never leaves half a file.
"""

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from microgpt_engine.paths import read_capped

APP_DIR = "microgpt-tui"


MAX_BYTES = 1024 * 1024  # the file holds a few flags: anything larger is not ours


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    try:
        base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    except RuntimeError:  # no HOME and no password entry: remember nothing, in the working folder's stead
        base = ".config"
    return Path(base) / APP_DIR / "state.json"


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The remembered state as a dict ({} if there is none or it cannot be read)."""
    try:  # (capped and regular files only: a FIFO there would block the app's start for ever)
        raw = read_capped(path, MAX_BYTES, ValueError, missing="", directory="", too_large="")
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(path: str | os.PathLike[str], **changes: object) -> bool:
    """Merge `changes` into the file, atomically. Returns False if it could not be written."""
    path = Path(path)
    data = {**load(path), **changes}
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
    return True
