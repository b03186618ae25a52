"""中文 on screen: switched live from the palette, kept for the next session, every line inside its box."""

import pytest
from rich.cells import cell_len
from textual.command import CommandInput, CommandList
from textual.widgets import Select

from microgpt_tui import language, user_state
from microgpt_tui.commands import help_rows, palette_commands
from microgpt_tui.features.embeddings.screen import EmbeddingScreen
from tests.app_helpers import make_app, palette_searched, panel, wait_until, widget_text
from tests.quick_pilot import fill, keys, palette_typed
from tests.untranslated import screen_lines


async def test_the_palette_switches_every_open_screen_to_chinese_and_back(tmp_path, english_after):
    state = tmp_path / "state.json"
    app = make_app(tmp_path, state_path=state, config={"n_embd": 8})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "loss" in panel(app, "#loss") and "参数" not in panel(app, "#params")
        app.switch_language("zh")
        await pilot.pause()
        assert "损失 loss" in panel(app, "#loss") and "参数 parameters" in panel(app, "#params")
        assert "已暂停" in panel(app, "#status") and "个文档" in panel(app, "#status")
        footer = "\n".join(line for line in screen_lines(app)[-1:])
        assert "运行/暂停" in footer and "run/pause" not in footer
        assert user_state.load(state)["language"] == "zh"
        await keys(pilot, "question_mark")
        await pilot.pause()
        help_text = "\n".join(screen_lines(app))
        assert "输入法" in help_text and "导览 guided tour" in help_text
        app.switch_language("en")  # (under the help: the help and the main screen both redraw)
        await pilot.pause()
        help_text = "\n".join(screen_lines(app))
        assert "guided tour" in help_text and "导览" not in help_text
        await keys(pilot, "escape")
        await pilot.pause()
        assert "PAUSED" in panel(app, "#status") and "已暂停" not in panel(app, "#status")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_chinese_stays_inside_its_boxes(size, tmp_path, english_after):
    """Two cells a character: the main screen, its footer and the help keep every line within the terminal and
    every panel's border whole (a line cut mid-character shows a lone half)."""
    language.set_language("zh")
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for screen in ("main", "help"):
            lines = screen_lines(app)
            assert len(lines) == size[1]
            assert all(cell_len(line) == size[0] for line in lines), screen
            for widget in app.screen.query("*"):
                if widget.border_title and widget.region.width:
                    title = str(widget.border_title)
                    assert cell_len(title) <= widget.region.width - 2, (screen, title)
            if screen == "help":  # (a Chinese sentence has no space to wrap at: folded, never cut with an ellipsis)
                assert "…" not in widget_text(app.screen.query_one("#help-table"))
            if screen == "main":
                shown = "\n".join(lines)
                assert "损失" in shown
                for name in ("#status", "#loss", "#attention", "#params", "#samples", "#tokens"):
                    # What the panel draws is on screen whole, no half character (down to the footer's line, which
                    # covers the bottom border of the lower panels at 80x24, in English too).
                    above_footer = size[1] - 1 - app.main.query_one(name).region.y
                    own = panel(app, name).splitlines()[:above_footer]
                    assert [line for line in own if line not in shown] == [], name
                await keys(pilot, "question_mark")
                await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen_in_chinese_snapshot(size, snap_compare, tmp_path, english_after):
    language.set_language("zh")
    user_state.save(tmp_path / "state.json", ime_noted=True)  # (no toast over the panels: the note is tested above)
    app = make_app(tmp_path, state_path=tmp_path / "state.json")
    assert snap_compare(app, press=["space"], terminal_size=size)


async def test_the_settings_dialog_switches_the_language_at_once(tmp_path, english_after):
    state = tmp_path / "state.json"
    app = make_app(tmp_path, state_path=state, config={"n_embd": 8})
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "o")
        await pilot.pause()
        app.screen.query_one("#set-language", Select).value = "zh"
        await pilot.pause()
        assert language.current() == "zh" and user_state.load(state)["language"] == "zh"
        await keys(pilot, "escape")
        await pilot.pause()
        assert "已暂停" in panel(app, "#status") and "损失 loss" in panel(app, "#loss")


async def test_the_about_screen_in_chinese_follows_a_switch_while_open(tmp_path, english_after):
    language.set_language("zh")
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "b")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "microgpt 对照生产级大模型" in shown and "词表 vocabulary" in shown and "1 层" in shown
        assert all(cell_len(line) == 80 for line in screen_lines(app))
        assert "…" not in widget_text(app.screen.query_one("#about-table"))  # (folded, never cut)
        app.switch_language("en")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "microgpt next to production LLMs" in shown and "1 layer" in shown and "词表" not in shown


async def test_in_chinese_the_palette_finds_a_command_by_either_name_and_the_input_method_is_noted_once(
    tmp_path, english_after
):
    language.set_language("zh")
    state = tmp_path / "state.json"
    app = make_app(tmp_path, state_path=state, config={"n_embd": 8})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "请关闭中文输入法" in panel(app, "#status")  # (the first launch in zh)
        await palette_typed(pilot, "embedding")
        await palette_searched(pilot)
        assert "词嵌入图 embedding map (e)" in widget_text(app.screen.query_one(CommandList))
        await fill(pilot, CommandInput.__name__, "词嵌入图")
        await wait_until(pilot, lambda: "词嵌入图 embedding map (e)" in widget_text(app.screen.query_one(CommandList)))
        await keys(pilot, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EmbeddingScreen))
    again = make_app(tmp_path, state_path=state, config={"n_embd": 8})
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "输入法" not in panel(again, "#status")  # (said once: the state file remembers)
        entries = list(again.get_system_commands(again.screen))  # (Textual's own entries too: Theme, Keys, …)
        assert "主题 · Theme" in [e.title for e in entries]
        assert [e.title for e in entries if not (chinese(e.title) and chinese(e.help or ""))] == []


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def test_in_chinese_every_help_row_and_palette_entry_is_translated(english_after):
    language.set_language("zh")
    rows = help_rows(lambda action: True)
    assert len(rows) > 40 and [row for row in rows if not (chinese(row[1]) and chinese(row[2]))] == []
    entries = list(palette_commands(lambda action: True, lambda action: None, lambda: None))
    assert len(entries) > 40
    assert [e.title for e in entries if not (chinese(e.title) and chinese(e.help or ""))] == []
    language.set_language("en")
    assert [row for row in help_rows(lambda action: True) if chinese(row[1] + row[2])] == []
