"""Provides `Exporting`: the export intent (an SVG of the screen and a CSV of every step, by the checkpoint),
and the functions that write them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_engine.insight.export import write_csv
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.paths import PathError, reason
from microgpt_tui.core.said import Said
from microgpt_tui.core.views import Change
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


def export_base(folder: Path, step: int) -> Path:
    """folder/microgpt-step<step>, with -2, -3, … if an export of that step (or anything of its name, even a
    dangling symlink, which a write would follow) is already there."""
    base, n = folder / f"microgpt-step{step}", 1
    while os.path.lexists(base.with_suffix(".svg")) or os.path.lexists(base.with_suffix(".csv")):
        n += 1
        base = folder / f"microgpt-step{step}-{n}"
    return base


def export(folder: Path, history: RunHistory, save_svg: Callable[[Path], object]) -> str:
    """Write the screen (`save_svg(path)`) and every kept step as CSV into `folder`; say what was written.

    Raises OSError when either cannot be written.
    """
    base = export_base(folder, history.now)
    svg = base.with_suffix(".svg")
    save_svg(svg)
    if not len(history):
        return Said(
            N_("exported {svg} (no steps yet, so no CSV) to {folder}"), svg=svg.name, folder=str(folder.resolve())
        )
    write_csv(base.with_suffix(".csv"), history.rows())
    return Said(
        N_("exported {name}.svg and {name}.csv (1 step) to {folder}")
        if len(history) == 1
        else N_("exported {name}.svg and {name}.csv ({count} steps) to {folder}"),
        name=base.name,
        count=len(history),
        folder=str(folder.resolve()),
    )


def path_said(error: PathError) -> Said:
    """A path error as its template and fields, said again in the language of the moment (its words of its own,
    `what` and `reason`, translated; the path as it is)."""
    fields = {k: _(v) if k in ("what", "reason") and isinstance(v, str) else v for k, v in error.fields.items()}
    return Said(error.template, **fields)


class Exporting:
    """ctrl+x: the screen and the run's steps, written beside the checkpoint."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules

    def export(self, save_svg: Callable[[Path], object]) -> Change:
        """An SVG of the screen (`save_svg(path)`: the app's screenshot) and a CSV of every step, by the checkpoint."""
        folder = self.session.save_path.parent
        try:
            note = export(folder, self.session.history, save_svg)
        except (OSError, PathError) as exc:
            why = _(reason(exc)) if isinstance(exc, OSError) else path_said(exc)
            note = Said(N_("could not export to {folder}: {why}"), folder=str(folder), why=why)
            self.session.notify(note, title=N_("export failed"), severity="error", timeout=8)
            return self.session.say(note)
        self.session.notify(note, title=N_("exported"))
        return self.session.say(note)
