"""Provides `animated_svg`: timed frames as one self-contained animated SVG, for slides and web pages.

Each frame is drawn as Textual's screenshots are (Rich's `Console.export_svg` of the same coloured rows, the
window and its title around them), nested in the outer picture and shown in turn by SMIL: an `<animate>` of its
`visibility`, in discrete steps, looping. The file has no script and refers to nothing outside itself (no web
font: the viewer's own monospace font draws it), so it plays where it is put, an `<img>` tag included. A viewer
without animation shows the first frame.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from html import escape
from typing import IO

from rich.console import Console
from rich.text import Text

from microgpt_engine.paths import write_atomically
from microgpt_tui.features.motion.frames import Frame, durations
from microgpt_tui.language import _

# Rich's placeholders, in a page of our own: no @font-face reaching for a web font.
FRAME_FORMAT = """\
<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
<style>
.{unique_id}-matrix {{ font-family: "Fira Code", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: {char_height}px; line-height: {line_height}px; font-variant-east-asian: full-width; }}
.{unique_id}-title {{ font-size: 18px; font-weight: bold; font-family: arial, sans-serif; }}
{styles}
</style>
<defs>
<clipPath id="{unique_id}-clip-terminal">
<rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" /></clipPath>
{lines}
</defs>
{chrome}
<g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
{backgrounds}
<g class="{unique_id}-matrix">
{matrix}
</g>
</g>
</svg>"""


def frame_svg(frame: Frame, title: str, unique_id: str) -> str:
    """One frame as Textual's screenshot draws it (its own ids, so that frames sit side by side in one file)."""
    console = Console(
        width=frame.width,
        height=frame.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    # One text, as Textual prints its screen: rows between newlines (Rich clips each row but the last by the
    # newline after it).
    console.print(Text("\n").join(Text.from_ansi(line) for line in frame.lines), no_wrap=True, crop=True)
    return console.export_svg(title=title, code_format=FRAME_FORMAT, unique_id=unique_id)


def _size(svg: str) -> tuple[str, str]:
    """The viewBox's width and height of a frame Rich drew."""
    box = svg.split('viewBox="', 1)[1].split('"', 1)[0].split()
    return box[2], box[3]


def animation(index: int, starts: Sequence[float], total: float) -> str:
    """The SMIL that shows frame `index` from its start to the next frame's, then hides it, looping."""
    if len(starts) == 1:
        return ""
    begin, end = starts[index] / total, (starts[index + 1] if index + 1 < len(starts) else total) / total
    values, times = (["visible"], ["0"]) if index == 0 else (["hidden", "visible"], ["0", f"{begin:.6f}"])
    if index + 1 < len(starts):
        values.append("hidden")
        times.append(f"{end:.6f}")
    return (
        f'<animate attributeName="visibility" values="{";".join(values)}" keyTimes="{";".join(times)}" '
        f'dur="{total:.3f}s" calcMode="discrete" repeatCount="indefinite" />'
    )


def animated_svg(frames: Sequence[Frame], title: str, hold: float = 2.0) -> str:
    """The SVG document showing `frames` in turn, each until the next one's time (at most `hold` seconds)."""
    if not frames:
        raise ValueError(_("no screens to export"))
    spans = durations(frames, hold)
    starts = [sum(spans[:i]) for i in range(len(spans))]
    total = sum(spans)
    drawn = [frame_svg(frame, title, f"f{i}") for i, frame in enumerate(frames)]
    width, height = _size(drawn[0])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)} ({len(frames)} frames, {total:.1f} s)</title>",
    ]
    for i, svg in enumerate(drawn):
        shown = "visible" if i == 0 else "hidden"
        parts.append(f'<g class="frame" id="frame-{i}" visibility="{shown}">{animation(i, starts, total)}')
        parts.append(svg)
        parts.append("</g>")
    parts.append("</svg>\n")
    return "\n".join(parts)


def write_svg(path: str | os.PathLike[str], frames: Sequence[Frame], title: str, hold: float = 2.0) -> int:
    """Write the animated SVG of `frames` to `path` (atomically, never through a symbolic link); the bytes written."""
    text = animated_svg(frames, title, hold)

    def write(f: IO[str]) -> None:
        f.write(text)

    write_atomically(path, write)
    return len(text.encode("utf-8"))
