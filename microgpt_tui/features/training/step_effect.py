"""Provides what one training step did to the predictions, in words: the letters it made more and less likely."""

from __future__ import annotations

from collections.abc import Sequence

from microgpt_tui.core.labels import visible
from microgpt_tui.core.said import Said
from microgpt_tui.language import N_


def mean_change(before: Sequence[Sequence[float]], after: Sequence[Sequence[float]]) -> list[float]:
    """Per token: its probability after the update minus before, averaged over the positions."""
    n = len(before)
    return [sum(a[t] - b[t] for a, b in zip(after, before)) / n for t in range(len(before[0]))]


def most_changed(
    before: Sequence[Sequence[float]], after: Sequence[Sequence[float]], labels: Sequence[str], top: int = 2
) -> str:
    """'mean of 5 positions, points of p: more likely e +4.1 a +2.3, less x −1.0': how much each letter's
    probability moved, in percentage points (0.5% → 4.6% is +4.1), averaged over the document's positions (the
    unit first: a narrow status line crops the end)."""
    if not before:
        return ""
    change = mean_change(before, after)
    order = sorted(range(len(change)), key=lambda t: (-change[t], t))
    up = [t for t in order[:top] if change[t] > 0]
    down = [t for t in reversed(order[-top:]) if change[t] < 0]

    def words(tokens: list[int]) -> str:
        return " ".join(f"{visible(labels[t])} {change[t] * 100:+.1f}".replace("-", "−") for t in tokens)

    if not up and not down:
        return Said(N_("no letter moved"))
    if up and down:
        moved = Said(N_("more likely {up}, less {down}"), up=words(up), down=words(down))
    elif up:
        moved = Said(N_("more likely {up}"), up=words(up))
    else:
        moved = Said(N_("less {down}"), down=words(down))
    if len(before) == 1:
        return Said(N_("at its one position, points of p: {moved}"), moved=moved)
    return Said(N_("mean of {n} positions, points of p: {moved}"), n=len(before), moved=moved)
