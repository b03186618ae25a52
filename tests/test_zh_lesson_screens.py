"""The lesson panel and the tour in 中文 in the app: the menu, a chapter's step, its question and its reveal,
over a view too, inside their boxes at 80x24, 120x40 and 200x60 with no English sentence; a language switch
redraws the card on show; and a lesson card's zh snapshots at 80x24 and 120x40."""

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.features.lessons.wrap import breaks, wrapped
from microgpt_tui.features.tour.panel import TourPanel
from tests.app_helpers import make_app, press_sent, until
from tests.untranslated import english_runs, screen_lines


def lesson_ready(app) -> bool:
    return isinstance(app.focused, LessonPanel) and app.focused.screen is app.screen


def problems(app, widget: Widget) -> list[str]:
    """What is wrong with `widget` as shown: an English sentence in it (border titles included), a border title
    wider than its box, a line of the terminal wider or narrower than the terminal."""
    found = english_runs(shown(widget))
    for title in (widget.border_title, widget.border_subtitle):
        text = str(title or "")
        found += english_runs(text)
        if cell_len(text) > widget.region.width - 2:
            found.append(f"wider than its box: {text}")
    width = app.size.width
    found += [f"not {width} cells: {line}" for line in screen_lines(app) if cell_len(line) != width]
    return found


def shown(widget: Widget) -> str:
    """What the terminal shows of `widget` (its children drawn: a scrolling container's text included)."""
    region = widget.region
    strips = widget.screen._compositor.render_strips()[region.y : region.bottom]
    return "\n".join(strip.crop(region.x, region.right).text for strip in strips)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_lessons_in_chinese_stay_in_their_boxes_with_no_english_sentence(size, tmp_path, in_chinese):
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        lessons = app.lab.lessons

        async def look(name: str, widget_type: type[Widget] = LessonPanel) -> None:
            await pilot.pause()
            seen[name] = problems(app, app.screen.query_one(widget_type))

        await press_sent(pilot, "L")
        await until(pilot, lambda: lesson_ready(app))
        await look("menu")
        assert "数据与分词器" in shown(app.focused)
        await press_sent(pilot, "enter")  # chapter 1
        await until(pilot, lambda: lessons.chapter is not None and lesson_ready(app))
        await look("a step")
        await press_sent(pilot, "enter", "enter")
        await until(pilot, lambda: lessons.question is not None)
        await look("a question")
        await press_sent(pilot, "3")
        await until(pilot, lambda: lessons.reveal is not None)
        await look("its reveal")
        await press_sent(pilot, "escape")
        await until(pilot, lambda: not lessons.on and not app.screen.query(LessonPanel))
        await press_sent(pilot, "L")
        await until(pilot, lambda: lessons.menu_open and lesson_ready(app))
        await press_sent(pilot, "down", "enter")  # chapter 2: its second step opens the forward view
        await until(pilot, lambda: lessons.number == 2 and lesson_ready(app))
        await press_sent(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, ForwardScreen) and lesson_ready(app))
        await look("over the forward view")
        await press_sent(pilot, "L")
        await until(pilot, lambda: lessons.menu_open and isinstance(app.screen, ForwardScreen) and lesson_ready(app))
        await look("the menu over the forward view")
        await press_sent(pilot, "escape")  # the view closed; the menu stays, on the main screen
        await until(pilot, lambda: app.screen is app.main and lesson_ready(app))
        await press_sent(pilot, "escape")  # the menu closed: the chapter's card again
        await until(pilot, lambda: not lessons.menu_open and lessons.chapter is not None and lesson_ready(app))
        await press_sent(pilot, "escape")  # the chapter paused
        await until(pilot, lambda: app.screen is app.main and not lessons.on)
        await press_sent(pilot, "t")
        await until(pilot, lambda: app.lab.touring.tour is not None and app.main.query(TourPanel))
        await look("the tour", TourPanel)
        await press_sent(pilot, "enter")
        await until(pilot, lambda: app.lab.touring.tour is not None and app.lab.touring.tour.index == 1)
        await look("the tour's second step", TourPanel)
    assert {name: found for name, found in seen.items() if found} == {}
    assert len(seen) == 8


async def test_a_language_switch_redraws_the_lesson_and_the_tour_on_show(tmp_path, english_after):
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    async with app.run_test(size=(120, 40)) as pilot:
        lessons = app.lab.lessons
        await press_sent(pilot, "L")
        await until(pilot, lambda: lessons.menu_open and lesson_ready(app))
        await press_sent(pilot, "enter")
        await until(pilot, lambda: lessons.chapter is not None and lesson_ready(app))
        panel = app.focused
        await until(pilot, lambda: "microgpt learns from a list of" in shown(panel))  # (once the card is drawn)
        app.switch_language("zh")
        await until(pilot, lambda: "个文档" in shown(panel))
        assert "第 1 章 · 数据与分词器" in str(panel.border_title) and "后退" in str(panel.border_subtitle)
        assert english_runs(shown(panel)) == []
        await press_sent(pilot, "enter", "enter")  # the question, asked in zh
        await until(pilot, lambda: lessons.question is not None and "多少个词元" in shown(panel))
        app.switch_language("en")  # not yet guessed: asked again, in English
        await until(pilot, lambda: "How many tokens does the tokenizer make of it?" in shown(panel))
        assert "chapter 1 · The data and the tokenizer" in str(panel.border_title)
        await press_sent(pilot, "escape")
        await until(pilot, lambda: not lessons.on)
        await press_sent(pilot, "t")
        await until(pilot, lambda: app.main.query(TourPanel))
        tour = app.main.query_one(TourPanel)
        await until(pilot, lambda: "This is microgpt" in shown(tour))
        app.switch_language("zh")
        await until(pilot, lambda: "这是 microgpt" in shown(tour))
        assert "导览 1/" in str(tour.border_title) and "结束导览" in str(tour.border_subtitle)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_lesson_card_in_chinese_snapshot(size, snap_compare, tmp_path, in_chinese):
    """Chapter 1 at its question, answered (3): the choices marked, the reveal with this run's figures."""
    app = make_app(tmp_path, state_path=tmp_path / "state.json")

    async def run_before(pilot) -> None:
        await pilot.press("L")
        await until(pilot, lambda: lesson_ready(app))
        await pilot.press("enter", "enter", "enter", "3")
        await until(pilot, lambda: app.lab.lessons.reveal is not None)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=size)


def test_chinese_breaks_between_characters_never_before_closing_punctuation_and_english_is_left_alone():
    line = "第一个 ◆ 表示名字开始；最后一个表示它结束了，这样模型就学会何时停下。（见 wte）"
    for width in (9, 10, 11, 20, 33):
        offsets = [0, *breaks(line, width), len(line)]
        pieces = [line[a:b].rstrip() for a, b in zip(offsets, offsets[1:], strict=False)]
        assert "".join(line[a:b] for a, b in zip(offsets, offsets[1:], strict=False)) == line
        assert all(cell_len(piece) <= width for piece in pieces), (width, pieces)
        assert len(pieces) <= -(-cell_len(line) // (width - 2)) + 1  # (full lines: no run moved whole)
        assert not any(piece[0] in "；，。）" or piece[-1] == "（" for piece in pieces), pieces
    english = Text("The forward pass turns one token at one position into probabilities for the next.")
    assert wrapped(english) is english  # (drawn by Textual as before: English snapshots stay)
