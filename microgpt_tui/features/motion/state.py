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
from microgpt_tui.core.views import Change
from microgpt_tui.engine_errors import said
from microgpt_tui.features.motion.asciicast import write_cast
from microgpt_tui.features.motion.frames import FrameRing, pick
from microgpt_tui.features.motion.loss_svg import curve_of, write_loss_animation
from microgpt_tui.features.motion.svg import write_svg
from microgpt_tui.language import _, ngettext
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
            return self._failed(_("no screen taken yet to export"))
        folder = self.session.save_path.parent
        stem = f"microgpt-last{RECENT_SECONDS}s-step{self.session.trainer.step_count}"
        base = new_name(folder, stem, (".cast", ".svg"), taken=self.writing)
        self.writing.add(base)
        cast, svg = base.with_name(base.name + ".cast"), base.with_name(base.name + ".svg")
        title = _("microgpt-tui: the last {seconds} s").format(seconds=RECENT_SECONDS)
        shown = pick(frames, SVG_FRAMES)
        seconds = frames[-1].time - frames[0].time

        def write(cancelled: Callable[[], bool], report: Callable[[], object]) -> tuple[bool, str]:
            """Whether the files were written, and the note that says so (or why not)."""
            try:
                write_cast(cast, frames, title, timestamp=int(time.time()))
                write_svg(svg, shown, title)
            except (OSError, PathError, ValueError) as exc:
                return False, _("could not export to {folder}: {reason}").format(folder=folder, reason=said(exc))
            screens = ngettext("{count} screen", "{count} screens", len(frames)).format(count=len(frames))
            drawn = ngettext("{count} frame", "{count} frames", len(shown)).format(count=len(shown))
            return True, _("exported {cast} ({screens} over {seconds} s) and {svg} ({frames}) to {folder}").format(
                cast=cast.name,
                screens=screens,
                seconds=f"{seconds:.1f}",
                svg=svg.name,
                frames=drawn,
                folder=folder.resolve(),
            )

        def landed(written: tuple[bool, str]) -> Change:
            self.writing.discard(base)
            done, note = written
            if not done:
                return self._failed(note)
            self.session.notify(note, title=_("exported"))
            return self.session.say(note)

        self.session.start(Job(f"motion-{base.name}", write, landed))  # (a group each: one never cancels another)
        screens = ngettext("{count} screen", "{count} screens", len(frames)).format(count=len(frames))
        return self.session.say(
            _("exporting the last {screens} to {cast} and {svg}…").format(screens=screens, cast=cast.name, svg=svg.name)
        )

    def export_training(self) -> Change:
        """The live run's loss curve as an animation over its steps (from its history: nothing is trained again)."""
        history = self.session.history
        if not len(history):
            return self._failed(_("no training step yet: the loss curve has nothing to show"))
        run = self.session.current_run
        curve = curve_of(history, f"{run.name}: {self.session.dataset_name}", run.uniform, run.bigram)
        folder = self.session.save_path.parent
        base = new_name(folder, f"microgpt-loss-step{history.now}", (".svg",))
        path = base.with_name(base.name + ".svg")
        try:
            write_loss_animation(path, curve, LOSS_FRAMES)
        except (OSError, PathError, ValueError) as exc:
            return self._failed(_("could not export to {folder}: {reason}").format(folder=folder, reason=said(exc)))
        frames = min(LOSS_FRAMES, len(history))  # (a frame a kept step, when there are fewer)
        steps = ngettext("{count} step", "{count} steps", history.now).format(count=f"{history.now:,}")
        drawn = ngettext("{count} frame", "{count} frames", frames).format(count=frames)
        note = _("exported {file} (the loss over {steps}, {frames}) to {folder}").format(
            file=path.name, steps=steps, frames=drawn, folder=folder.resolve()
        )
        self.session.notify(note, title=_("exported"))
        return self.session.say(note)

    def _failed(self, note: str) -> Change:
        self.session.notify(note, title=_("export failed"), severity="error", timeout=8)
        return self.session.say(note)
