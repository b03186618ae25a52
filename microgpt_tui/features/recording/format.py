"""Provides the recording format: a session as its settings, its data's identity and its inputs, as JSON lines.

A recording is UTF-8 text, one JSON object per line. The first line is the header:

    {"format": "microgpt-tui recording", "version": 1, "app": "0.1.0", "engine": "fused",
     "settings": {"n_embd": 16, ..., "seed": 42, ...}, "terminal": [80, 24],
     "data": {"name": "names.txt", "bundled": true, "size": 228145, "sha256": "..."}}

`settings` is every field of the engine's Config (the seed among them); `offered` (only when true): the
session began by offering the tour, as a first launch does; `lessons` (only when there is some): the
lessons' progress the session began with (`done`: chapter keys, `at`: the step each was left at,
`answered`: the questions answered in each), which a replay begins from; `data` names the documents the
run trained on by file name, size in bytes and the SHA-256 of the file's bytes (`bundled`: the list that
ships with the app). Every later line is one event, in the order the app took them in, each with `t`,
the seconds since the session began:

    {"t": 0.52, "key": "space", "char": " "}   a key at the app's door (`char` absent when it has none)
    {"t": 3.1, "paste": "emma"}                 text pasted (into a dialog's field)
    {"t": 4.0, "resize": [100, 30]}             the terminal's new size
    {"t": 4.5, "mouse": ["down", 12, 7, 1, 0]}  a mouse button pressed ("down"), released ("up"), or the wheel
                                                ("scroll_up", "scroll_down") at column 12, row 7, button 1,
                                                modifiers 0 (1 shift, 2 meta, 4 ctrl)
    {"t": 5.2, "steps": 137}                    training handed steps over: the history now ends at 137
    {"t": 5.3, "job": 4}                        the 4th background job of the session landed
    {"t": 6.0, "tick": "sample"}                the sampling timer showed one more character
    {"t": 7.0, "mark": "start"}                 the learner started recording here (and "stop")
    {"t": 9.9, "end": 41}                       the last line: the recording was closed, after 41 events

Keys are what a replay presses; the other events are what the app did on its own (training on its
thread, background jobs, timers), kept so that a replay takes them in at the same point between the
keys, which makes its screens bit-identical. A file without its `end` line was cut short and is
refused. Reading checks everything (`loads`): a damaged or hostile file is one `RecordingError` line,
and nothing in it is ever run: its keys are only ever pressed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from microgpt_engine import Config, ConfigError
from microgpt_engine.config import MAX_WHOLE
from microgpt_engine.paths import PathError, read_capped, write_atomically
from microgpt_tui import option_rules
from microgpt_tui.language import N_, _

FORMAT = "microgpt-tui recording"
VERSION = 1  # the newest format this app reads and the one it writes
MAX_BYTES = 16 * 1024 * 1024  # a five-minute session is tens of kilobytes; this is days of keys
MAX_EVENTS = 1_000_000
MAX_PASTE = 10_000  # characters of one paste (a dialog field's text)
MAX_SIZE = 1_000  # a terminal's columns or rows
MAX_SECONDS = 10_000_000.0  # a session's length (about four months)
KEY_NAME = re.compile(r"[A-Za-z0-9_+\-]{1,40}")  # Textual's key names: "space", "ctrl+x", "left_square_bracket"
SHA256 = re.compile(r"[0-9a-f]{64}")
TICKS = frozenset({"sample"})
MARKS = frozenset({"start", "stop"})
ENGINES = frozenset({"fused", "plain"})
# Config's fields a user types (the rest are the engine's constants): each read by its typed-option rule too.
TYPED = ("n_embd", "n_head", "n_layer", "block_size", "steps", "seed", "lr", "temperature")


class RecordingError(ValueError):
    """A recording that cannot be read or replayed; the message is one line."""


@dataclass(frozen=True)
class DataIdentity:
    """Which documents a run trained on: a file's name, size and SHA-256 (`bundled`: the app's own list)."""

    name: str
    size: int
    sha256: str
    bundled: bool = False

    def describe(self) -> str:
        """The file as a message names it: 'names.txt (228,145 bytes, sha256 0a1b2c3d…)'."""
        return _("{name} ({size} bytes, sha256 {sha}…)").format(
            name=self.name, size=f"{self.size:,}", sha=self.sha256[:12]
        )

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "bundled": self.bundled, "size": self.size, "sha256": self.sha256}


def identify(path: str | os.PathLike[str], bundled: bool = False) -> DataIdentity:
    """The identity of the data file at `path` (read through the engine's capped read; PathError if it cannot be)."""
    from microgpt_data import MAX_BYTES as DATA_BYTES

    raw = read_capped(
        path,
        DATA_BYTES,
        PathError,
        missing=_("no such file"),
        directory=_("it is a directory"),
        too_large=_("too large"),
    )
    return DataIdentity(Path(path).name, len(raw), hashlib.sha256(raw).hexdigest(), bundled)


@dataclass(frozen=True)
class Header:
    """What a replay needs before the first key: the settings, the engine, the data, the terminal's size."""

    config: Config
    engine: str
    data: DataIdentity
    terminal: tuple[int, int]
    app: str = ""
    version: int = VERSION
    offered: bool = False  # the session began by offering the tour (its first launch): a replay offers it too
    lessons: Mapping[str, Any] = field(default_factory=dict)  # the lessons' progress as it began ({}: none)

    def to_dict(self) -> dict[str, Any]:
        header = {
            "format": FORMAT,
            "version": self.version,
            "app": self.app,
            "engine": self.engine,
            "settings": self.config.to_dict(),
            "terminal": list(self.terminal),
            "data": self.data.to_dict(),
        }
        return (
            header
            | ({"offered": True} if self.offered else {})
            | ({"lessons": dict(self.lessons)} if self.lessons else {})
        )


KINDS = ("key", "paste", "resize", "mouse", "steps", "job", "tick", "mark")
MOUSE = ("down", "up", "scroll_up", "scroll_down")


@dataclass(frozen=True)
class Event:
    """One input or one thing the app did on its own, `t` seconds after the session began.

    `kind` is one of KINDS; `value` is the key's name ("key"), the text ("paste"), (columns, rows)
    ("resize"), (what, column, row, button, modifiers) ("mouse"), the last step handed over ("steps"),
    the job's number ("job"), the timer ("tick") or the mark ("mark"); `char` is a key's character, if any.
    """

    t: float
    kind: str
    value: Any
    char: str | None = None

    def to_dict(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "t": round(self.t, 3),
            self.kind: list(self.value) if self.kind in ("resize", "mouse") else self.value,
        }
        if self.kind == "key" and self.char is not None:
            line["char"] = self.char
        return line


@dataclass(frozen=True)
class Recording:
    """A whole recording: its header and its events, oldest first."""

    header: Header
    events: tuple[Event, ...] = field(default_factory=tuple)

    @property
    def keys(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind in ("key", "paste", "resize", "mouse"))

    def dumps(self) -> str:
        return dumps(self.header, self.events)


def dumps(header: Header, events: Iterable[Event]) -> str:
    """The recording as its file holds it: the header, the events, and the `end` line."""
    lines = [_line(header.to_dict())]
    count = 0
    last = 0.0
    for event in events:
        lines.append(_line(event.to_dict()))
        count += 1
        last = event.t
    lines.append(_line({"t": round(last, 3), "end": count}))
    return "\n".join(lines) + "\n"


def _line(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write(path: str | os.PathLike[str], header: Header, events: Iterable[Event]) -> Path:
    """Write a recording at `path` atomically (a failure leaves any earlier file whole); PathError in one line."""
    text = dumps(header, events)

    def put(f: IO[str]) -> None:
        f.write(text)

    return write_atomically(path, put)


def read(path: str | os.PathLike[str]) -> Recording:
    """The recording at `path`, checked; RecordingError (one line naming the file) if it is not one."""
    raw = read_capped(
        path,
        MAX_BYTES,
        RecordingError,
        missing=_("no such file"),
        directory=_("it is a directory, not a recording"),
        too_large=_("more than {most} bytes is not a recording this app wrote").format(most=f"{MAX_BYTES:,}"),
    )
    try:
        return loads(raw)
    except RecordingError as e:
        raise RecordingError(f"{path}: {e}") from None


def loads(raw: bytes | str) -> Recording:
    """A recording from its text, every field checked; RecordingError in one line on anything else."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise RecordingError(_("not UTF-8 text (bad byte at offset {offset})").format(offset=e.start)) from None
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or not lines[0].strip():
        raise RecordingError(_("empty: not a recording"))
    header = _header(_object(lines[0], 1))
    events: list[Event] = []
    ended = False
    last = 0.0
    for number, text in enumerate(lines[1:], start=2):
        if ended:
            raise RecordingError(_("line {number}: more after the end line").format(number=number))
        if len(events) >= MAX_EVENTS:
            raise RecordingError(_("more than {most} events").format(most=f"{MAX_EVENTS:,}"))
        obj = _object(text, number)
        t = _seconds(obj.get("t"), number)
        if t < last:
            raise RecordingError(
                _("line {number}: its time {t} is earlier than the line before's").format(number=number, t=t)
            )
        last = t
        if "end" in obj:
            _only(obj, {"t", "end"}, number)
            if obj["end"] != len(events) or isinstance(obj["end"], bool):
                raise RecordingError(
                    _("line {number}: the end line counts {counted} events, the file holds {held}").format(
                        number=number, counted=_quote(obj["end"]), held=len(events)
                    )
                )
            ended = True
            continue
        events.append(_event(obj, t, number))
    if not ended:
        raise RecordingError(_("cut short: its end line is missing (the file is truncated or was not closed)"))
    return Recording(header, tuple(events))


def _object(text: str, number: int) -> dict[str, Any]:
    try:
        obj = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:  # (RecursionError: thousands of nested brackets)
        why = e.msg if isinstance(e, json.JSONDecodeError) else _("not JSON")
        raise RecordingError(_("line {number}: not a JSON line ({why})").format(number=number, why=why)) from None
    if not isinstance(obj, dict):
        raise RecordingError(_("line {number}: not a JSON object").format(number=number))
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a recording holds")


def _only(obj: Mapping[str, Any], allowed: set[str], number: int) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise RecordingError(_("line {number}: unknown field {field}").format(number=number, field=_quote(extra[0])))


def _quote(text: object, width: int = 24) -> str:
    return repr(option_rules.shown(str(text), width))


def _whole(value: Any, least: int, most: int, what: str, number: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise RecordingError(
            _("line {number}: {what} must be a whole number from {least} to {most}, got {got}").format(
                number=number, what=_(what), least=f"{least:,}", most=f"{most:,}", got=_quote(value)
            )
        )
    return value


def _seconds(value: Any, number: int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RecordingError(
            _("line {number}: its time 't' must be a number of seconds, got {got}").format(
                number=number, got=_quote(value)
            )
        )
    if not 0 <= value <= MAX_SECONDS:
        raise RecordingError(
            _("line {number}: its time {t} is outside 0 to {most} seconds").format(
                number=number, t=_quote(value), most=f"{MAX_SECONDS:,.0f}"
            )
        )
    return float(value)


def _header(obj: dict[str, Any]) -> Header:
    if obj.get("format") != FORMAT:
        raise RecordingError(
            _("not a microgpt-tui recording (its first line says format {format})").format(
                format=_quote(obj.get("format"))
            )
        )
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RecordingError(_("line 1: version must be a whole number from 1, got {got}").format(got=_quote(version)))
    if version > VERSION:
        raise RecordingError(
            _(
                "written in recording format {version}, newer than this app reads ({newest}): "
                "update microgpt-tui to replay it"
            ).format(version=version, newest=VERSION)
        )
    _only(obj, {"format", "version", "app", "engine", "settings", "terminal", "data", "offered", "lessons"}, 1)
    offered = obj.get("offered", False)
    if not isinstance(offered, bool):
        raise RecordingError(_("line 1: offered must be true or false, got {got}").format(got=_quote(offered)))
    app = obj.get("app", "")
    if not isinstance(app, str) or len(app) > 40:
        raise RecordingError(_("line 1: app must be a version text, got {got}").format(got=_quote(app)))
    engine = obj.get("engine")
    if engine not in ENGINES:
        raise RecordingError(_("line 1: engine must be fused or plain, got {got}").format(got=_quote(engine)))
    data, terminal = _data(obj.get("data")), _terminal(obj.get("terminal"), 1)
    lessons = _lessons(obj.get("lessons", {}))
    return Header(_config(obj.get("settings")), engine, data, terminal, app, version, offered, lessons)


def _lessons(value: Any) -> dict[str, Any]:
    """The lessons' progress, as the state file keeps it: chapter keys done, the step each was left at, the
    questions answered in each. Anything else is refused (a hostile file puts nothing else in it)."""

    def keys_ok(mapping: Any) -> bool:
        return isinstance(mapping, dict) and all(isinstance(k, str) and 0 < len(k) <= 40 for k in mapping)

    def whole(n: Any) -> bool:
        return isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 1000

    if not keys_ok(value) or set(value) - {"done", "at", "answered"}:
        raise RecordingError(_("line 1: lessons must hold done, at and answered, got {got}").format(got=_quote(value)))
    if not value:
        return {}  # (no progress: as written)
    done, at, answered = value.get("done", []), value.get("at", {}), value.get("answered", {})
    if not (isinstance(done, list) and len(done) <= 100 and all(isinstance(k, str) and 0 < len(k) <= 40 for k in done)):
        raise RecordingError(
            _("line 1: lessons' done must be a list of chapter names, got {got}").format(got=_quote(done))
        )
    if not (keys_ok(at) and len(at) <= 100 and all(whole(n) for n in at.values())):
        raise RecordingError(
            _("line 1: lessons' at must map chapters to step numbers, got {got}").format(got=_quote(at))
        )
    if not (
        keys_ok(answered)
        and len(answered) <= 100
        and all(isinstance(v, list) and len(v) <= 1000 and all(whole(n) for n in v) for v in answered.values())
    ):
        raise RecordingError(
            _("line 1: lessons' answered must map chapters to step numbers, got {got}").format(got=_quote(answered))
        )
    return {"done": list(done), "at": dict(at), "answered": {k: list(v) for k, v in answered.items()}}


def _config(settings: Any) -> Config:
    if not isinstance(settings, dict):
        raise RecordingError(_("line 1: settings must be an object of the run's settings"))
    for name in TYPED:  # the rule a typed option follows, then the engine's (fields, ranges, their relations)
        if name in settings:
            value = settings[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RecordingError(
                    _("line 1: settings: {name} must be a number, got {got}").format(name=name, got=_quote(value))
                )
            try:
                option_rules.parse(name, repr(value))
            except option_rules.OptionError as e:
                raise RecordingError(_("line 1: settings: {error}").format(error=e)) from None
    try:
        return Config.from_dict(settings)
    except (ConfigError, TypeError, OverflowError) as e:
        raise RecordingError(_("line 1: settings: {error}").format(error=e)) from None


def _data(data: Any) -> DataIdentity:
    if not isinstance(data, dict):
        raise RecordingError(_("line 1: data must say the data file's name, size and sha256"))
    _only(data, {"name", "bundled", "size", "sha256"}, 1)
    name, sha, bundled = data.get("name"), data.get("sha256"), data.get("bundled", False)
    if not isinstance(name, str) or not name.strip() or len(name) > 255 or any(c in name for c in "/\\\0"):
        raise RecordingError(_("line 1: data name must be a file's name, got {got}").format(got=_quote(name)))
    if not isinstance(sha, str) or not SHA256.fullmatch(sha):
        raise RecordingError(_("line 1: data sha256 must be 64 hexadecimal digits, got {got}").format(got=_quote(sha)))
    if not isinstance(bundled, bool):
        raise RecordingError(_("line 1: data bundled must be true or false, got {got}").format(got=_quote(bundled)))
    size = _whole(data.get("size"), 0, MAX_WHOLE, N_("data size"), 1)
    return DataIdentity(name, size, sha, bundled)


def _terminal(value: Any, number: int) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise RecordingError(
            _("line {number}: a terminal size must be [columns, rows], got {got}").format(
                number=number, got=_quote(value)
            )
        )
    return (_whole(value[0], 1, MAX_SIZE, N_("columns"), number), _whole(value[1], 1, MAX_SIZE, N_("rows"), number))


def _event(obj: dict[str, Any], t: float, number: int) -> Event:
    kinds = [kind for kind in KINDS if kind in obj]
    if len(kinds) != 1:
        raise RecordingError(
            _("line {number}: an event must be one of {kinds}").format(number=number, kinds=", ".join(KINDS))
        )
    kind = kinds[0]
    value = obj[kind]
    _only(obj, {"t", kind, "char"} if kind == "key" else {"t", kind}, number)
    if kind == "key":
        if not isinstance(value, str) or not KEY_NAME.fullmatch(value):
            raise RecordingError(_("line {number}: not a key name: {got}").format(number=number, got=_quote(value)))
        char = obj.get("char")
        if char is not None and (not isinstance(char, str) or len(char) != 1):
            raise RecordingError(
                _("line {number}: a key's char must be one character, got {got}").format(
                    number=number, got=_quote(char)
                )
            )
        return Event(t, kind, value, char)
    if kind == "paste":
        if not isinstance(value, str) or len(value) > MAX_PASTE:
            raise RecordingError(
                _("line {number}: a paste must be a text of at most {most} characters").format(
                    number=number, most=f"{MAX_PASTE:,}"
                )
            )
    elif kind == "resize":
        value = _terminal(value, number)
    elif kind == "mouse":
        if not isinstance(value, list) or len(value) != 5 or value[0] not in MOUSE:
            raise RecordingError(
                _("line {number}: a mouse event must be [what, column, row, button, modifiers]").format(number=number)
            )
        column = _whole(value[1], 0, MAX_SIZE, N_("column"), number)
        row = _whole(value[2], 0, MAX_SIZE, N_("row"), number)
        value = (
            value[0],
            column,
            row,
            _whole(value[3], 0, 8, N_("button"), number),
            _whole(value[4], 0, 7, N_("modifiers"), number),
        )
    elif kind == "steps":
        value = _whole(value, 0, MAX_WHOLE, N_("steps"), number)
    elif kind == "job":
        value = _whole(value, 1, MAX_WHOLE, N_("a job's number"), number)
    elif kind == "tick" and value not in TICKS:
        raise RecordingError(_("line {number}: unknown timer {got}").format(number=number, got=_quote(value)))
    elif kind == "mark" and value not in MARKS:
        raise RecordingError(_("line {number}: unknown mark {got}").format(number=number, got=_quote(value)))
    return Event(t, kind, value)
