"""Provides `FolderTree`: the files of the current folder to choose the training data from.

A Textual `DirectoryTree` rooted at "." (so a chosen file's path is short and
relative, as typed), whose root says which folder that is and which leaves out
hidden files and folders.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.widgets import DirectoryTree


class FolderTree(DirectoryTree):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Path("."), id=id)
        here = Path.cwd()
        self.title = f"{here.name or here}/ (the current folder)"

    async def watch_path(self) -> None:
        await super().watch_path()  # (which names the root by its path, ".")
        self.root.set_label(self.title)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]
