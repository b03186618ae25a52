"""A recording and a share code carry the lessons: the progress the session began with, the chapter on show."""

import json

import pytest
from app_helpers import DOCS, make_app, press_sent, until
from recording_helpers import replayed, shown

from microgpt_engine import Config, Trainer
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.chapters import CHAPTERS
from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.features.recording import format as rec

SIZE = (100, 32)
FIRST = CHAPTERS[1].key  # the data and the tokenizer


async def test_a_replay_begins_from_the_progress_the_recorded_session_began_with(tmp_path):
    """Chapter 1 done before the session: the menu offers chapter 2, in the session and in its replay (which
    begins from the recorded progress, not the viewer's, and remembers nothing)."""
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"tour_offered": True, "lessons": {"done": [FIRST], "at": {}, "answered": {}}}))
    app = make_app(tmp_path, config={"n_embd": 8, "n_head": 2}, offer_tour=True, state_path=state)
    app.lab.recording.path = tmp_path / "session.jsonl"  # (as --record FILE would say)
    screens = {}
    async with app.run_test(size=SIZE) as pilot:
        for key in ("ctrl+r", "L", "down", "ctrl+r"):
            await until(pilot, lambda: not list(app.workers))
            screens[len(screens) + 1] = await shown(app)
            await press_sent(pilot, key)
            if key == "L":
                await until(pilot, lambda: isinstance(app.focused, LessonPanel))
        cursor = app.lab.lessons.cursor
    assert cursor == 2  # (the cursor on chapter 1, then down)
    recording = rec.read(app.lab.recording.written)
    assert recording.header.lessons == {"done": [FIRST], "at": {}, "answered": {}}

    def elsewhere(replay):  # (its own ctrl+r writes the same name, in another folder)
        replay.lab.recording.path = (tmp_path / "again").mkdir() or tmp_path / "again" / "session.jsonl"

    replay_screens, _, replay = await replayed(recording, DOCS, tmp_path, SIZE, setup=elsewhere)
    assert replay.player.diverged is None and replay.lab.lessons.cursor == cursor
    assert replay_screens == screens
    assert replay.lab.lessons.progress.path is None  # (a replay keeps no progress of its own)


@pytest.mark.parametrize(
    "lessons",
    [[], {"done": "x"}, {"done": [1]}, {"at": {"x": -1}}, {"answered": {"x": ["1"]}}, {"other": 1}, {"at": {"": 0}}],
)
def test_a_recordings_lessons_that_are_not_progress_are_refused_in_one_line(tmp_path, lessons):
    header = rec.Header(Config(n_embd=8, n_head=2), "fused", rec.DataIdentity("x", 0, "0" * 64), SIZE)
    path = tmp_path / "r.jsonl"
    rec.write(path, header, ())
    lines = path.read_text().splitlines()
    lines[0] = json.dumps(json.loads(lines[0]) | {"lessons": lessons})
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(rec.RecordingError, match="lessons") as caught:
        rec.read(path)
    assert "\n" not in str(caught.value)


def test_a_share_code_names_the_chapter_on_show_and_reopens_it():
    lab = Lab(Trainer(DOCS, Config(steps=40, seed=42, n_embd=8, n_head=2)))
    lab.lessons.choose(2)
    code = lab.recording.code("main")
    assert not isinstance(code, str) and code.lesson == CHAPTERS[2].key
    other = Lab(Trainer(DOCS, Config(steps=40, seed=42, n_embd=8, n_head=2)))
    assert other.recording.open_lesson is not None
    other.recording.open_lesson(code.lesson)
    assert other.lessons.chapter is CHAPTERS[2]
    other.recording.open_lesson("no-such-chapter")
    assert other.lessons.chapter is CHAPTERS[2] and "does not have" in other.session.event
