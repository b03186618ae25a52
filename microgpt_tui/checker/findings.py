"""Provides `Finding` and the comparisons behind it: the first number where a script and microgpt part ways.

Every comparison has a tolerance of 0: a float is the same to the last bit or it differs. When it differs
only by rounding (a relative difference below `ROUNDING`), the finding says so, since then the script most
likely computes the same formula in another order (a softmax without its max, a sum in another order).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from microgpt_tui.cli.help_format import cells as cell_len  # (not rich's: the checker imports no UI)
from microgpt_tui.language import N_, _

ROUNDING = 1e-9  # a relative difference below this is float rounding, not another formula

# The parts of the code a finding names (English, translated where a verdict says them).
FORWARD = N_("the forward pass")
LOSS = N_("the loss")
FORWARD_OR_LOSS = N_("the forward pass or the loss")
BACKWARD = N_("backward")
MOMENTS = N_("Adam (its moments m and v)")
UPDATE = N_("Adam (the update of the weights)")
SAMPLING = N_("sampling")
DATA = N_("the data (reading or shuffling)")
VOCABULARY = N_("the vocabulary")
SHAPE = N_("the model's shape")
INIT = N_("the initial weights")


@dataclass(frozen=True)
class Finding:
    """Where the script first differs: at which step, in which part, what, and both values."""

    part: str
    what: str  # plain words: "the logits at position 2 (after 'e', predicting 'm')"
    theirs: str
    ours: str
    step: int | None = None
    detail: str = ""  # a second sentence: why, or what it means
    rounding: bool = False

    def lines(self, script: str) -> list[str]:
        if self.step is None:
            head = (
                _("{script} differs from microgpt only by float rounding, first in {part}: {what}")
                if self.rounding
                else _("{script} differs from microgpt, in {part}: {what}")
            )
        else:
            head = (
                _("{script} differs from microgpt at step {step} only by float rounding, first in {part}: {what}")
                if self.rounding
                else _("{script} differs from microgpt at step {step}, in {part}: {what}")
            )
        yours, theirs = _("yours:"), _("microgpt:")
        width = max(cell_len(yours), cell_len(theirs)) + 1  # (the two values one under the other, in cells)
        lines = [
            head.format(script=script, step=self.step, part=_(self.part), what=self.what),
            f"  {yours}{' ' * (width - cell_len(yours))}{self.theirs}",
            f"  {theirs}{' ' * (width - cell_len(theirs))}{self.ours}",
        ]
        if self.rounding:
            lines.append(
                "  "
                + _(
                    "Only the last digits differ: the same maths computed in another order or through another graph, "
                    "e.g. a softmax without subtracting the max (harmless at these sizes, but exp() overflows once a "
                    "logit passes ~709), or a sum added up in another order."
                )
            )
        elif self.detail:
            lines.append(f"  {self.detail}")
        return lines


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def first_difference(theirs: Sequence[float], ours: Sequence[float]) -> int | None:
    """The first index where the two lists differ at all (None: equal to the last bit)."""
    for i, (a, b) in enumerate(zip(theirs, ours)):
        if not same(a, b):
            return i
    return None


def relative(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > 0 else 0.0


def only_rounding(theirs: Sequence[float], ours: Sequence[float]) -> bool:
    return all(relative(a, b) < ROUNDING for a, b in zip(theirs, ours) if math.isfinite(a) and math.isfinite(b))


def num(x: float) -> str:
    """A float with every digit it has (repr), so two that differ in the last bit still look different."""
    return repr(float(x))


def step_ratio(
    before: Sequence[float], theirs: Sequence[float], ours: Sequence[float]
) -> tuple[float | None, float, float]:
    """How the script's update compares with microgpt's: the ratio when every weight moved by the same factor
    of microgpt's move (a learning rate that differs), else None; and the range of the ratios."""
    ratios = [(t - b) / (o - b) for b, t, o in zip(before, theirs, ours) if o != b]
    if not ratios:
        return None, math.nan, math.nan
    low, high = min(ratios), max(ratios)
    return (ratios[0] if relative(low, high) < 1e-6 else None), low, high
