"""Every chapter of the lessons in 中文, walked without an app: no English sentence on any card (its title,
body, prompt and choices), in the menu's rows, in the notes the lessons say, nor on any step of the tour
(chapter 0). What counts as an English sentence: tests/untranslated.py (names of matrices, code, keys and
the data stay as they are)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from lab_helpers import begun_lab
from lesson_helpers import act, run_jobs, walk, walk_later
from rich.text import Text

import microgpt_data
import microgpt_tui
from microgpt_engine import Config, Trainer
from microgpt_tui import language
from microgpt_tui.core.lab import Lab
from microgpt_tui.core.views import Change, TourCard
from microgpt_tui.features.lessons.card import LessonCard, MenuCard
from microgpt_tui.features.lessons.chapters import CHAPTERS
from microgpt_tui.features.lessons.state import Lessons
from microgpt_tui.features.lessons.steps import Ask, Chapter, Press, Question, Reveal
from tests.untranslated import english_runs

LATER = range(7, len(CHAPTERS))  # walked on names with the ladder's jobs (lesson_helpers.walk_later)
SMALL = Config(n_embd=8, n_head=4, steps=12)  # (as tests/test_lessons_later.py walks them)


@pytest.fixture
def in_chinese() -> Iterator[None]:
    language.set_language("zh")
    yield
    language.set_language("en")


def plain(markup: str) -> str:
    return Text.from_markup(markup).plain


def card_words(card: LessonCard | MenuCard | TourCard | None) -> list[str]:
    """Every sentence a card shows: its title, body, prompt and choices (the menu: each row)."""
    if isinstance(card, MenuCard):
        return [text for row in card.rows for text in (row.title, row.summary)]
    if isinstance(card, LessonCard):
        return [card.title, plain(card.body), plain(card.prompt), *card.choices]
    if isinstance(card, TourCard):
        return [card.title, plain(card.body), plain(card.prompt)]
    return []


INTENTS = ("open_menu", "move", "choose", "next", "back", "answer", "event", "end", "open_key")


def recording(lab: Lab, seen: list[str]) -> None:
    """Keep every card the walk reads, and every note the lessons' intents say, in `seen` (another feature's
    notes, such as a training step's, are that feature's)."""
    lessons = lab.lessons
    card = lessons.card

    def read() -> LessonCard | MenuCard | None:
        shown = card()
        seen.extend(card_words(shown))
        return shown

    def noting(intent: Callable[..., Change]) -> Callable[..., Change]:
        def said(*args: object) -> Change:
            change = intent(*args)
            seen.append(change.note or "")
            return change

        return said

    lessons.card = read  # type: ignore[method-assign]
    for name in INTENTS:
        setattr(lessons, name, noting(getattr(lessons, name)))


def untranslated(seen: list[str]) -> dict[str, list[str]]:
    """The texts that show an English sentence, with the sentences."""
    return {text: runs for text in seen if (runs := english_runs(text))}


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{runs} in: {text}" for text, runs in found.items())


@pytest.fixture(scope="module")
def climbed() -> dict:
    """The ladder's rungs a chapter has climbed (7-11 all climb the same ones: the same run, data and seed); a
    chapter after it takes them instead of training them again (its cards quote the same figures)."""
    return {}


def names_lab(folder, climbed: dict) -> Lab:
    docs = microgpt_data.built_in("names")[0][:2000]
    lab = Lab(Trainer(docs, SMALL), docs, "names.txt", folder / "c.json")
    lab.begin()
    run_jobs(lab)
    lab.ladder.held = 60  # (the runs screen's 500 held-out names take seconds for the bigger rung alone)
    for _ in range(SMALL.steps):
        lab.stepping.step()
    lab.session.ladder.climbed.update(climbed)
    return lab


def tour(lab: Lab, seen: list[str]) -> None:
    """Chapter 0: choosing it starts the tour; each step read, its key pressed where it has one, then enter."""
    lab.lessons.choose(0)
    assert lab.lessons.take_opening() == "tour"
    touring = lab.touring
    seen.append(touring.start_tour().note or "")
    steps = 0
    while touring.tour is not None and touring.card is not None:
        seen.extend(card_words(touring.card))
        step = touring.tour.step
        assert step is not None
        if step.on and step.on[0] != "paused":
            act(lab, step.on[0])
            seen.append(touring.tour_event(step.on[0]).note or "")
        else:
            seen.append(touring.tour_next().note or "")
        steps += 1
    assert steps >= 10 and touring.tour is None  # (every step read, to the end)


@pytest.mark.parametrize("number", range(len(CHAPTERS)), ids=lambda n: f"ch{n:02d}")  # (-k "ch01 or ch02")
def test_every_chapter_in_chinese_shows_no_english_sentence(number, small_docs, tmp_path, in_chinese, climbed):
    seen: list[str] = []
    if number in LATER:
        lab = names_lab(tmp_path, climbed)
        recording(lab, seen)
        walk_later(lab, CHAPTERS[number])
        climbed.update(lab.session.ladder.climbed)
    else:
        lab = begun_lab(small_docs, tmp_path)
        recording(lab, seen)
        if number == 0:
            tour(lab, seen)
        else:
            walk(lab, number)
    assert lab.lessons.complete(CHAPTERS[number])
    lab.lessons.next()  # the last card, then the menu
    lab.lessons.choose(number)  # (a finished chapter from the menu starts again)
    lab.lessons.end()
    assert seen
    assert (found := untranslated(seen)) == {}, report(found)


def test_the_menu_and_the_lessons_notes_in_chinese_show_no_english_sentence(small_docs, tmp_path, in_chinese):
    seen: list[str] = []
    lab = begun_lab(small_docs, tmp_path)
    recording(lab, seen)
    lessons = lab.lessons
    lessons.open_menu()
    menu = lessons.card()
    assert isinstance(menu, MenuCard) and len(menu.rows) == len(CHAPTERS)
    lessons.choose(1)
    lessons.next()
    lessons.next()
    lessons.next()  # the question: enter before an answer says to pick one
    lessons.card()
    lessons.answer(1)
    lessons.card()
    lessons.next()
    lessons.next()  # a step waiting for its key: enter says so
    chapter = lessons.chapter
    assert chapter is not None
    lessons.index = len(chapter.steps)  # past the last step, a question unanswered
    lessons.card()
    lessons.end()
    lessons.open_key("no-such-chapter")
    assert len(seen) > 10
    assert (found := untranslated(seen)) == {}, report(found)


def test_the_prompts_no_chapter_reaches_today_in_chinese_show_no_english_sentence(
    small_docs, tmp_path, in_chinese, monkeypatch
):
    """A question that waits for a key between the guess and the reveal, one the run leaves unanswered, a key
    that does nothing now for no reason the rules give, a chapter done that names no lines."""
    waiting = Chapter(
        "waiting",
        "The loss",
        "the mean of −ln p, and why it starts near ln 27",
        (
            Ask(lambda live: Question("1+1?", ("2", "3"), lambda live: Reveal(0, "2"), ("step",), "space")),
            Ask(lambda live: Question("0/0?", ("0", "1"), lambda live: Reveal(-1, "?"))),
            Press("x", ("nothing",), lambda live: "x"),
        ),
    )
    seen: list[str] = []
    lab = begun_lab(small_docs, tmp_path)
    lab.lessons = Lessons(lab.session, lab.rules, chapters=(CHAPTERS[0], waiting))
    applies = lab.rules.applies
    monkeypatch.setattr(lab.rules, "applies", lambda action: False if action == "nothing" else applies(action))
    recording(lab, seen)
    lessons = lab.lessons
    lessons.choose(1)
    lessons.card()
    lessons.answer(1)  # (its key can happen: the reveal waits for it)
    lessons.card()
    lessons.next()
    act(lab, "step")
    assert lessons.reveal is not None and lessons.reveal.answer == 0
    lessons.card()
    lessons.next()
    lessons.answer(1)
    assert lessons.reveal is not None and lessons.reveal.answer == -1
    lessons.card()
    lessons.next()
    assert "enter" in lessons.card().prompt  # (the key does nothing now: enter goes on)
    lessons.next()
    lessons.card()
    assert lessons.complete(waiting) and len(seen) > 12
    assert (found := untranslated(seen)) == {}, report(found)


def test_every_chapters_title_and_summary_is_marked_for_the_catalog():
    """The menu translates each chapter's title and summary where it draws them: each must be a msgid."""
    package = Path(microgpt_tui.__file__).parent
    marked = {message for _, _, message, _, _ in extract_from_dir(str(package / "features" / "lessons"))}
    words = {text for chapter in CHAPTERS for text in (chapter.title, chapter.summary)}
    assert len(words) == 2 * len(CHAPTERS) and words - marked == set()


def figures(text: str) -> list[str]:
    """The numbers a text quotes, in order of size of their string (a translation may reorder them)."""
    return sorted(re.findall(r"[−+-]?\d+(?:,\d{3})*(?:\.\d+)?%?", text))


@pytest.mark.parametrize("number", range(4), ids=lambda n: f"ch{n:02d}")
def test_a_chapter_quotes_the_same_figures_in_both_languages(number, small_docs, tmp_path):
    """Each card of chapters 0-3 (bodies, choices) in zh quotes exactly the figures of its English card: the
    numbers are the engine's, filled into both languages' sentences the same way."""
    cards: dict[str, list[list[str]]] = {}
    try:
        for code in ("en", "zh"):
            language.set_language(code)
            seen: list[str] = []
            lab = begun_lab(small_docs, tmp_path / code)
            recording(lab, seen)
            if number == 0:
                tour(lab, seen)
            else:
                walk(lab, number)
            cards[code] = [figures(text) for text in seen if text]
    finally:
        language.set_language("en")
    assert len(cards["en"]) == len(cards["zh"]) > 5
    assert cards["en"] == cards["zh"]
