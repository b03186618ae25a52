"""Provides `Frame` (one screen at one moment, as plain text with its colours) and `FrameRing` (the last seconds of
the app's screens), with no Textual import: the writers (asciicast.py, svg.py) take these.

A frame's lines are the terminal's own bytes for each row: the characters with their SGR colour codes, as Textual
renders its screenshot (`App.export_screenshot` prints the same segments). A line that did not change since the
frame before is the same string object, so a ring of a minute of screens costs what changed, not a minute of copies.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")  # CSI (colours) and OSC (links)


def plain(line: str) -> str:
    """A line's characters without its colour codes and links."""
    return ESCAPES.sub("", line)


@dataclass(frozen=True)
class Frame:
    """One screen: `lines` (one per row, each with its SGR codes), seen `time` seconds into the capture."""

    time: float
    width: int
    height: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The screen's characters, one row a line (what a test compares)."""
        return "\n".join(plain(line) for line in self.lines)

    def shares_with(self, before: Frame | None) -> Frame:
        """This frame, its unchanged rows the very strings of `before` (the same size), so that they are kept once."""
        if before is None or (before.width, before.height) != (self.width, self.height):
            return self
        lines = tuple(old if old == new else new for old, new in zip(before.lines, self.lines))
        return Frame(self.time, self.width, self.height, lines)


class FrameRing:
    """The frames of the last `seconds`: a new one is kept only when the screen changed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._frames: deque[Frame] = deque()

    def __len__(self) -> int:
        return len(self._frames)

    def __iter__(self) -> Iterator[Frame]:
        return iter(self._frames)

    def add(self, frame: Frame) -> bool:
        """Keep `frame` unless it shows what the last one shows; forget frames older than `seconds` before it,
        but the one on screen at the window's start. Whether it was kept."""
        last = self._frames[-1] if self._frames else None
        if last is not None and (last.lines, last.width, last.height) == (frame.lines, frame.width, frame.height):
            return False
        self._frames.append(frame.shares_with(last))
        start = frame.time - self.seconds
        while len(self._frames) > 1 and self._frames[1].time <= start:
            self._frames.popleft()
        return True

    def recent(self, now: float, seconds: float | None = None) -> list[Frame]:
        """The frames of the `seconds` (all the ring's) up to `now`: the one on screen at the start, from then on."""
        start = now - (self.seconds if seconds is None else seconds)
        frames = list(self._frames)
        first = max((i for i, f in enumerate(frames) if f.time <= start), default=0)
        kept = frames[first:]
        if kept and kept[0].time < start:
            kept[0] = Frame(start, kept[0].width, kept[0].height, kept[0].lines)
        return kept


def pick(frames: Sequence[Frame], count: int) -> list[Frame]:
    """`count` frames spread evenly over `frames` (the first and the last among them); all, when there are fewer."""
    if count >= len(frames):
        return list(frames)
    if count == 1:
        return [frames[-1]]
    return [frames[int(i * (len(frames) - 1) / (count - 1) + 0.5)] for i in range(count)]


def durations(frames: Sequence[Frame], hold: float, end: float | None = None) -> list[float]:
    """How long each frame stays on screen: until the next one, at most `hold` seconds (a pause while the
    presenter talked is not a minute of one still picture); the last one `hold`, or until `end`."""
    times = [f.time for f in frames]
    ends = [*times[1:], times[-1] + hold if end is None else max(end, times[-1])] if frames else []
    return [min(hold, max(0.0, b - a)) or min(hold, 0.05) for a, b in zip(times, ends)]


def retimed(frames: Iterable[Frame], hold: float) -> list[Frame]:
    """`frames` from time 0, each pause between two of them at most `hold` seconds long."""
    out: list[Frame] = []
    clock, before = 0.0, None
    for frame in frames:
        if before is not None:
            clock += min(hold, max(0.0, frame.time - before))
        before = frame.time
        out.append(Frame(clock, frame.width, frame.height, frame.lines))
    return out
