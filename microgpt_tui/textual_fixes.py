"""Provides `fix_textual`: work-arounds for Textual bugs (memory, a closed terminal, time), applied once at start.

Memory. Textual 8.2.8's `StylesCache.get_inner_outer` is an instance method under
`functools.lru_cache(1024)` (Textualize/textual#6665). The cache's keys hold the
StylesCache of the last 1,024 widgets drawn, and each StylesCache holds every
line (`Strip`) it drew, with the strips those derive (crops, filters). So a
closed screen's widgets, and every footer key of every recompose, left their
drawn lines alive: about 0.5-1 MB for each open of the embedding map, up to
1,024 widgets' worth. The method's answer depends only on its two colours, so
a cache keyed by the colours alone gives the same answers and holds no widget.

A closed terminal. Textual's `WriterThread` writes the screen to the terminal
from a queue of at most 30 writes. When the terminal goes away (tmux
kill-server, a closed ssh session) a write raises `OSError` (EIO), the
thread dies, and nothing empties the queue any more: the 31st write then
blocks the app's own thread for ever, in the middle of the shutdown that
SIGHUP started, with the unsaved steps not yet kept (1 run in 4 under a pty
closed while training). The same dead-queue hang is Textualize/textual#6692.
The thread's file is wrapped so that, once a write fails, later writes are
dropped: the queue keeps draining and the shutdown goes on.

A plot's theme. textual-plotext's `PlotextPlot.on_mount` subscribes to the
app's theme signal with a lambda that refers to the plot, which keeps every
closed plot (and its screen) alive until the next theme change: each open of
the runs comparison, about 0.25 MB (the leak theme_follow.py mends for our own
widgets). Its `on_mount` is replaced by one that follows the theme weakly.

Time. A screen with a translucent background (every dialog) draws the screen
under it through `BackgroundScreen`, which re-tints every segment of the whole
screen on every render: most of what opening a dialog cost. `Screen.render`
hands out a `DimmedScreen` instead (dimmed_screen.py): the same lines, each
style tinted once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import IO, Any

from textual._context import visible_screen_stack
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.drivers._writer_thread import WriterThread
from textual.screen import Screen
from textual.style import Style
from textual_plotext import PlotextPlot

from microgpt_tui.dimmed_screen import DimmedScreen
from microgpt_tui.theme_follow import follow_theme


def fix_textual() -> None:
    """Apply the work-arounds (again: nothing; on a Textual without the bug: nothing)."""
    _keep_styles_cache_small()
    _keep_writer_draining()
    _dim_cheaply()
    _plots_follow_theme_weakly()


def _keep_styles_cache_small() -> None:
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


class TerminalFile:
    """A terminal's file whose writes and flushes, once one has failed (the terminal is gone), do nothing."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        self.gone = False  # a write or flush failed: the terminal is not there any more

    def write(self, text: str) -> None:
        self._attempt(self._file.write, text)

    def flush(self) -> None:
        self._attempt(self._file.flush)

    def _attempt(self, operation: Callable[..., object], *args: str) -> None:
        if self.gone:
            return
        try:
            operation(*args)
        except OSError:
            self.gone = True

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, …: the terminal's own
        return getattr(self._file, name)


def _keep_writer_draining() -> None:
    init = WriterThread.__init__
    if getattr(init, "keeps_draining", False):
        return

    def init_on_terminal_file(self: WriterThread, file: IO[str]) -> None:
        init(self, file if isinstance(file, TerminalFile) else TerminalFile(file))  # type: ignore[arg-type]

    init_on_terminal_file.keeps_draining = True  # type: ignore[attr-defined]
    WriterThread.__init__ = init_on_terminal_file  # type: ignore[method-assign]


def _dim_cheaply() -> None:
    render = Screen.render
    if getattr(render, "dims_cheaply", False):  # already fixed here
        return

    def dimmed_render(self: Screen) -> Any:
        # As Textual's Screen.render: the screen under this one comes off the visible stack, and a
        # translucent background draws it tinted; anything else is Textual's own.
        stack = visible_screen_stack.get(None)
        under = stack[-1] if stack else None
        background = self.styles.background
        if under is None or under is self or background.a >= 1:
            return render(self)
        stack.pop()  # type: ignore[union-attr]
        return DimmedScreen(under, background)

    dimmed_render.dims_cheaply = True  # type: ignore[attr-defined]
    dimmed_render.textual_render = render  # type: ignore[attr-defined]  # (a test compares the two)
    Screen.render = dimmed_render  # type: ignore[method-assign]


def _plots_follow_theme_weakly() -> None:
    if getattr(PlotextPlot.on_mount, "follows_weakly", False):
        return

    def on_mount(self: PlotextPlot) -> None:
        follow_theme(self, lambda plot: plot._register_theme(plot.app.theme))
        self._register_theme(self.app.theme)

    on_mount.follows_weakly = True  # type: ignore[attr-defined]
    PlotextPlot.on_mount = on_mount  # type: ignore[method-assign]
