"""Provides `patch_textual`: our work-arounds for bugs of Textual 8 and textual-plotext 1, each where it fits.

Every work-around below names the package and the versions it was written
for; `patch_textual` reads the installed version (the package's metadata) and
applies a work-around only inside that range, and only when what it replaces
is still there and still upstream's own (an lru_cache, a constructor taking a
file, ...). Anywhere else it leaves Textual as it is, silently: a release that
renamed or fixed something runs unpatched rather than not at all. Private
Textual modules are imported only inside the work-around that needs them.

tests/test_textual_compat.py shows each bug with its work-around taken off:
after an upgrade, the test that fails names the bug fixed upstream, and its
work-around can go. The reproductions below run as they are in a Python with
Textual 8.2.8 and textual-plotext 1.0.1.

1. `StylesCache.get_inner_outer` keeps drawn lines alive (Textualize/textual#6665).
   It is an instance method under `functools.lru_cache(1024)`, so the cache's
   keys hold the last 1,024 StylesCaches, and each holds every line (Strip) its
   widget drew: a closed screen's widgets stay in memory (0.5-1 MB for each
   open of the embedding map). Its answer depends only on the two colours, so
   a cache keyed by the colours alone gives the same answers and holds no widget.

       import gc, weakref
       from textual._styles_cache import StylesCache
       from textual.color import Color
       cache = StylesCache()
       cache.get_inner_outer(Color(0, 0, 0), Color(9, 9, 9))
       kept = weakref.ref(cache); del cache; gc.collect()
       print(kept() is not None)  # True: the lru_cache holds it

2. The writer thread dies when the terminal goes away (Textualize/textual#6692).
   `WriterThread` writes the screen from a queue of at most 30 writes. When a
   write raises OSError (EIO: tmux kill-server, a closed ssh session) the
   thread dies and nothing empties the queue: the 31st write blocks the app's
   own thread for ever, in the middle of the shutdown SIGHUP started, with the
   unsaved steps not yet kept. The thread's file is wrapped so that, once a
   write fails, later writes are dropped: the queue keeps draining.

       from textual.drivers._writer_thread import WriterThread
       class Gone:
           def write(self, text): raise OSError(5, "Input/output error")
           def flush(self): pass
       writer = WriterThread(Gone()); writer.start()
       writer.write("x"); writer.join()  # the thread died on its first write
       for _ in range(30): writer.write("x")
       print(writer._queue.full())  # True: the next write waits for ever

3. textual-plotext's `PlotextPlot` keeps every closed plot alive (not reported yet).
   Its `on_mount` subscribes to the app's theme signal with a lambda that
   refers to the plot; the signal keeps the callback, so each closed plot (and
   its screen, ~0.25 MB an open of the runs comparison) lives until the next
   theme change. Its `on_mount` is replaced by one that follows the theme weakly
   (theme_follow.py, as our own widgets do).

       import gc, weakref
       from textual.app import App
       from textual.screen import Screen
       from textual_plotext import PlotextPlot
       class Demo(App):
           async def on_mount(self):
               await self.push_screen(Screen())
               await self.screen.mount(plot := PlotextPlot())
               self.kept = weakref.ref(plot); del plot
               await self.pop_screen()
               self.call_after_refresh(self.closed)
           def closed(self):
               gc.collect(); self.exit(self.kept() is not None)
       print(Demo().run(headless=True))  # True: the theme signal holds the closed plot

4. A widget's text writes its control characters to the terminal (not reported yet).
   Textual's widgets pass the characters they are given to the terminal as
   they are, so a label, or an Input holding a paste, that contains
   `ESC ] 0 ; … BEL` retitles the terminal and `ESC [ 2 J` clears it. All of a
   widget's text goes out through `Strip.render`, apart from Textual's own
   cursor moves and colours: there each character that does not print (C0,
   DEL, C1, a bidi override, ...) becomes as many spaces as the cells Textual
   gave it (almost always none), so the line keeps its width, whatever view
   it came from. (Every view also shows the data escaped: ESC as ␛.)

       from textual.app import App
       from textual.widgets import Label
       class Demo(App):
           def compose(self): yield Label("\\x1b[2Jgone")
           def on_ready(self):
               update = self.screen._compositor.render_update(full=True)
               self.exit("\\x1b[2Jgone" in update.render_segments(self.console))
       print(Demo().run(headless=True))  # True: in a terminal, ESC [ 2 J clears it

5. PageDown in the command palette before its first layout raises KeyError: 0 (not reported yet).
   `OptionList._move_page` looks the highlighted option's line up in a map that
   is built only once the list has a size; ctrl+p then PageDown within ~10 ms
   crashed the app. Until the list is laid out, PageDown and PageUp do nothing.

       from textual.app import App
       from textual.widgets import OptionList
       class Demo(App):
           def compose(self): yield OptionList("a", "b")
           def on_mount(self):
               options = self.query_one(OptionList); options.highlighted = 0
               try: options._move_page(1)
               except KeyError: self.exit(True)
               else: self.exit(False)
       print(Demo().run(headless=True))  # True: a page move before the layout
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import IO, Any, Literal

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

from microgpt_tui.theme_follow import follow_theme

MARK = "_microgpt_workaround"  # set on each replacement: applying twice replaces nothing


@dataclass(frozen=True)
class Workaround:
    """One work-around: the package and versions it was written for, and what applies it."""

    name: str
    package: str  # the distribution: "textual", "textual-plotext"
    versions: tuple[tuple[int, ...], tuple[int, ...]]  # applied to first <= installed < beyond
    apply: Callable[[], bool]  # replaces one attribute if it is still upstream's own; True if it did


@lru_cache(None)  # (each app patches again, and looking a package up searches every folder on sys.path: ~1 ms)
def installed_version(package: str) -> tuple[int, ...] | None:
    """The installed version of `package` as numbers ("8.2.8" -> (8, 2, 8)); None when not installed or unreadable."""
    try:
        found = re.match(r"\d+(?:\.\d+)*", metadata.version(package))
    except metadata.PackageNotFoundError:
        return None
    return tuple(int(part) for part in found.group().split(".")) if found else None


def fits(workaround: Workaround, version: tuple[int, ...] | None) -> bool:
    first, beyond = workaround.versions
    return version is not None and first <= version < beyond


def patch_textual(version_of: Callable[[str], tuple[int, ...] | None] = installed_version) -> list[str]:
    """Apply each work-around that fits the installed versions (again: nothing); the names of those applied."""
    applied = []
    for workaround in WORKAROUNDS:
        if not fits(workaround, version_of(workaround.package)):
            continue
        try:
            if workaround.apply():
                applied.append(workaround.name)
        except (ImportError, AttributeError, TypeError, ValueError):  # a module or a name gone, a new signature
            continue
    return applied


def _ours(function: object) -> bool:
    return bool(getattr(function, MARK, False))


def _mark(function: Callable[..., Any]) -> Callable[..., Any]:
    setattr(function, MARK, True)
    return function


# 1. StylesCache -----------------------------------------------------------------------------------------------


def _keep_styles_cache_small() -> bool:
    from textual._styles_cache import StylesCache
    from textual.color import Color
    from textual.style import Style

    method = StylesCache.get_inner_outer
    if _ours(method) or not hasattr(method, "cache_clear") or not hasattr(method, "__wrapped__"):
        return False  # ours already, or no longer an lru_cache
    inner_outer: Callable[[Any, Color, Color], tuple[Style, Style]] = method.__wrapped__

    @lru_cache(1024)
    def by_colours(base_background: Color, background: Color) -> tuple[Style, Style]:
        return inner_outer(None, base_background, background)  # (its body never reads self)

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
        return by_colours(base_background, background)

    StylesCache.get_inner_outer = _mark(get_inner_outer)  # type: ignore[method-assign,assignment]
    return True


# 2. WriterThread ----------------------------------------------------------------------------------------------


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


def _keep_writer_draining() -> bool:
    from textual.drivers._writer_thread import WriterThread

    init = WriterThread.__init__
    if _ours(init) or list(inspect.signature(init).parameters) != ["self", "file"]:
        return False  # ours already, or a constructor that no longer takes just the file

    def init_on_terminal_file(self: WriterThread, file: IO[str]) -> None:
        init(self, file if isinstance(file, TerminalFile) else TerminalFile(file))  # type: ignore[arg-type]

    WriterThread.__init__ = _mark(init_on_terminal_file)  # type: ignore[method-assign]
    return True


# 3. PlotextPlot -----------------------------------------------------------------------------------------------


def _plots_follow_theme_weakly() -> bool:
    from textual_plotext import PlotextPlot

    if _ours(PlotextPlot.on_mount) or not hasattr(PlotextPlot, "_register_theme"):
        return False  # ours already, or a plot that no longer registers its theme this way

    def on_mount(self: PlotextPlot) -> None:
        follow_theme(self, lambda plot: plot._register_theme(plot.app.theme))
        self._register_theme(self.app.theme)

    PlotextPlot.on_mount = _mark(on_mount)  # type: ignore[method-assign]
    return True


# 4. Strip.render ----------------------------------------------------------------------------------------------


def inert(text: str) -> str:
    """`text` with each character that does not print replaced by spaces over the cells it was measured to take."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " * get_character_cell_size(ch) for ch in text)


