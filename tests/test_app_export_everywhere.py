"""ctrl+x exports from every screen (the SVG is of that screen), with no toast drawn over it, and the palette has
one quit and one export: the app's."""

from app_helpers import make_app, settled, until, wait_until, widget_text
from quick_pilot import palette_typed

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


async def test_ctrl_x_exports_the_screen_on_top_and_no_toast_is_drawn_over_it(tmp_path):
    """One app, every screen in turn: each export's toast ("exported …") is on screen when the next is taken."""
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
        for number, (name, (keys, words)) in enumerate(SCREENS.items(), start=2):
            assert any("exported" in note.message for note in app._notifications), f"no toast before the {name}"
            for key in keys:  # (each key's work lands before the next: "," starts a replay that "c" compares with)
                await pilot.press(key)
                await settled(pilot)
            screen = app.screen
            assert screen is not app.main, f"{keys} opened no screen"
            await pilot.press("ctrl+x")
            svg = tmp_path / f"microgpt-step2-{number}.svg"
            await wait_until(pilot, svg.exists)
            assert app.screen is screen  # (still there: ctrl+x did not close it)
            drawn = svg_text(svg)
            assert words in drawn, f"the SVG is not of the {name}"
            assert toasts_drawn[-1] == 0, name  # the toast before it is not in the picture
            assert svg.name in app.lab.event
            for _ in range(3):  # back to the main screen at the newest step, as a new app starts
                if app.screen is app.main:
                    break
                await pilot.press("escape")
            assert app.screen is app.main, f"escape did not leave the {name}"
            while app.lab.viewing_past:
                await pilot.press("full_stop")
                await until(pilot, lambda: not app.lab.travel.moving)


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
        await palette_typed(pilot, "quit")
        await until(pilot, lambda: "quit (q)" in widget_text(app.screen.query_one("CommandList")))
        await pilot.press("enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "QuitScreen")  # the app's: it asks first
