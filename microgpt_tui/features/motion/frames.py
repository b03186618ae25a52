"""Provides `Frame` (one screen at one moment, as plain text with its colours) and `FrameRing` (the last seconds of
the app's screens), with no Textual import: the writers (asciicast.py, svg.py) take these.

A frame's lines are the terminal's own bytes for each row: the characters with their SGR colour codes, as Textual
renders its screenshot (`App.export_screenshot` prints the same segments). The ring keeps its frames compressed
(`Packed`): a minute of screens at 120x40 is about 5 MB of colour codes as text, a tenth of that packed.
"""

from __future__ import annotations

import re
import zlib
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


@dataclass(frozen=True)
class Packed:
    """A frame as the ring keeps it: its rows compressed (a tenth of their size: a minute of a large terminal's
    screens is a few megabytes of colour codes)."""

    time: float
    width: int
    height: int
    rows: bytes

    @classmethod
    def of(cls, frame: Frame) -> Packed:
        return cls(frame.time, frame.width, frame.height, zlib.compress("\n".join(frame.lines).encode(), 1))

    def unpacked(self, time: float | None = None) -> Frame:
        lines = tuple(zlib.decompress(self.rows).decode().split("\n"))
        return Frame(self.time if time is None else time, self.width, self.height, lines)


class FrameRing:
    """The frames of the last `seconds`: a new one is kept only when the screen changed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._packed: deque[Packed] = deque()
        self._last: Frame | None = None  # the newest, as it is (what the next one is compared with)

    def __len__(self) -> int:
        return len(self._packed)

    def nbytes(self) -> int:
        """About what the kept frames cost: their packed rows, and the newest as it is."""
        last = sum(len(line) for line in self._last.lines) if self._last is not None else 0
        return sum(len(p.rows) for p in self._packed) + last

    def __iter__(self) -> Iterator[Frame]:
        return (packed.unpacked() for packed in list(self._packed))

    def add(self, frame: Frame) -> bool:
        """Keep `frame` unless it shows what the last one shows; forget frames older than `seconds` before it,
        but the one on screen at the window's start. Whether it was kept."""
        last = self._last
        if last is not None and (last.lines, last.width, last.height) == (frame.lines, frame.width, frame.height):
            return False
        self._last = frame
        self._packed.append(Packed.of(frame))
        start = frame.time - self.seconds
        while len(self._packed) > 1 and self._packed[1].time <= start:
            self._packed.popleft()
        return True

    def recent(self, now: float, seconds: float | None = None) -> list[Frame]:
        """The frames of the `seconds` (all the ring's) up to `now`: the one on screen at the start, from then on."""
        start = now - (self.seconds if seconds is None else seconds)
        packed = list(self._packed)
        first = max((i for i, p in enumerate(packed) if p.time <= start), default=0)
        return [p.unpacked(max(p.time, start) if i == 0 else None) for i, p in enumerate(packed[first:])]


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
