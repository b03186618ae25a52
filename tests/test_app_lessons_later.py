"""Chapters 7-11 in the app: walked with the keys they ask for at 80x24 and 120x40 (the ladder's runs train
apart and land while the chapters go on), and one step as it looks at 80x24."""

import pytest
from app_helpers import make_app, panel, press_sent, until, widget_text

from microgpt_tui.features.lessons.chapters import CHAPTERS, attention, ladder, production, temperature, training
from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.features.lessons.steps import Ask, Press

LATER = (training.CHAPTER, attention.CHAPTER, ladder.CHAPTER, temperature.CHAPTER, production.CHAPTER)
KEYS = {"+": ("plus", "+"), "→": "right"}  # a step's key as it names it -> the key pressed (and its character)


def panel_ready(app) -> bool:
    return isinstance(app.focused, LessonPanel) and app.focused.screen is app.screen


async def open_chapter(pilot, chapter, press=None) -> None:
    """L, the arrows to `chapter`, enter; each key by `press` (Pilot's press unless given)."""
    app = pilot.app
    lessons = app.lab.lessons
    press = press or pilot.press
    if not lessons.menu_open:
        await press("L")
    await until(pilot, lambda: panel_ready(app) and lessons.menu_open)
    moves = CHAPTERS.index(chapter) - lessons.cursor
    for _ in range(abs(moves)):
        await press("down" if moves > 0 else "up")
    await press("enter")
    await until(pilot, lambda: lessons.chapter is chapter and panel_ready(app))


async def take_step(pilot) -> None:
    """Do what the step asks, as a learner would, and wait until the chapter is on its next step. Each key is
    sent as Pilot's press sends it and handled before the next, without Pilot's waits for an idle CPU: what a
    key's work starts (a run, the ladder's jobs) is waited for by condition below."""
    app = pilot.app
    lessons = app.lab.lessons
    await until(pilot, lambda: panel_ready(app))
    chapter, at = lessons.chapter, lessons.index
    step = chapter.steps[at]
    # (a learner reads for a while: the ladder's runs land meanwhile, and a run the chapter started ends)
    await until(pilot, lambda: not app.lab.session.ladder.pending and not app.lab.training, timeout=120)
    if isinstance(step, Ask):
        await press_sent(pilot, "1")
        await until(pilot, lambda: lessons.reveal is not None)
        await pilot.pause()
        assert "✓" in widget_text(app.focused.query_one("#lesson-text"))  # the answer, marked
        await press_sent(pilot, "enter")
    elif isinstance(step, Press):
        await press_sent(pilot, KEYS.get(step.key, step.key))
    else:
        await press_sent(pilot, "enter")
    await until(pilot, lambda: lessons.chapter is not chapter or lessons.index == at + 1)


@pytest.fixture(scope="module")
def climbed() -> dict:
    """The first walk's ladder: the second walk takes its figures instead of training it again (a module's
    fixture: both walks run on one worker, conftest.py)."""
    return {}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_chapters_7_to_11_walked_with_their_keys_are_complete(size, climbed):
    app = make_app(steps=10, config={"n_embd": 8, "n_head": 4})
    async with app.run_test(size=size) as pilot:
        app.lab.ladder.held = 40  # (each rung is measured on 40 held-out names, not the runs screen's 500)
        app.lab.session.ladder.climbed.update(climbed)  # (its rungs are in: the chapters only quote them)
        lessons = app.lab.lessons
        for chapter in LATER:
            await open_chapter(pilot, chapter, lambda key: press_sent(pilot, key))
            while lessons.chapter is chapter and lessons.index < len(chapter.steps):
                await take_step(pilot)
                await until(pilot, lambda: panel_ready(app))
                await pilot.pause()  # (laid out with the new card)
                assert app.focused.region.bottom <= size[1]  # the panel fits the screen
            assert lessons.complete(chapter), chapter.key
            await until(pilot, lambda: panel_ready(app))
            await press_sent(pilot, "escape")  # the panel closes; L opens the menu again
            await until(pilot, lambda: not lessons.on)
        session = app.lab.session
        assert session.dataset_name == "copy" and session.selection.temperature == pytest.approx(0.6)
        await press_sent(pilot, "escape")
        await until(pilot, lambda: not lessons.on)
        await pilot.pause()  # (the panels laid out again without the lesson's)
        rows = [line.strip("│ ").split() for line in panel(app, "#tokens").splitlines()]
        bars = [words for words in rows if len(words) in (2, 3) and words[-1].endswith("%")]  # (label, bar?, p)
        labels = {words[0].lstrip("▸") for words in bars if words and len(words[0].lstrip("▸")) == 1}
        # the next-token panel labels the copy task's own tokens (the run made live is another vocabulary)
        assert labels and labels <= set("abcdefgh|◆"), labels
        assert len(session.ladder.climbed) == 10
        if not climbed:  # (trained here: every rung landed in the runs list too)
            assert len(session.book.runs) >= 10
            climbed.update(session.ladder.climbed)


def test_chapter_11_at_80x24(snap_compare):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await open_chapter(pilot, production.CHAPTER)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))
