"""Provides `FolderTree`: the files of the current folder to choose the training data from.

A Textual `DirectoryTree` rooted at "." (so a chosen file's path is short and
relative, as typed), whose root says which folder that is and which leaves out
hidden files and folders. A name's characters that do not print show escaped
(`␛`), as the data's do everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text, TextType
from textual.widgets import DirectoryTree

from microgpt_tui.core.labels import visible_text
from microgpt_tui.language import _


class FolderTree(DirectoryTree):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Path("."), id=id)
        here = Path.cwd()
        self.title = _("{folder}/ (the current folder)").format(folder=here.name or here)

    async def watch_path(self) -> None:
        await super().watch_path()  # (which names the root by its path, ".")
        self.root.set_label(self.title)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]

    def process_label(self, label: TextType) -> Text:
        """A name as every view shows the data: what does not print, escaped (before: dropped unseen)."""
        return super().process_label(visible_text(label if isinstance(label, str) else label.plain))
