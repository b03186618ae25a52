"""A run's name as written, wherever it is shown, under Pilot: the loss plot's legend named the previous run
inside console markup, so `x[/]y` crashed the app (the previous run's steps lost) and `[@click=app.quit]hi`
became a live click action."""

import pytest
from app_helpers import make_app, widget_text

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)
NAMES = ["x[/]y", "[@click=app.quit]hi", "[b]bold[/b]", "a[/]"]


@pytest.mark.parametrize("name", NAMES)
async def test_a_run_named_with_markup_is_shown_as_written_in_the_loss_legend(tmp_path, name):
    app = make_app(tmp_path, steps=6, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space")
        await pilot.press("w", "n")
        app.screen.query_one("#runs-input").value = name
        await pilot.press("enter", "escape")
        await pilot.pause()
        await pilot.press("o")
        app.screen.query_one("#set-lr").value = "0.02"
        await pilot.press("enter", "y")  # a second run: the legend now names the first
        await pilot.pause()
        legend = widget_text(app.main.query_one("LossPlot"))
        assert f"━ {name}" in legend  # (a [@click…] tag read as markup would vanish from the text)
    assert app.return_code in (None, 0)
