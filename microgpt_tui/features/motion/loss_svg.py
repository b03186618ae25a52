"""Provides `loss_animation`: a run's loss curve drawn step by step, as one self-contained animated SVG.

Made from the run's history (every kept step's loss and the trailing mean the status line shows), never by
training again. Each frame uncovers the curve up to its step (a clip rectangle whose width steps through the
frames' steps) and shows that step's numbers; SMIL shows them in turn, looping. No script, nothing outside the file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import IO

from microgpt_engine.insight.history import RunHistory, downsample
from microgpt_engine.paths import write_atomically
from microgpt_tui.language import N_, _

WIDTH, HEIGHT = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 48, 52  # the plot's margins
MAX_POINTS = 600  # points per drawn line: more than the eye sees at this width


@dataclass(frozen=True)
class Curve:
    """A run's loss history as the animation needs it: one entry per kept step."""

    steps: Sequence[int]
    losses: Sequence[float]
    means: Sequence[float]  # the trailing mean as of each step
    window: int  # the steps the trailing mean averages
    title: str
    uniform: float | None = None  # ln(vocabulary): the loss of guessing uniformly
    bigram: float | None = None  # the data's own bigram model


def curve_of(history: RunHistory, title: str, uniform: float | None, bigram: float | None = None) -> Curve:
    """The curve a run's history holds (its kept steps: a thinned history's older steps are every k-th)."""
    return Curve(history.steps, history.losses, history.trailing_means(), history.window, title, uniform, bigram)


def frame_rows(count: int, rows: int) -> list[int]:
    """`count` row indices spread evenly from the first kept step to the last (all rows when fewer)."""
    if rows <= count:
        return list(range(rows))
    if count == 1:
        return [rows - 1]
    return [int(i * (rows - 1) / (count - 1) + 0.5) for i in range(count)]


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round values between lo and hi for the axis."""
    raw = (hi - lo) / max(1, count - 1)
    step = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1, 2, 5, 10):
        if raw <= step * factor:
            step *= factor
            break
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


def loss_animation(curve: Curve, frames: int, frame_seconds: float = 0.25, hold: float = 3.0) -> str:
    """The SVG: `frames` moments of the run, each `frame_seconds` long (the last held `hold` seconds)."""
    finite = [(s, loss, m) for s, loss, m in zip(curve.steps, curve.losses, curve.means) if math.isfinite(loss)]
    if not finite:
        raise ValueError(_("no training step to draw yet"))
    steps, losses, means = (list(column) for column in zip(*finite))
    refs = [v for v in (curve.uniform, curve.bigram) if v is not None and math.isfinite(v)]
    lo, hi = min([*losses, *refs]), max([*losses, *refs])
    pad = (hi - lo) * 0.05 or 0.5
    lo, hi = lo - pad, hi + pad
    first, last = steps[0] - 1, steps[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(step: float) -> float:
        return LEFT + plot_w * (step - first) / max(1, last - first)

    def y(loss: float) -> float:
        return TOP + plot_h * (hi - loss) / (hi - lo)

    def line(values: Sequence[float], cls: str) -> str:
        xs, ys = downsample(values, MAX_POINTS, steps=steps)
        points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(xs, ys))
        return f'<polyline class="{cls}" points="{points}" />'

    rows = frame_rows(frames, len(steps))
    spans = [frame_seconds] * (len(rows) - 1) + [hold]
    total = sum(spans)
    starts = [sum(spans[:i]) for i in range(len(spans))]
    key_times = ";".join(f"{s / total:.6f}" for s in starts)
    loop = f'dur="{total:.3f}s" calcMode="discrete" repeatCount="indefinite"'
    widths = ";".join(f"{x(steps[r]) - LEFT:.1f}" for r in rows)

    heading = _("{title}: the loss over {steps} steps ({frames} frames)").format(
        title=curve.title, steps=f"{last:,}", frames=len(rows)
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">',
        f"<title>{escape(heading)}</title>",
        "<style>text { font-family: sans-serif; font-size: 13px; fill: #222; } "
        ".axis { stroke: #444; stroke-width: 1; fill: none; } .grid { stroke: #ddd; stroke-width: 1; } "
        ".loss { stroke: #9ecae1; stroke-width: 1; fill: none; } "
        ".mean { stroke: #08519c; stroke-width: 2; fill: none; } "
        ".ref { stroke: #888; stroke-width: 1; stroke-dasharray: 4 3; } .dot { fill: #08519c; } "
        ".label { font-size: 15px; font-weight: bold; }</style>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff" />',
        f'<text x="{LEFT}" y="22" class="label">{escape(curve.title)}</text>',
    ]
    for value in _ticks(lo, hi):
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" />')
        out.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>')
    for value in _ticks(first, last):
        out.append(f'<text x="{x(value):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{value:,.0f}</text>')
    axis = escape(_("training step"))
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 12}" text-anchor="middle">{axis}</text>')
    out.append(f'<path class="axis" d="M{LEFT},{TOP} V{HEIGHT - BOTTOM} H{WIDTH - RIGHT}" />')
    for name, ref in ((N_("uniform {loss}"), curve.uniform), (N_("bigram {loss}"), curve.bigram)):
        if ref is not None and math.isfinite(ref):
            said = escape(_(name).format(loss=f"{ref:.3f}"))
            out.append(f'<line class="ref" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(ref):.1f}" y2="{y(ref):.1f}" />')
            out.append(f'<text x="{WIDTH - RIGHT - 4}" y="{y(ref) - 4:.1f}" text-anchor="end">{said}</text>')
    out.append(
        f'<defs><clipPath id="shown"><rect x="{LEFT}" y="0" width="{x(steps[rows[0]]) - LEFT:.1f}" height="{HEIGHT}">'
    )
    if len(rows) > 1:
        out.append(f'<animate attributeName="width" values="{widths}" keyTimes="{key_times}" {loop} />')
    out.append("</rect></clipPath></defs>")
    out.append(f'<g clip-path="url(#shown)">{line(losses, "loss")}{line(means, "mean")}</g>')
    for i, r in enumerate(rows):
        shown = "visible" if i == 0 else "hidden"
        out.append(f'<g class="frame" id="frame-{i}" visibility="{shown}">')
        if len(rows) > 1:
            values = ";".join("visible" if j == i else "hidden" for j in range(len(rows)))
            out.append(f'<animate attributeName="visibility" values="{values}" keyTimes="{key_times}" {loop} />')
        out.append(f'<circle class="dot" cx="{x(steps[r]):.1f}" cy="{y(means[r]):.1f}" r="4" />')
        averaged = min(curve.window, steps[r] - first)  # (the mean's window is not full yet early on)
        label = _("step {step}: loss {loss}, mean of the last {count} {mean}").format(
            step=f"{steps[r]:,}", loss=f"{losses[r]:.4f}", count=f"{averaged:,}", mean=f"{means[r]:.4f}"
        )
        out.append(f'<text x="{WIDTH - RIGHT}" y="22" text-anchor="end">{escape(label)}</text></g>')
    out.append("</svg>\n")
    return "\n".join(out)


def write_loss_animation(path: str | os.PathLike[str], curve: Curve, frames: int) -> int:
    """Write the animation to `path` (atomically, never through a symbolic link); the bytes written."""
    text = loss_animation(curve, frames)

    def write(f: IO[str]) -> None:
        f.write(text)

    write_atomically(path, write)
    return len(text.encode("utf-8"))
