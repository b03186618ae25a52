"""A run's name as written, wherever it is shown, under Pilot: the loss plot's legend named the previous run
inside console markup, so `x[/]y` crashed the app (the previous run's steps lost) and `[@click=app.quit]hi`
became a live click action."""

import pytest
from app_helpers import make_app, widget_text
from quick_steps import start_run

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)
NAMES = ["x[/]y", "[@click=app.quit]hi", "[b]bold[/b]", "a[/]"]


@pytest.mark.parametrize("names", [NAMES[:2], NAMES[2:]], ids=["x[/]y,click", "bold,a[/]"])
async def test_a_run_named_with_markup_is_shown_as_written_in_the_loss_legend(tmp_path, names):
    app = make_app(tmp_path, steps=6, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        # one session names two live runs in turn (a third name would not fit in the legend at 120x40)
        for number, name in enumerate(names):
            await pilot.press("space", "space")
            await pilot.press("w", "n")
            app.screen.query_one("#runs-input").value = name
            await pilot.press("enter", "escape")
            await pilot.pause()
            assert app.lab.current_run.number == number and app.lab.current_run.name == name
            start_run(app, lr=(number + 2) / 100)  # a new run: the legend now names the one before
            await pilot.pause()
            legend = widget_text(app.main.query_one("LossPlot"))
            assert f"━ {name}" in legend, name  # (a [@click…] tag read as markup would vanish from the text)
    assert app.return_code in (None, 0)


async def test_a_page_key_in_the_command_palette_before_its_first_layout_does_not_crash():
    """ctrl+p then PageDown within ~10 ms raised KeyError: 0 inside Textual's option list (not laid out yet)."""
    from textual.widgets import OptionList

    app = make_app(None, steps=5, config=TINY)
    async with app.run_test(size=(80, 24)) as pilot:
        palette_list = OptionList(*[str(n) for n in range(40)])  # (the palette's CommandList is one)
        await app.screen.mount(palette_list)  # (mounted, and paged at once: before any layout)
        palette_list.highlighted = 0
        palette_list.action_page_down()
        palette_list.action_page_up()
        await pilot.pause()
        palette_list.action_page_down()  # once laid out, a page moves the highlight as before
        assert palette_list.highlighted > 0
    assert app.return_code in (None, 0)
