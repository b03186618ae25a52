"""Provides `Recorder`: the session's inputs since it began, and the intents that record them and share a screen.

The app hands every input to `log` at its one door for keys (and what it did on its own: training's
hand-overs, a background job landing, a timer's tick), from the first frame, whether or not the
learner records: so recording can start at any moment and its file still replays from the session's
start, bit for bit (the file marks where the learner started and stopped). ctrl+r starts and stops;
stopping writes the file (beside the checkpoint, or where --record said). `#` shares the screen as a
code (codes.py).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microgpt_engine.paths import PathError
from microgpt_tui.core.views import Change
from microgpt_tui.engine_errors import said
from microgpt_tui.features.recording import codes
from microgpt_tui.features.recording import format as rec
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

DEFAULT_NAME = "microgpt-recording"


class Recorder:
    """The session's log of inputs, whether it is being recorded, and where to."""

    def __init__(self, session: Session, rules: Interlocks, clock: Callable[[], float] = time.monotonic) -> None:
        self.session, self.rules = session, rules
        self.clock = clock
        self.began = clock()
        trainer = session.trainer
        self.config, self.engine = trainer.config, trainer.engine  # (the first run's: a replay starts there)
        self.first_docs = list(session.docs)  # (a code names the data the app started with, and only that)
        self.events: list[rec.Event] = []
        self.full = False  # the log reached MAX_EVENTS: nothing more is kept
        self.data: rec.DataIdentity | None = None  # the data file's identity (the command line knows the file)
        self.terminal: tuple[int, int] = (80, 24)  # the terminal's size when the session began (the app's)
        self.app_version = ""
        self.offered = False  # the session began by offering the tour (a first launch)
        self.lessons: dict[str, Any] = {}  # the lessons' progress as the session began (the lab sets it)
        self.path: Path | None = None  # where the recording goes (--record, or chosen at the first ctrl+r)
        self.recording = False
        self.written: Path | None = None  # the file written last
        self.write_failed = False  # the last write did not happen (its note says why)
        # why this session cannot be replayed from its start (it began from a checkpoint)
        self.refusal = "" if trainer.step_count == 0 else N_("this session began from a checkpoint, not a new run")
        # The lessons feature's hooks, once it exists: the chapter on show (a code carries it), and opening one.
        self.lesson: Callable[[], str | None] = lambda: None
        self.open_lesson: Callable[[str], Change] | None = None

    # -- the log (the app's door calls these) ---------------------------------------------

    def log(self, kind: str, value: object, char: str | None = None) -> None:
        if self.full:
            return
        if len(self.events) >= rec.MAX_EVENTS:
            self.full = True
            if self.recording:
                self.session.notify(_("the recording is full: it ends here"), severity="warning", timeout=8)
            return
        self.events.append(rec.Event(self.clock() - self.began, kind, value, char))

    def header(self) -> rec.Header:
        data = self.data or self.docs_identity()
        return rec.Header(
            self.config, self.engine, data, self.terminal, self.app_version, offered=self.offered, lessons=self.lessons
        )

    def docs_identity(self) -> rec.DataIdentity:
        """The documents as one file holding them would read (an app made without a file: tests, presets)."""
        raw = "".join(doc + "\n" for doc in self.session.docs).encode("utf-8")
        name = Path(self.session.dataset_name or "documents.txt").name
        return rec.DataIdentity(name, len(raw), hashlib.sha256(raw).hexdigest())

    # -- recording ----------------------------------------------------------------------------

    def start(self, path: Path | None = None, quiet: bool = False) -> Change:
        """Record from here (the file holds the session from its start, marked here); `quiet`: say nothing (a
        replay follows a recording that --record started)."""
        if self.refusal:
            note = _("cannot record: {reason} (a replay starts from a new run; record one with --record FILE)").format(
                reason=_(self.refusal)
            )
            self.session.notify(note, severity="warning", timeout=8)
            return self.session.say(note)
        self.path = path or self.path or self.default_path()
        self.recording = True
        self.log("mark", "start")
        if quiet:
            return Change()
        return self.session.say(_("recording to {file}: ctrl+r stops and writes it").format(file=self.path.name))

    def default_path(self) -> Path:
        """A new file beside the checkpoint, named for the time: never one that is there."""
        folder = self.session.save_path.parent
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1, 1000):
            path = folder / f"{DEFAULT_NAME}-{stamp}{f'-{n}' if n > 1 else ''}.jsonl"
            if not path.exists() and not path.is_symlink():
                return path
        return folder / f"{DEFAULT_NAME}-{stamp}-{time.monotonic_ns()}.jsonl"

    def stop(self) -> Change:
        """Stop recording and write the file."""
        self.recording = False
        self.log("mark", "stop")
        note = self.write()
        failed = self.write_failed
        toast = (
            note
            if failed or self.written is None
            else _("{note} (in {folder})").format(note=note, folder=self.written.parent)
        )
        self.session.notify(toast, severity="error" if failed else "information", timeout=10)
        return self.session.say(note)

    def toggle(self) -> Change:
        return self.stop() if self.recording else self.start()

    def write(self) -> str:
        """Write the whole log to the recording's file; what was done, in words."""
        assert self.path is not None
        try:
            self.written = rec.write(self.path, self.header(), self.events)
        except PathError as e:
            self.write_failed = True
            return _("could not write the recording: {reason}").format(reason=said(e))
        self.write_failed = False
        keys = sum(1 for e in self.events if e.kind in ("key", "paste"))
        return _("recorded {keys} keys in {file}: replay with microgpt-tui play {file}").format(
            keys=f"{keys:,}", file=self.written.name
        )

    def close(self) -> str | None:
        """The app ends: a recording still on is written (what was done, in words), else None."""
        if not self.recording:
            return None
        self.recording = False
        self.log("mark", "stop")
        return self.write()

    # -- share a screen -------------------------------------------------------------------------

    def code(self, screen: str) -> codes.ScreenCode | str:
        """Where the app is now as a code, or why it cannot be one. `screen`: the class name of the screen on top."""
        session, rules = self.session, self.rules
        run = session.current_run
        if run.origin or session.trainer.step_count != session.time.now or self.refusal:
            return _("this run did not start from its settings (a fork, a loaded run or a checkpoint)")
        if session.docs != self.first_docs:
            return _("this run trains on data chosen in the settings; a code names the data the app started with")
        if not codes.plain_config(run.config):
            return _("this run's settings are not all ones a code holds")
        if rules.training:
            return _("training is running: pause it (r) first")
        sel = session.selection
        data = self.data or self.docs_identity()
        return codes.ScreenCode(
            config=replace(run.config, temperature=sel.temperature),
            engine=session.trainer.engine,
            data=None if data.bundled else codes.DataRef(data.name, data.size, data.sha256[:12]),
            step=session.trainer.step_count,
            viewed=session.viewed_step,
            layer=sel.layer,
            head=sel.head,
            all_heads=sel.all_heads,
            position=sel.position,
            before=sel.before_update,
            ablation=frozenset(rules.ablation),
            view=codes.SCREENS.get(screen, ""),
            lesson=self.lesson(),
        )

    def share(self, screen: str) -> tuple[str | None, Change]:
        """The code of this screen (None if it cannot be one) and the note that shows it."""
        code = self.code(screen)
        if isinstance(code, str):
            note = _("no code for this screen: {reason}").format(reason=code)
            self.session.notify(note, severity="warning", timeout=8)
            return None, self.session.say(note)
        text = code.text()
        self.session.notify(
            _("{code} (copied where the terminal allows): microgpt-tui --open {code}").format(code=text),
            title=_("code"),
        )
        return text, self.session.say(_("this screen's code: {code}").format(code=text))
