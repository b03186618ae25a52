"""Provides `write_cast`: timed frames as an asciicast v2 file (what asciinema's players and `asciinema cat` read).

The file is a JSON header line, then one `[seconds, "o", text]` event per frame: the first draws the whole
screen, each later one rewrites only the rows that changed (the cursor moved to each), so a cast of a minute of
training is a few hundred kilobytes. A pause longer than `hold` seconds is cut to `hold`, as asciinema's own
idle limit does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import IO

from microgpt_engine.paths import write_atomically
from microgpt_tui.features.motion.frames import Frame, retimed
from microgpt_tui.language import _

HIDE_CURSOR, CLEAR, RESET = "\x1b[?25l", "\x1b[H\x1b[2J", "\x1b[0m"


def header(frames: Sequence[Frame], title: str, timestamp: int | None, hold: float) -> dict[str, object]:
    # (the largest screen: a recording's terminal may have grown; a smaller screen draws in its top-left corner)
    width, height = max(f.width for f in frames), max(f.height for f in frames)
    head: dict[str, object] = {"version": 2, "width": width, "height": height}
    if timestamp is not None:
        head["timestamp"] = timestamp
    head.update(idle_time_limit=hold, title=title, env={"TERM": "xterm-256color"})
    return head


def events(frames: Sequence[Frame]) -> list[tuple[float, str]]:
    """(time, what the terminal is sent) per frame: the rows that differ from the frame before."""
    out: list[tuple[float, str]] = []
    before: Frame | None = None
    for frame in frames:
        resized = before is None or (before.width, before.height) != (frame.width, frame.height)
        parts = [HIDE_CURSOR + CLEAR] if resized else []
        for row, line in enumerate(frame.lines):
            if resized or before is None or before.lines[row] != line:
                parts.append(f"\x1b[{row + 1};1H{line}{RESET}")
        out.append((frame.time, "".join(parts)))
        before = frame
    return out


def write_cast(
    path: str | os.PathLike[str], frames: Sequence[Frame], title: str, timestamp: int | None = None, hold: float = 2.0
) -> int:
    """Write `frames` to `path` (atomically, never through a symbolic link); the bytes written.

    PathError (one line) when it cannot be written; ValueError when there is no frame."""
    if not frames:
        raise ValueError(_("no screens to export"))
    frames = retimed(frames, hold)
    lines = [json.dumps(header(frames, title, timestamp, hold), ensure_ascii=False)]
    lines += [json.dumps([round(t, 6), "o", data], ensure_ascii=False) for t, data in events(frames)]
    text = "\n".join(lines) + "\n"

    def write(f: IO[str]) -> None:
        f.write(text)

    write_atomically(path, write)
    return len(text.encode("utf-8"))
