"""Provides the training documents: the bundled names list and a loader for any text file.

Installed as the `microgpt_data` package. Standard library and the engine's
capped read only; `copy_task.py` makes the copy task, a dataset built in by
name (`BUILT_IN`). The script that rebuilds names.txt (make_names.py) needs
pandas and is never imported here.
"""

from __future__ import annotations

import os
from pathlib import Path

from microgpt_engine.paths import read_capped

from .copy_task import NAME as COPY
from .copy_task import copy_documents

__all__ = ["BUILT_IN", "BUNDLED_NAMES", "COPY", "DataError", "built_in", "bundled_names_path", "load_documents"]

BUNDLED_NAMES = "names.txt"
MAX_BYTES = 256 * 1024 * 1024  # a pure-Python model would take days on more text than this


class DataError(Exception):
    """A dataset file could not be used; the message is one line naming the file."""


def bundled_names_path() -> Path:
    """Returns the path of the names.txt shipped beside this module."""
    return Path(__file__).resolve().parent / BUNDLED_NAMES


# The datasets a learner picks by name (`--dataset NAME`, the settings' dataset list), not by file.
BUILT_IN = ("names", COPY)


def built_in(name: str) -> tuple[list[str], str]:
    """The documents of the built-in dataset `name`, and the name to show for it ("names.txt", "copy")."""
    if name == COPY:
        return copy_documents(), COPY
    if name == "names":
        return load_documents(bundled_names_path()), BUNDLED_NAMES
    raise DataError(f"{name!r} is not a built-in dataset: choose {' or '.join(BUILT_IN)}")


def load_documents(path: str | os.PathLike[str]) -> list[str]:
    """Reads a UTF-8 file as one document per line, stripped, blank lines dropped."""
    path = Path(path)
    raw = read_capped(
        path,
        MAX_BYTES,
        DataError,
        missing="no such file",
        directory="is a directory, not a text file",
        too_large=f"more than {MAX_BYTES:,} bytes is more than this loader reads",
    )
    try:
        text = raw.decode("utf-8-sig")  # -sig: drop a leading byte-order mark
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None

    # "\n" only, as microgpt splits: str.splitlines() would also break at form
    # feeds, \x1c-\x1e and Unicode separators inside a document.
    documents = [line.strip() for line in text.split("\n")]
    documents = [doc for doc in documents if doc]
    if not documents:
        raise DataError(f"{path}: no documents (the file is empty or only blank lines)")
    return documents
