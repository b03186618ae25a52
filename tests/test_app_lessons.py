"""The lessons in the app: every chapter walked with the keys it asks for, at 80x24 and 120x40 (the panel on
the main screen and over the views it opens), and the menu and one step as they look at 80x24."""

import pytest
from app_helpers import make_app, press_sent, until, widget_text
from lesson_helpers import FIRST_SIX

from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.lessons.card import MenuCard
from microgpt_tui.features.lessons.chapters import CHAPTERS
from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.features.lessons.steps import Ask, Press

KEYS = {"space": "space", "→": "right", "↓": "down"}  # a step's key as it names it -> the key pressed


def panel_ready(app) -> bool:
    """The lesson panel is on the screen on top, with the focus (the keys reach it, and through it the view)."""
    return isinstance(app.focused, LessonPanel) and app.focused.screen is app.screen


async def take_step(pilot) -> None:
    """Do what the chapter's step asks, as a learner would, and wait until the chapter is on the next step. Each
    key is sent as Pilot's press sends it and handled before the next, without Pilot's waits for an idle CPU:
    what a key starts (a step) is waited for by condition."""
    app = pilot.app
    lessons = app.lab.lessons
    await until(pilot, lambda: panel_ready(app))
    chapter, at = lessons.chapter, lessons.index
    step = chapter.steps[at]
    if isinstance(step, Ask):
        await press_sent(pilot, "1")
        if lessons.question.wait:
            await press_sent(pilot, KEYS.get(lessons.question.wait_key, lessons.question.wait_key))
        await until(pilot, lambda: lessons.reveal is not None)
        await pilot.pause()
        assert "✓" in widget_text(app.focused.query_one("#lesson-text")) or lessons.reveal.answer < 0  # marked
        await press_sent(pilot, "enter")
    elif isinstance(step, Press):
        await press_sent(pilot, KEYS.get(step.key, step.key))
    else:
        await press_sent(pilot, "enter")
    await until(pilot, lambda: lessons.chapter is not chapter or lessons.index == at + 1)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_chapter_walked_with_its_keys_is_complete(size):
    app = make_app(steps=40, config={"n_embd": 8, "n_head": 2})
    async with app.run_test(size=size) as pilot:
        await press_sent(pilot, "L")
        await until(pilot, lambda: panel_ready(app))
        lessons = app.lab.lessons
        for number in FIRST_SIX:
            assert lessons.menu_open and lessons.cursor == number  # (the menu offers the next chapter)
            await press_sent(pilot, "enter")
            chapter = CHAPTERS[number]
            await until(pilot, lambda chapter=chapter: lessons.chapter is chapter and app.screen is app.main)
            while lessons.index < len(chapter.steps):
                await take_step(pilot)
                await until(pilot, lambda: panel_ready(app))
                await pilot.pause()  # (laid out with the new card)
                assert app.focused.region.bottom <= size[1]  # the panel fits the screen
            assert lessons.complete(CHAPTERS[number])
            if number == 2:  # the forward view, still open: its last stage, and the line it ends in, in sight
                await press_sent(pilot, *["down"] * 30)
                await pilot.pause()
                body = app.screen.query_one("#forward-body")
                assert body.scroll_offset.y + body.size.height >= body.virtual_size.height - 1
                assert "↳ p(next " in widget_text(app.screen.query_one("#forward-strips"))
            await until(pilot, lambda: panel_ready(app))
            await press_sent(pilot, "enter")  # the last card: back to the menu
            await until(pilot, lambda: lessons.menu_open, timeout=3, fail=False)
            assert lessons.menu_open, (number, lessons.index, app.screen, app.focused, lessons.card())
        assert all(lessons.complete(CHAPTERS[number]) for number in FIRST_SIX)


def test_the_lessons_menu_at_80x24(snap_compare):
    async def run_before(pilot):
        await pilot.press("L")
        await until(pilot, lambda: panel_ready(pilot.app))
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))


def test_a_chapters_question_answered_at_80x24(snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await pilot.press("L")
        await until(pilot, lambda: panel_ready(app))
        await pilot.press("enter", "enter", "enter", "3")  # chapter 1, its third step: a question, answered 3
        await until(pilot, lambda: app.lab.lessons.reveal is not None)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))


async def test_l_over_a_chapters_view_opens_the_menu_there_and_a_chapter_chosen_starts():
    """The panel says "L contents" over the view a chapter opened (and its tooltip "over a view too"): the key
    opens the menu on that screen, where the app's own L is held back as it is over any view."""
    app = make_app(config={"n_embd": 8})
    async with app.run_test(size=(100, 30)) as pilot:
        lessons = app.lab.lessons
        await pilot.press("space", "L", "down", "enter")
        await until(pilot, lambda: lessons.number == 2 and panel_ready(app))
        await pilot.press("enter")  # chapter 2's first step opens the forward view
        await until(pilot, lambda: isinstance(app.screen, ForwardScreen) and panel_ready(app))
        await pilot.press("L")
        assert lessons.menu_open
        assert isinstance(app.screen, ForwardScreen) and isinstance(app.focused.card, MenuCard)
        await pilot.press("down", "enter")
        await until(pilot, lambda: lessons.number == 3 and not lessons.menu_open)
