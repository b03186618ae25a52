"""The lessons without an app: the menu, a chapter walked through the intents on a small real run, progress
kept between sessions, and each question's answer computed from the model (two runs, two answers)."""

from lab_helpers import begun_lab
from lesson_helpers import walk

from microgpt_engine import Config, Trainer
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.card import LessonCard, MenuCard
from microgpt_tui.features.lessons.chapters import CHAPTERS, tokens
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.state import Lessons


def test_the_menu_lists_every_chapter_and_chapter_0_is_the_tour(small_docs, tmp_path):
    lab = begun_lab(small_docs, tmp_path)
    lab.lessons.open_menu()
    card = lab.lessons.card()
    assert isinstance(card, MenuCard)
    assert [row.title for row in card.rows] == [c.title for c in CHAPTERS]
    assert card.cursor == 1  # chapter 1 first: the tour is there for whoever wants it
    lab.lessons.choose(0)
    assert lab.lessons.take_opening() == "tour" and not lab.lessons.on


def test_chapter_1_walked_through_the_intents_is_complete(small_docs, tmp_path):
    lab = begun_lab(small_docs, tmp_path)
    doc = lab.trainer.document()
    bodies = walk(lab, 1)
    assert lab.lessons.complete(tokens.CHAPTER)
    ids = lab.trainer.tokenizer.document(doc)
    assert any(str(ids) in body for body in bodies)  # the reveal quotes the engine's ids of the next name
    assert lab.selection.position == 1  # the → it asked for really moved the selection


def test_progress_is_kept_between_sessions_and_a_chapter_resumes_where_it_was_left(small_docs, tmp_path):
    state = tmp_path / "state.json"
    lab = begun_lab(small_docs, tmp_path)
    lab.lessons = Lessons(lab.session, lab.rules, remember=True, state_path=state)
    lab.lessons.choose(1)
    lab.lessons.next()
    lab.lessons.next()
    lab.lessons.end()
    again = Lessons(lab.session, lab.rules, remember=True, state_path=state)
    again.open_menu()
    menu = again.card()
    assert isinstance(menu, MenuCard) and menu.rows[1].status == "started"
    again.choose(1)
    card = again.card()
    assert isinstance(card, LessonCard) and card.at == 3 and card.choices  # the question it was left at
    again.answer(1)
    again.next()
    assert Lessons(lab.session, lab.rules, remember=True, state_path=state).progress.answered["tokens"] == {2}


def two_runs(seed_docs: list[list[str]], folder) -> list[Live]:
    labs = []
    for docs in seed_docs:
        lab = Lab(Trainer(docs, Config(n_embd=8, n_head=2, steps=10)), docs, "d", folder / "ckpt.json")
        lab.begin()
        labs.append(lab)
    return [Live(lab.session, lab.rules) for lab in labs]


def test_chapter_1s_questions_are_answered_by_the_run_not_written_down(tmp_path):
    runs = two_runs([["ab", "abc"], ["zebra", "quokka", "ibis", "xyz"]], tmp_path)
    answers = []
    for live in runs:
        doc = live.next_doc()
        question = tokens.count_question(live)
        reveal = question.settle(live)
        assert question.choices[reveal.answer] == str(len(live.tokenizer.document(doc)))
        bos = tokens.bos_question(live)
        bos_reveal = bos.settle(live)
        assert bos.choices[bos_reveal.answer] == str(live.tokenizer.bos)
        answers.append((question.choices[reveal.answer], bos.choices[bos_reveal.answer]))
    assert answers[0] != answers[1] and answers[0][1] != answers[1][1]
