"""Provides `ForwardStrips`: every vector of one forward pass as a strip of coloured cells.

One row per stage, in the order the code computes them: the stage's name, its
values as cells (a diverging scale centred on 0, blue below and red above,
scaled to the stage's largest |value|; attention weights and probabilities on
the 0..1 ramp), the numbers inside the cells when they are wide enough, and
the vector's norm. Vectors split by head have a gap between heads; a ReLU
output's inactive units (exactly 0 at this position) are a dim dot. Under each residual-stream
stage a "logit lens" line names the three characters lm_head would predict
from it. The logits and probabilities get a row of characters above them, and
the view ends in the probability of the actual (or sampled) next character and
its -ln p, with the temperature a sampled character was drawn at.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from functools import lru_cache

from rich.cells import cell_len
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from microgpt_engine.insight.forward_trace import ForwardTrace, Stage
from microgpt_tui.core.labels import visible
from microgpt_tui.language import N_, _
from microgpt_tui.renderables.colors import cell_style
from microgpt_tui.renderables.heatmap import centred

NAME = Style(color="grey85")
SELECTED = Style(bold=True, reverse=True)
DIM = Style(color="grey50")
LENS = Style(color="#d7af5f")
LABEL = Style(bold=True)
DEAD = Style(color="grey42", bgcolor="grey11")
SECTION = Style(color="grey62", italic=True)
NEGATIVE, CENTRE, POSITIVE = (33, 102, 172), (38, 38, 38), (214, 47, 39)
LEVELS = 32
UNIT_STAGES = ("attn_weights", "probs")  # values in 0..1: the attention panel's ramp
NORM_WIDTH = 11
# What each stage is, by its name within its layer: the engine's words (forward_trace.TITLES, a test keeps
# them equal), marked here to be drawn in the app's language.
STAGE_TITLES = {
    "tok_emb": N_("token embedding wte[token]"),
    "pos_emb": N_("position embedding wpe[pos]"),
    "emb_sum": N_("their sum"),
    "emb_norm": N_("after RMSNorm: the residual stream"),
    "attn_norm": N_("normed input"),
    "q": N_("query q = wq·x"),
    "k": N_("key k = wk·x"),
    "v": N_("value v = wv·x"),
    "attn_weights": N_("attention weights over positions 0..pos"),
    "head_out": N_("each head's output Σ w·v"),
    "attn_wo": N_("after attn_wo"),
    "attn_residual": N_("residual after attention"),
    "mlp_norm": N_("normed input to the MLP"),
    "mlp_fc1": N_("fc1 (4·n_embd)"),
    "mlp_relu": N_("after ReLU (0: the unit is off at this position)"),
    "mlp_fc2": N_("after fc2"),
    "mlp_residual": N_("residual after the MLP"),
    "logits": N_("logits = lm_head·x"),
}
PROBS_TITLE = N_("probabilities softmax(logits)")
PROBS_AT_TITLE = N_("probabilities softmax(logits / {temperature:g})")


def is_unit(stage: Stage) -> bool:
    return stage.name.split(".")[-1] in UNIT_STAGES


def stage_title(stage: Stage, temperature: float | None = None) -> str:
    """What `stage` is, in the app's language (the engine's own title for a stage this table does not know)."""
    short = stage.name.split(".")[-1]
    if short == "probs":
        return _(PROBS_TITLE) if temperature is None else _(PROBS_AT_TITLE).format(temperature=temperature)
    return _(STAGE_TITLES[short]) if short in STAGE_TITLES else stage.title


@lru_cache(maxsize=2 * LEVELS + 1)
def _diverging(level: int) -> Style:
    f = abs(level) / LEVELS
    end = POSITIVE if level > 0 else NEGATIVE
    r, g, b = (round(c + (e - c) * f) for c, e in zip(CENTRE, end))
    luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    text = Color.from_rgb(0, 0, 0) if luminance > 0.55 else Color.from_rgb(255, 255, 255)
    return Style(color=text, bgcolor=Color.from_rgb(r, g, b))


def diverging_style(value: float, scale: float) -> Style:
    """Blue for negative, red for positive, darker towards 0, relative to `scale` (the largest |value|)."""
    if not scale or value != value:
        return _diverging(0)
    return _diverging(round(max(-1.0, min(1.0, value / scale)) * LEVELS))


def signed_text(value: float, width: int) -> str:
    """'+.12', '-1.2' or '+12' in cells of 5 or more; '+.1' or '-2' in 4; else blank: a value
    always keeps a blank column beside it, so neighbouring numbers never run together."""
    if width >= 5:
        if abs(value) < 1:
            text = f"{value:+.2f}".replace("0.", ".", 1)
        else:
            text = f"{value:+.1f}" if abs(value) < 10 else f"{value:+.0f}"
    elif width == 4:
        text = f"{value:+.1f}".replace("0.", ".", 1) if abs(value) < 0.95 else f"{value:+.0f}"
    else:
        return " " * width
    return text[: width - 1].center(width)


def unit_text(value: float, width: int) -> str:
    """'.31' (or '1.0') when the cell has 4 columns or more (one stays blank); else blank."""
    if width < 4:
        return " " * width
    text = "1.0" if value >= 0.995 else f"{value:.2f}"[1:]
    return text.center(width)


def norm_text(norm: float) -> str:
    return f"{norm:.3f}" if norm < 100 else f"{norm:.3g}"


def cell_width(n: int, groups: int, room: int, widest: int = 5) -> int:
    """The widest cell (up to `widest`) that fits `n` cells in `groups` with a gap between groups."""
    gaps = groups - 1
    for width in range(widest, 1, -1):
        if n * width + gaps <= room:
            return width
    return 1


def ending(trace: ForwardTrace, target: int | None, vocab_labels: Sequence[str]) -> str:
    """The line the view ends in: p of the next character and its -ln p (one of the terms the loss averages over
    the positions; short, to fit 80 columns in both languages), and for a sampled character the temperature its
    probabilities were computed at."""
    probs = trace.probs
    if target is None or not 0 <= target < len(probs):
        return ""
    p = probs[target]
    surprise = f"{-math.log(p):.2f}" if p > 0 else "∞"
    label = visible(vocab_labels[target]) if target < len(vocab_labels) else "?"
    percent = f"{p * 100:.1f}"
    if trace.temperature is None:
        return _("p(next {label}) = {percent}%  −ln p = {surprise}: one of the terms the loss averages").format(
            label=label, percent=percent, surprise=surprise
        )
    return _(
        "drawn at temperature {temperature:g}: softmax(logits / {temperature:g}) · p({label}) = {percent}%  "
        "−ln p = {surprise}"
    ).format(temperature=trace.temperature, label=label, percent=percent, surprise=surprise)


class ForwardStrips:
    """Args:
    stages: the trace's stages, in order.
    vocab_labels: a printable label per token id (the logits' and the lens's characters).
    selected: the index of the highlighted stage.
    end: the line after the last stage (`ending`: p and -ln p of the next character), "" for none.
    """

    def __init__(self, stages: Sequence[Stage], vocab_labels: Sequence[str], selected: int = 0, end: str = ""):
        self.stages = stages
        self.vocab = [visible(label) for label in vocab_labels]
        self.selected = selected
        self.end = end

    @property
    def name_width(self) -> int:
        return 3 + max((len(stage.name) for stage in self.stages), default=4)

    def line_count(self) -> int:
        """How many lines the strips take: a rule per section, a row per stage, its lens, the logits' labels."""
        sections = len({stage.layer for stage in self.stages})
        lenses = sum(1 for stage in self.stages if stage.lens)
        labels = sum(1 for stage in self.stages if stage.name == "logits")
        return sections + len(self.stages) + lenses + labels + (1 if self.end else 0)

    def row_of(self, index: int) -> int:
        """The line the stage `index` is drawn on (its section rules, lens lines and labels above it counted)."""
        row, layer = 0, None  # (as drawn: no rule above the embeddings)
        for i, stage in enumerate(self.stages[: index + 1]):
            if stage.layer != layer:
                row, layer = row + 1, stage.layer
            row += 1 if stage.name == "logits" else 0
            if i < index:
                row += 1 + (1 if stage.lens else 0)
        return row

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        room = max(8, options.max_width - self.name_width - NORM_WIDTH)
        layer: int | None = None
        for index, stage in enumerate(self.stages):
            if stage.layer != layer:
                section = _("layer {layer}").format(layer=stage.layer) if stage.layer is not None else _("output")
                title = f"── {section} "
                yield Segment(title + "─" * max(0, options.max_width - cell_len(title)), SECTION)
                yield Segment.line()
                layer = stage.layer
            yield from self._strip(index, stage, room)
        if self.end:  # (under the strips' cells when it fits there, else from the left edge: never cut)
            fits = self.name_width + 2 + cell_len(self.end) <= options.max_width
            yield Segment(" " * (self.name_width if fits else 1) + "↳ " + self.end, LENS)
            yield Segment.line()

    def _strip(self, index: int, stage: Stage, room: int) -> Iterator[Segment]:
        values = stage.values
        width = cell_width(len(values), stage.groups, room)
        per_group = len(values) // stage.groups if stage.groups else len(values)
        labelled = stage.name == "logits"  # (the probabilities sit right under it, in the same columns)
        margin = " " * self.name_width
        if labelled:
            yield Segment(margin)
            for token in range(len(values)):
                yield Segment(
                    centred(self.vocab[token], width) if token < len(self.vocab) else " " * width,
                    LABEL,  # (by cells)
                )
            yield Segment.line()
        chosen = index == self.selected
        marker = "▶ " if chosen else "  "
        yield Segment((marker + stage.name).ljust(self.name_width - 1), SELECTED if chosen else NAME)
        yield Segment(" ")
        unit, dead = is_unit(stage), stage.name.endswith("mlp_relu")
        scale = max((abs(v) for v in values), default=0.0)
        used = 0
        for i, value in enumerate(values):
            if i and per_group and i % per_group == 0:
                yield Segment(" ")
                used += 1
            if dead and value == 0.0:
                yield Segment("·".center(width), DEAD)
            elif unit:
                yield Segment(unit_text(value, width), cell_style(value))
            else:
                yield Segment(signed_text(value, width), diverging_style(value, scale))
            used += width
        yield Segment(" " * max(0, room - used))
        yield Segment(f" |x| {norm_text(stage.norm)}".ljust(NORM_WIDTH), DIM)
        yield Segment.line()
        if stage.lens:
            words = "  ".join(f"{self.vocab[t]} {p * 100:.0f}%" for t, p in stage.lens)
            yield Segment(margin + _("↳ logit lens: {words}").format(words=words), LENS)
            yield Segment.line()


def stage_details(stage: Stage, vocab_labels: Sequence[str], temperature: float | None = None) -> str:
    """One line about the selected stage: what it is, its size, range and (for ReLU) its units off here
    (`temperature`: the one a sampled character's probabilities were computed at)."""
    values = stage.values
    parts = [
        _("{name}: {title}").format(name=stage.name, title=stage_title(stage, temperature)),
        _("{count} values").format(count=len(values)),
        _("min {value:+.3f}").format(value=min(values)),
    ]
    parts.append(_("max {value:+.3f}").format(value=max(values)))
    parts.append(f"|x| {stage.norm:.3f}")
    if stage.name.endswith("mlp_relu"):
        parts.append(
            _("0 at this position: {off} of {count} units").format(off=sum(v == 0.0 for v in values), count=len(values))
        )
    if stage.groups > 1:
        parts.append(_("{groups} heads of {size}").format(groups=stage.groups, size=len(values) // stage.groups))
    if stage.lens:
        lens = ", ".join(f"{visible(vocab_labels[t])} {p * 100:.1f}%" for t, p in stage.lens)
        parts.append(_("lens {lens}").format(lens=lens))
    return " · ".join(parts)
