"""Provides `SaveGuard`: the session never writes over a checkpoint it did not load or write without asking.

A fresh app started in a folder that holds someone's `microgpt-checkpoint.json`
must not replace a 20,000-step run with step 1 on ctrl+s. The guard remembers
the identity of the file the session knows (the one it loaded, the one it last
wrote: device, inode, size, modification time); any other regular file at the
save path is someone else's, and the app asks first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

Signature = tuple[int, int, int, int]


def signature(path: Path) -> Signature | None:
    """Who the regular file at `path` is (None: no file, or not a regular one, which a save refuses anyway)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


class SaveGuard:
    """Knows the checkpoint file this session may replace without asking."""

    def __init__(self, save_path: Path, loaded_from: Path | None = None) -> None:
        loaded = signature(loaded_from) if loaded_from is not None else None
        self.known = loaded if loaded is not None and loaded == signature(save_path) else None

    def must_ask(self, path: Path) -> bool:
        """Whether `path` holds a checkpoint this session neither loaded nor wrote."""
        found = signature(path)
        return found is not None and found != self.known

    def wrote(self, path: Path) -> None:
        self.known = signature(path)
