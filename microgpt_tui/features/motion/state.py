"""Provides `Motion`: the app's last minute of screens (a ring the app fills) and the intents that export motion:
that minute as an asciicast and an animated SVG, and the run's loss curve as an animation.

Every file goes beside the checkpoint under a new name (as ctrl+x's do: an existing file is never replaced).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_engine.paths import PathError
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.labels import plural
from microgpt_tui.core.views import Change
from microgpt_tui.features.motion.asciicast import write_cast
from microgpt_tui.features.motion.frames import FrameRing, pick
from microgpt_tui.features.motion.loss_svg import curve_of, write_loss_animation
from microgpt_tui.features.motion.svg import write_svg
from microgpt_tui.option_rules import SVG_FRAMES  # (an SVG of a minute: 40 screens spread over it; the cast: all)

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

RECENT_SECONDS = 60  # what "the last seconds" keeps: a minute of screens
LOSS_FRAMES = 40  # the loss curve's animation: 40 moments of the run


def new_name(folder: Path, stem: str, suffixes: tuple[str, ...], taken: Collection[Path] = ()) -> Path:
    """folder/stem (without a suffix), with -2, -3, … until no file of that name with any of `suffixes` exists
    (nor a dangling symlink, which a write would follow) and it is not `taken` (an export still being written)."""
    base, n = folder / stem, 1
    while base in taken or any(os.path.lexists(base.with_name(base.name + suffix)) for suffix in suffixes):
        n += 1
        base = folder / f"{stem}-{n}"
    return base


class Motion:
    """The last minute of screens, and the exports that move."""

    def __init__(self, session: Session, rules: Interlocks, clock: Callable[[], float] = time.monotonic) -> None:
        self.session, self.rules, self.clock = session, rules, clock
        self.ring = FrameRing(RECENT_SECONDS)
        self.writing: set[Path] = set()  # the exports being written now (their names are taken)

    def export_recent(self) -> Change:
        """The last minute of screens as NAME.cast (every screen) and NAME.svg (SVG_FRAMES of them), beside the
        checkpoint: written off the UI thread (an SVG frame takes tens of milliseconds to draw)."""
        frames = self.ring.recent(self.clock())
        if not frames:
            return self._failed("no screen taken yet to export")
        folder = self.session.save_path.parent
        stem = f"microgpt-last{RECENT_SECONDS}s-step{self.session.trainer.step_count}"
        base = new_name(folder, stem, (".cast", ".svg"), taken=self.writing)
        self.writing.add(base)
        cast, svg = base.with_name(base.name + ".cast"), base.with_name(base.name + ".svg")
        title = f"microgpt-tui: the last {RECENT_SECONDS} s"
        shown = pick(frames, SVG_FRAMES)
        seconds = frames[-1].time - frames[0].time

        def write(cancelled: Callable[[], bool], report: Callable[[], object]) -> str:
            try:
                write_cast(cast, frames, title, timestamp=int(time.time()))
                write_svg(svg, shown, title)
            except (OSError, PathError, ValueError) as exc:
                return f"could not export to {folder}: {exc}"
            return (
                f"exported {cast.name} ({plural(len(frames), 'screen')} over {seconds:.1f} s) and {svg.name} "
                f"({plural(len(shown), 'frame')}) to {folder.resolve()}"
            )

        def landed(note: str) -> Change:
            self.writing.discard(base)
            if note.startswith("could not"):
                return self._failed(note)
            self.session.notify(note, title="exported")
            return self.session.say(note)

        self.session.start(Job(f"motion-{base.name}", write, landed))  # (a group each: one never cancels another)
        return self.session.say(f"exporting the last {plural(len(frames), 'screen')} to {cast.name} and {svg.name}…")

    def export_training(self) -> Change:
        """The live run's loss curve as an animation over its steps (from its history: nothing is trained again)."""
        history = self.session.history
        if not len(history):
            return self._failed("no training step yet: the loss curve has nothing to show")
        run = self.session.current_run
        curve = curve_of(history, f"{run.name}: {self.session.dataset_name}", run.uniform, run.bigram)
        folder = self.session.save_path.parent
        base = new_name(folder, f"microgpt-loss-step{history.now}", (".svg",))
        path = base.with_name(base.name + ".svg")
        try:
            write_loss_animation(path, curve, LOSS_FRAMES)
        except (OSError, PathError, ValueError) as exc:
            return self._failed(f"could not export to {folder}: {exc}")
        frames = min(LOSS_FRAMES, len(history))  # (a frame a kept step, when there are fewer)
        steps = f"{history.now:,} step{'' if history.now == 1 else 's'}"
        shown = f"the loss over {steps}, {plural(frames, 'frame')}"
        note = f"exported {path.name} ({shown}) to {folder.resolve()}"
        self.session.notify(note, title="exported")
        return self.session.say(note)

    def _failed(self, note: str) -> Change:
        self.session.notify(note, title="export failed", severity="error", timeout=8)
        return self.session.say(note)
