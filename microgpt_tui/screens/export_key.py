"""Provides `export_files`: ctrl+x on a screen over the app saves what the app's own ctrl+x saves.

The screens do not import the app (the app imports them); `Exports` says the
one thing they ask of it.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.app import App


@runtime_checkable
class Exports(Protocol):
    """An app that saves its screen as SVG and the step history as CSV."""

    def export_files(self) -> None: ...


def export_files(app: App[Any]) -> None:
    """Have `app` save its SVG and CSV (an app with no export is a programming error, raised as one)."""
    if not isinstance(app, Exports):
        raise TypeError(f"{type(app).__name__} has no export_files")
    app.export_files()
