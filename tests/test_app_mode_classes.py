"""The modes' classes (-sampling, -past, -ablated, -training) restyle only the widgets they style: on the main
screen, each , . z u or s restyled every widget there is (~56 ms on the UI thread at 120x40 when leaving a
past step). The look stays the same: the styled widgets change, and change back."""

from app_helpers import make_app, restyles, until

from microgpt_tui.panels import MODE_STYLED

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


MODES = [(",", ".", "-past"), ("z", "u", "-ablated"), ("s", "escape", "-sampling")]


async def test_a_mode_restyles_the_widgets_it_styles_and_not_the_screen(monkeypatch):
    app = make_app(steps=1_000, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        restyled = restyles(app, monkeypatch)
        for _ in range(3):
            await pilot.press("space")
        await pilot.pause()
        for keys, undo, mode in MODES:  # one session: each mode entered and left in turn
            styled = [app.main.query_one(selector) for selector in MODE_STYLED[mode]]
            before = [(w.styles.border, w.styles.background) for w in styled]
            restyled.clear()
            await pilot.press(keys)
            await until(pilot, lambda mode=mode, styled=styled: all(w.has_class(mode) for w in styled))
            await pilot.pause()
            during = [(w.styles.border, w.styles.background) for w in styled]
            await pilot.press(undo)
            await until(pilot, lambda mode=mode, styled=styled: not any(w.has_class(mode) for w in styled))
            await pilot.pause()
            assert app.main not in restyled, mode  # (before: the screen and every widget below it, twice)
            assert set(styled) <= set(restyled), mode
            assert len(set(restyled)) < len(list(app.main.walk_children())) // 2, mode
            assert during != before, mode  # the mode still shows
            assert [(w.styles.border, w.styles.background) for w in styled] == before, mode
