"""ctrl+x exports from every screen (the SVG is of that screen), with no toast drawn over it, and the palette has
one quit and one export: the app's."""

import pytest
from app_helpers import make_app, until, wait_until, widget_text

SIZE = (80, 24)
TINY = dict(n_embd=8, n_head=2)


def svg_text(path):
    return path.read_text(encoding="utf-8").replace("&#160;", " ")


# key(s) that open the screen, and a few words only that screen draws
SCREENS = {
    "forward view": (("v",), "forward"),
    "matrix view": (("m",), "wte"),
    "compare": (("comma", "c"), "step 0"),
    "runs screen": (("w",), "runs of this session"),
    "graph": (("g",), "autograd graph"),
    "embeddings": (("e",), "PCA"),
    "help": (("question_mark",), "run/pause"),
    "glossary": (("y",), "glossary"),
    "about": (("b",), "microgpt"),
    "code": (("k",), "the code: "),
}


@pytest.mark.parametrize("name", list(SCREENS))
async def test_ctrl_x_exports_the_screen_on_top_and_no_toast_is_drawn_over_it(name, tmp_path):
    keys, words = SCREENS[name]
    app = make_app(tmp_path, config=TINY)
    toasts_drawn = []
    save_screenshot = app.save_screenshot

    def recording(*args, **kwargs):  # what is drawn at the moment the SVG is taken
        drawn = app.screen._compositor.visible_widgets
        toasts_drawn.append(sum(type(widget).__name__ == "Toast" for widget in drawn))
        return save_screenshot(*args, **kwargs)

    app.save_screenshot = recording
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # (a test app draws no toasts unless asked)
        await pilot.press("space", "space")
        await pilot.press("ctrl+x")  # on the main screen first: its toast says "exported …"
        await wait_until(pilot, lambda: (tmp_path / "microgpt-step2.svg").exists())
        assert any("exported" in n.message for n in app._notifications)
        await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen is not app.main, f"{keys} opened no screen"
        await pilot.press("ctrl+x")
        second = tmp_path / "microgpt-step2-2.svg"
        await wait_until(pilot, second.exists)
        assert app.screen is screen  # (still there: ctrl+x did not close it)
        drawn = svg_text(second)
        assert words in drawn, f"the SVG is not of the {name}"
        assert toasts_drawn[-1] == 0  # the first export's toast is not in the picture
        assert "microgpt-step2-2.svg" in app.lab.event


async def test_the_palette_has_one_quit_and_one_export_the_apps(tmp_path):
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        titles = [command.title for command in app.get_system_commands(app.main)]
        assert [t for t in titles if "quit" in t.lower()] == ["quit (q)"]  # not Textual's "Quit" beside it
        moving = ("export the last minute (X)", "export the loss curve as an animation (SVG)")  # (motion's own)
        assert [t for t in titles if ("export" in t.lower() or "screenshot" in t.lower()) and t not in moving] == [
            "export SVG + CSV (ctrl+x)"
        ]
        assert set(moving) <= set(titles)
        assert "Theme" in titles  # (Textual's other commands stay)
        await pilot.press("ctrl+p", *"quit")
        await until(pilot, lambda: "quit (q)" in widget_text(app.screen.query_one("CommandList")))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "QuitScreen")  # the app's: it asks first
