"""Provides `read_capped`: the bytes of a regular file, at most a given number, or a one-line error.

The data loader and the checkpoint loader both read files a user names, so
both must refuse what would hang or exhaust memory (a FIFO blocks, a device
never ends, a huge file fills memory) and turn every failure into one line
naming the file. Each keeps its own error class and its own words; the checks
live here, once.
"""

from __future__ import annotations

import stat
from pathlib import Path


def read_capped(
    path: Path,
    limit: int,
    error: type[Exception],
    *,
    missing: str,
    directory: str,
    too_large: str,
) -> bytes:
    """The contents of the regular file `path`, if it holds at most `limit` bytes.

    Any problem raises `error(f"{path}: {reason}")`. `missing`, `directory` and
    `too_large` are the caller's reasons for those three cases; "not a regular
    file", "permission denied" and "cannot read (...)" are shared.
    """
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            reason = directory
        elif not stat.S_ISREG(mode):  # a FIFO would block, a device never end
            reason = "not a regular file"
        else:
            with path.open("rb") as f:
                raw = f.read(limit + 1)  # one byte past the limit tells "too large" from "exactly the limit"
            if len(raw) <= limit:
                return raw
            reason = too_large
    except FileNotFoundError:
        reason = missing
    except IsADirectoryError:  # became a directory after the stat
        reason = directory
    except PermissionError:
        reason = "permission denied"
    except OSError as e:
        reason = f"cannot read ({e.strerror or e})"
    # Raised outside the except clauses, so no OSError is chained to the one line.
    raise error(f"{path}: {reason}")