def _guard_terminal() -> bool:
    render: Callable[[Strip, Console], str] = Strip.render
    if _ours(render) or "_render_cache" not in getattr(Strip, "__slots__", ()):
        return False  # ours already, or a Strip that no longer keeps its rendered text where this writes it

    def guarded(self: Strip, console: Console) -> str:
        if self._render_cache is None and not all(text.isprintable() or control for text, _, control in self._segments):
            # (a control segment is Rich's own escape code, never the data's)
            clean = [seg if seg.control else Segment(inert(seg.text), seg.style) for seg in self._segments]
            self._render_cache = render(Strip(clean, self.cell_length), console)
        return render(self, console)

    Strip.render = _mark(guarded)  # type: ignore[method-assign]
    return True


# 5. OptionList._move_page -------------------------------------------------------------------------------------


def _page_only_once_laid_out() -> bool:
    from textual.widgets import OptionList

    original = OptionList._move_page
    if _ours(original) or not hasattr(OptionList, "_index_to_line"):
        return False  # ours already, or a list that no longer maps options to lines this way

    def move_page(self: OptionList, direction: Literal[-1, 1]) -> None:
        if (self.highlighted or 0) not in self._index_to_line:  # not laid out yet: no lines, no page
            return
        original(self, direction)

    OptionList._move_page = _mark(move_page)  # type: ignore[method-assign]
    return True


TEXTUAL = ((8, 2), (9,))  # the releases pyproject.toml allows, all checked against 8.2.8
WORKAROUNDS = (
    Workaround("styles cache keyed by colours", "textual", TEXTUAL, _keep_styles_cache_small),
    Workaround("writer thread outlives its terminal", "textual", TEXTUAL, _keep_writer_draining),
    Workaround("plots follow the theme weakly", "textual-plotext", ((1, 0, 1), (2,)), _plots_follow_theme_weakly),
    Workaround("no control character reaches the terminal", "textual", TEXTUAL, _guard_terminal),
    Workaround("a page move waits for the option list's layout", "textual", TEXTUAL, _page_only_once_laid_out),
)
