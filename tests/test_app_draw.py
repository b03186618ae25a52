"""What a view change and the compare screen draw: the same pixels, drawn once (counts, not time).

bench/ui_stalls.py measures the stalls; these tests pin what was cut: the
compare screen's look (a snapshot), and which panels draw again after `,`.
"""

from app_helpers import landed, make_app, trained, until, widget_text

from microgpt_tui.renderables.prob_bars import ProbabilityBars
from microgpt_tui.screens.compare import CompareScreen

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
