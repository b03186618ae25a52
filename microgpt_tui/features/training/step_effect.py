"""Provides what one training step did to the predictions, in words: the letters it made more and less likely."""

from __future__ import annotations

from collections.abc import Sequence

from microgpt_tui.core.labels import visible


def mean_change(before: Sequence[Sequence[float]], after: Sequence[Sequence[float]]) -> list[float]:
    """Per token: its probability after the update minus before, averaged over the positions."""
    n = len(before)
    return [sum(a[t] - b[t] for a, b in zip(after, before)) / n for t in range(len(before[0]))]


def most_changed(
    before: Sequence[Sequence[float]], after: Sequence[Sequence[float]], labels: Sequence[str], top: int = 2
) -> str:
    """'more likely e +4.1 a +2.3, less x −1.0 (pts)': percentage points of p, the mean over the positions."""
    if not before:
        return ""
    change = mean_change(before, after)
    order = sorted(range(len(change)), key=lambda t: (-change[t], t))
    up = [t for t in order[:top] if change[t] > 0]
    down = [t for t in reversed(order[-top:]) if change[t] < 0]

    def words(tokens: list[int]) -> str:
        return " ".join(f"{visible(labels[t])} {change[t] * 100:+.1f}".replace("-", "−") for t in tokens)

    parts = []
    if up:
        parts.append(f"more likely {words(up)}")
    if down:
        parts.append(f"less {words(down)}")
    return ", ".join(parts) + " (pts)" if parts else "no letter moved"
