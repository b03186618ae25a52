"""Opening and closing screens, and entering and leaving modes, keeps no closed widget's drawing alive.

Counts objects (gc), not time or RSS: the number of drawn lines (`Strip`) and of
widgets' line caches (`StylesCache`) alive must not grow with the number of
rounds (bench/screen_soak.py measures the RSS of the same loop).
"""

import gc

from app_helpers import make_app, press_sent
from textual._styles_cache import StylesCache
from textual.dom import DOMNode
from textual.strip import Strip

from microgpt_tui.features.quiz.panel import QuizPanel
from microgpt_tui.features.tour.panel import TourPanel

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


def alive(kind: type) -> int:
    gc.collect()
    return sum(isinstance(o, kind) for o in gc.get_objects())


def detached(kind: type) -> int:
    gc.collect()
    return sum(isinstance(o, kind) and not o.is_attached for o in gc.get_objects() if isinstance(o, DOMNode))


async def test_closing_a_screen_leaves_none_of_its_drawn_lines_behind(tmp_path):
    """Textual's StylesCache.get_inner_outer lru_cache kept the line cache of the last 1,024 widgets drawn:
    each open of the embedding map and the quit dialog left ~230 strips alive (textual_compat.py)."""
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()

        async def rounds(n: int) -> None:
            for _ in range(n):
                for key in ("e", "q", "m"):  # the embedding map, the quit dialog, the matrix view (theme-following)
                    await press_sent(pilot, key)
                    await pilot.pause()
                    await press_sent(pilot, "escape")
                    await pilot.pause()
                assert app.screen is app.main

        await rounds(2)  # (the first opens fill Textual's bounded caches: styles, colours)
        strips, caches = alive(Strip), alive(StylesCache)
        await rounds(8)
        # Without textual_compat these 8 rounds keep +120 caches (measured) and their strips. Now and then one
        # closed embedding map is still held when counted (8 caches, ~180 strips; never two), so one screen's worth.
        assert alive(StylesCache) <= caches + 10, f"{alive(StylesCache)} StylesCaches alive, {caches} before"
        assert alive(Strip) <= strips + 250, f"{alive(Strip)} strips alive, {strips} before"


async def test_leaving_the_quiz_and_the_tour_leaves_no_panel_behind(tmp_path):
    """The main screen's query cache (keyed by the count of DOM changes) kept each removed quiz panel."""
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        for _ in range(6):
            await press_sent(pilot, "p")  # the quiz panel takes the token panel's place...
            await pilot.pause()
            assert app.main.query(QuizPanel)
            await press_sent(pilot, "escape")  # ...and is removed
            await pilot.pause()
            await press_sent(pilot, "t")  # the tour panel, the same
            await pilot.pause()
            assert app.main.query(TourPanel)
            await press_sent(pilot, "escape")
            await pilot.pause()
        assert not app.lab.quizzing.on and app.lab.touring.tour is None
        assert detached(QuizPanel) <= 1, f"{detached(QuizPanel)} removed quiz panels alive"
        assert detached(TourPanel) <= 1, f"{detached(TourPanel)} removed tour panels alive"


async def test_closing_the_runs_comparison_leaves_no_plot_behind(tmp_path):
    """textual-plotext's plot subscribed to the theme with a lambda that kept each closed plot alive."""
    from textual_plotext import PlotextPlot

    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#set-lr").value = "0.02"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # a second run, the first kept in the list
        await pilot.press("space")
        await pilot.pause()
        for _ in range(4):
            await press_sent(pilot, "w")
            await pilot.pause()
            await press_sent(pilot, "up", "c")  # run 0 against the live run
            await pilot.pause()
            assert app.screen.query_one("#runs-compare-plot")
            await press_sent(pilot, "escape", "escape")
            await pilot.pause()
        assert app.screen is app.main
        assert detached(PlotextPlot) <= 1, f"{detached(PlotextPlot)} closed plots alive"
        from textual_plotext import plotext_plot

        assert "textual-auto-nord" not in plotext_plot._themes
        app.theme = "nord"  # a theme change still reaches the plots alive (the subscription is weak, not gone)
        await pilot.pause()
        assert "textual-auto-nord" in plotext_plot._themes
