"""What a view change and the compare screen draw: the same pixels, drawn once (counts, not time).

bench/ui_stalls.py measures the stalls; these tests pin what was cut: the
compare screen's look (a snapshot), and which panels draw again after `,`.
"""

from app_helpers import landed, make_app, trained, until, widget_text

from microgpt_tui.features.quiz.panel import QuizPanel
from microgpt_tui.features.time_travel.compare_screen import CompareScreen
from microgpt_tui.renderables.prob_bars import ProbabilityBars

SIZE = (120, 40)


def test_compare_screen_snapshot(snap_compare):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await trained(pilot)
        await pilot.press("comma", "comma")
        await landed(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(steps=4), run_before=run_before, terminal_size=SIZE)


async def test_c_builds_each_column_once_and_a_move_rebuilds_each_once_more(monkeypatch):
    """The columns were Statics updated on mount and again once laid out: each built (and drawn) twice."""
    app = make_app(steps=4)
    built: list[int] = []
    bars_init = ProbabilityBars.__init__

    def counted(self, *args, **kwargs):
        built.append(len(app.screen_stack))
        bars_init(self, *args, **kwargs)

    monkeypatch.setattr(ProbabilityBars, "__init__", counted)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("comma", "comma")
        await landed(pilot)
        await pilot.pause()
        built.clear()
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        for _ in range(3):
            await pilot.pause()
        on_compare = [depth for depth in built if depth == 2]
        assert len(on_compare) == 3, f"{len(on_compare)} columns built for 3"
        built.clear()
        await pilot.press("right")
        for _ in range(3):
            await pilot.pause()
        assert built.count(2) == 3
        assert "pos 1" in widget_text(app.screen.query_one("#compare-caption"))


async def test_a_view_change_with_no_quiz_does_not_search_the_screen_for_the_quiz_panel():
    """Every intent looked for a quiz panel to take down, walking the screen's widgets (2-3 ms an intent)."""
    app = make_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        asked: list[object] = []
        query = app.main.query

        def counted(selector=None):
            asked.append(selector)
            return query(selector)

        app.main.query = counted  # type: ignore[method-assign]
        await pilot.press("comma", "comma", "full_stop", "right", "l")
        await landed(pilot)
        assert app.lab.viewed_step == 3
        assert QuizPanel not in asked, f"{asked.count(QuizPanel)} searches for a quiz panel"


async def test_time_travel_moves_the_loss_plots_viewed_line_without_downsampling_the_history_again(monkeypatch):
    """The curves do not change with the viewed step; only its line does (the series was redone each , and .)."""
    app = make_app(steps=6)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        history = app.lab.history
        made: list[int] = []
        series = history.series

        def counted(points):
            made.append(points)
            return series(points)

        monkeypatch.setattr(history, "series", counted)
        curves = app.main.query_one("#loss").view.losses
        for key in ("comma", "comma", "comma", "full_stop", "less_than_sign"):
            await pilot.press(key)
            await landed(pilot)
            plot = app.main.query_one("#loss")
            assert plot.view.viewed_step == app.lab.viewed_step is not None
            assert plot.view.losses == curves  # (the run's whole curve, as before)
        assert made == [], f"the loss history was downsampled {len(made)} times for 5 view changes"
