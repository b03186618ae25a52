"""Every screen and dialog in 中文: no English sentence left, every line and border title inside the terminal.

One app per terminal size walks the main screen in its modes and opens every view and dialog from its key,
reading what the terminal shows after each (tests/untranslated.py says what counts as an English sentence).
Lessons are walked step by step in tests of their own."""

import pytest
from rich.cells import cell_len

from microgpt_engine.textbook_file import TEXTBOOK
from microgpt_tui.features.saving.quit_screen import QuitScreen
from tests.app_helpers import make_app, settled
from tests.untranslated import code_fragments, english_runs, screen_lines

# (name, keys from the main screen after one step, keys that undo what they did; esc closes a view)
WALK = [
    ("main", [], []),
    ("sampling", ["s"], []),
    ("next character", ["n", "n"], []),
    ("quiz", ["p"], ["escape"]),
    ("compare", ["c"], ["c"]),
    ("before/after", ["d"], ["d"]),
    ("ablate head", ["z"], ["u"]),
    ("time travel", ["comma"], ["full_stop"]),
    ("help", ["question_mark"], []),
    ("lessons menu", ["L"], ["escape"]),
    ("tour", ["t"], ["escape"]),
    ("explain", ["i"], []),
    ("graph", ["g"], []),
    ("embeddings", ["e"], []),
    ("forward pass", ["v"], []),
    ("matrix", ["m"], []),
    ("about", ["b"], []),
    ("code", ["k"], []),
    ("glossary", ["y"], []),
    ("probe", ["slash"], []),
    ("force a character", ["f"], []),
    ("save", ["ctrl+s"], []),
    ("settings", ["o"], []),
    ("runs", ["w"], []),
    ("share code", ["ctrl+l"], []),
    ("quit", ["space", "q"], []),  # (a step after the save: q asks, it does not quit at once)
]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_every_screen_in_chinese_has_no_english_sentence_and_fits(size, tmp_path, in_chinese):
    code = code_fragments(TEXTBOOK.read_text())  # (code: English, its comments too, whole or folded)
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    english: dict[str, list[str]] = {}
    overflow: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await pilot.press("space")
        await settled(pilot)
        for name, keys, back in WALK:
            await pilot.press(*keys)
            await settled(pilot)
            if name == "quit":
                assert isinstance(app.screen, QuitScreen)
            lines = screen_lines(app)
            allowed = code if name == "code" else ()
            found = [run for line in lines for run in english_runs(line, allowed)]
            if found:
                english[name] = found
            wide = [line for line in lines if cell_len(line) != size[0]]
            titles = [
                str(w.border_title)
                for w in app.screen.query("*")
                if w.border_title and w.region.width and cell_len(str(w.border_title)) > w.region.width - 2
            ]
            if wide or titles:
                overflow[name] = wide + titles
            await pilot.press(*back)
            for _ in range(4):  # (a view opened from a view: back to the main screen, the note cleared)
                if app.screen is app.main:
                    break
                await pilot.press("escape")
            app.clear_notifications()
            await settled(pilot)
            assert app.screen is app.main, name
    assert english == {}, "\n".join(f"{name}: {runs}" for name, runs in english.items())
    assert overflow == {}
