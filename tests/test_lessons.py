"""The lessons without an app: the menu, a chapter walked through the intents on a small real run, progress
kept between sessions, and each question's answer computed from the model (two runs, two answers)."""

import pytest
from lab_helpers import begun_lab
from lesson_helpers import FIRST_SIX, walk

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
    assert lab.lessons.take_home() and lab.lessons.take_opening() == "tour" and not lab.lessons.on
    from microgpt_tui.commands import palette_commands

    assert "lessons (L)" in [c.title for c in palette_commands(lambda action: True, lambda action: None, None)]


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


def test_every_chapter_walked_through_the_intents_is_complete(small_docs, tmp_path):
    lab = begun_lab(small_docs, tmp_path)
    for number in FIRST_SIX:
        bodies = walk(lab, number)
        assert lab.lessons.complete(CHAPTERS[number]), CHAPTERS[number].title
        assert all("No step" not in body and "nothing to reveal" not in body for body in bodies), bodies


def test_a_finished_chapter_lights_its_lines_in_the_code_view(small_docs, tmp_path):
    from microgpt_tui.core.textbook import span

    lab = begun_lab(small_docs, tmp_path)

    def taught():
        return {line.number for s in lab.reference.code_view(None).listings for line in s.lines if line.taught}

    assert taught() == set()
    walk(lab, 1)
    first, last = span(*tokens.CHAPTER.lines)
    assert taught() == set(range(first, last + 1))
    card = lab.lessons.card()
    assert card.lines == (first, last) and f"lines {first}–{last}" in card.body


def test_i_points_each_panel_to_the_chapter_that_teaches_it(small_docs, tmp_path):
    from microgpt_tui import texts

    lab = begun_lab(small_docs, tmp_path)
    bodies = {pid: body for pid, _, body in lab.reference.explanations()}
    steps = {
        "status": "documents",  # what each chapter does on it: quotes its vocabulary, opens the forward view, ...
        "tokens": "probabilities",
        "attention": "attention",
        "samples": "temperature",
        "loss": "loss",
        "params": "update:data",
    }
    for panel, number in texts.PANEL_LESSONS.items():
        assert bodies[panel].endswith(f"esc, then [b]L[/b], chapter {number}.")
        chapter = CHAPTERS[number]
        assert (
            steps[panel]
            in (
                chapter.title
                + chapter.summary
                + " ".join(step.text(lab.lessons.live) for step in chapter.steps if hasattr(step, "text"))
            ).lower()
        )


def test_data_holding_markup_or_control_characters_is_shown_as_written_in_every_chapter(tmp_path):
    from rich.text import Text

    docs = ["[a]b", "x[/]y", "c\x1bd", "[@click=app.quit]q", "emma", "[b]bold[/b]"]
    lab = begun_lab(docs, tmp_path)
    for number in FIRST_SIX:
        for body in walk(lab, number):
            Text.from_markup(body)  # (a MarkupError here: data read as markup)
    from microgpt_tui.core.labels import visible_text
    from microgpt_tui.features.lessons.chapters.tokens import data

    for _ in docs:  # every document, as chapter 1 quotes the next one
        doc = lab.trainer.document()
        assert f"The next is “{visible_text(doc)}”." in Text.from_markup(data(lab.lessons.live)).plain
        lab.step()


@pytest.mark.parametrize("shape", [{"n_layer": 0}, {"attention": False}, {"engine": "plain"}])
def test_every_chapter_walks_on_the_ladders_other_models(small_docs, tmp_path, shape):
    from microgpt_tui.features.lessons.chapters import forward_pass

    engine = shape.pop("engine", "fused")
    trainer = Trainer(small_docs, Config(n_embd=8, n_head=2, steps=30, **shape), engine=engine)
    lab = Lab(trainer, small_docs, "small", tmp_path / "ckpt.json")
    lab.begin()
    for number in FIRST_SIX:
        bodies = walk(lab, number)
        assert lab.lessons.complete(CHAPTERS[number])
        assert all("No step" not in body and "nothing to reveal" not in body for body in bodies), bodies
    intro = forward_pass.intro(lab.lessons.live)
    assert ("no Transformer block" in intro) == (shape.get("n_layer") == 0)
    assert ("attention is off" in intro) == (shape.get("attention") is False)


def test_a_chapter_resumed_past_its_open_step_opens_that_view_again(small_docs, tmp_path):
    lab = begun_lab(small_docs, tmp_path)
    lessons = lab.lessons
    lessons.choose(2)
    lessons.take_home()
    lessons.next()  # onto the Open step: the forward view
    assert lessons.take_opening() == "forward"
    lessons.next()
    lessons.end()
    lessons.choose(1)  # another chapter meanwhile (its views closed: home)
    lessons.take_home()
    lessons.choose(2)
    assert lessons.index == 2 and lessons.take_home() and lessons.take_opening() == "forward"
