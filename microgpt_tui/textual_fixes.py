"""Provides `fix_textual`: work-arounds for Textual bugs that cost the app memory, applied once at start.

Textual 8.2.8's `StylesCache.get_inner_outer` is an instance method under
`functools.lru_cache(1024)` (Textualize/textual#6665). The cache's keys hold the
StylesCache of the last 1,024 widgets drawn, and each StylesCache holds every
line (`Strip`) it drew, with the strips those derive (crops, filters). So a
closed screen's widgets, and every footer key of every recompose, left their
drawn lines alive: about 0.5-1 MB for each open of the embedding map, up to
1,024 widgets' worth. The method's answer depends only on its two colours, so
a cache keyed by the colours alone gives the same answers and holds no widget.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style


def fix_textual() -> None:
    """Apply the work-arounds (again: nothing; on a Textual without the bug: nothing)."""
    method = StylesCache.get_inner_outer
    if not hasattr(method, "cache_clear"):  # fixed upstream, or already fixed here
        return
    inner_outer: Callable[[Any, Color, Color], tuple[Style, Style]] = method.__wrapped__  # type: ignore[attr-defined]

    @lru_cache(1024)
    def by_colours(base_background: Color, background: Color) -> tuple[Style, Style]:
        return inner_outer(None, base_background, background)  # (its body never reads self)

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
        return by_colours(base_background, background)

    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign]
