"""Provides the colour ramp that shades a weight in [0, 1], and a readable text colour on it."""

from functools import lru_cache

from rich.color import Color
from rich.style import Style

# viridis at five stops: dark violet (0) through teal to yellow (1). Perceptually
# even, and still ordered for colour-blind readers and in greyscale.
STOPS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
LEVELS = 64  # quantise, so the cache of styles stays small


def unit(x: float) -> float:
    """`x` clamped to [0, 1]; NaN (a blown-up model's numbers) counts as 0."""
    return min(max(x, 0.0), 1.0) if x == x else 0.0


def ramp(weight: float) -> tuple[int, ...]:
    """The (r, g, b) colour of `weight`, clamped to [0, 1]."""
    w = unit(weight) * (len(STOPS) - 1)
    i = min(int(w), len(STOPS) - 2)
    f = w - i
    a, b = STOPS[i], STOPS[i + 1]
    return tuple(round(x + (y - x) * f) for x, y in zip(a, b))


@lru_cache(maxsize=4 * (LEVELS + 1))
def _cell_style(level: int, bold: bool) -> Style:
    r, g, b = ramp(level / LEVELS)
    luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    text = Color.from_rgb(0, 0, 0) if luminance > 0.5 else Color.from_rgb(255, 255, 255)
    return Style(color=text, bgcolor=Color.from_rgb(r, g, b), bold=bold)


def cell_style(weight: float, bold: bool = False) -> Style:
    """Background shaded by `weight`, with black or white text, whichever reads."""
    return _cell_style(round(unit(weight) * LEVELS), bold)
