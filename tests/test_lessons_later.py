"""Chapters 7-11 without an app: walked through the lab's intents on small real runs (the ladder's background
jobs run here as the app runs them), and each question's answer computed from the model: another seed or
another dataset, another answer, equal to what the engine computes."""

from __future__ import annotations

import math

import pytest
from lesson_helpers import run_jobs, walk_later

import microgpt_data
from microgpt_engine import Config, Sampler, Trainer
from microgpt_engine.insight.heads import ablation_losses
from microgpt_engine.insight.held_out import held_out_names
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.chapters import attention, ladder, production, temperature, training
from microgpt_tui.features.lessons.live import Live

LATER = (training.CHAPTER, attention.CHAPTER, ladder.CHAPTER, temperature.CHAPTER, production.CHAPTER)
SMALL = Config(n_embd=8, n_head=4, steps=12)


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> tuple[Lab, dict[str, list[str]]]:
    docs = microgpt_data.built_in("names")[0][:2000]
    lab = Lab(Trainer(docs, SMALL), docs, "names.txt", tmp_path_factory.mktemp("walk") / "c.json")
    lab.begin()
    run_jobs(lab)
    lab.ladder.held = 60  # (the runs screen's 500 held-out names take 5 s for the bigger rung alone)
    for _ in range(SMALL.steps):
        lab.stepping.step()
    return lab, {chapter.key: walk_later(lab, chapter) for chapter in LATER}


def test_chapters_7_to_11_walked_through_the_intents_are_complete(walked):
    lab, bodies = walked
    assert all(lab.lessons.complete(chapter) for chapter in LATER)
    book = lab.session.ladder
    assert set(book.climbed) == {(d, r.name) for d in ("names", "copy") for r in lab.ladder.rungs()}
    assert not book.pending
    # every climbed rung with weights joins the runs list, and the copy-task microgpt became the live run
    names = {run.name for run in lab.session.book.runs}
    assert {"microgpt (copy)", "no attention (names)", "bigger (names)"} <= names
    assert lab.session.dataset_name == "copy" and lab.session.attends
    copy = book.climbed["copy", "microgpt"]
    held = f"{copy.held_out:.3f}"
    assert any(held in body for body in bodies["attention"])  # quoted live, as the engine measured it
    assert any(f"{book.climbed['names', 'bigger'].held_out:.3f}" in body for body in bodies["ladder"])


def test_the_copying_head_is_the_one_the_chapter_selects(walked):
    lab, bodies = walked
    scores = attention.copying(lab.session.ladder.climbed["copy", "microgpt"], lab.session.ladder.docs("copy"))
    best = max(scores, key=scores.__getitem__)
    assert lab.session.selection.head == best[1]
    assert any(f"Head {best[1]} does the copying" in body for body in bodies["attention"])


def lives(tmp_path, *setups: tuple[list[str], Config]) -> list[Live]:
    out = []
    for i, (docs, config) in enumerate(setups):
        lab = Lab(Trainer(docs, config), docs, "d", tmp_path / f"c{i}.json")
        lab.begin()
        for _ in range(config.steps):
            lab.stepping.step()
        out.append(Live(lab.session, lab.rules))
    return out


def test_which_head_s_ablation_hurts_most_follows_the_model(tmp_path, monkeypatch):
    docs = microgpt_data.built_in("copy")[0]
    measured = []  # what the engine computed for the question, and on what (the engine's own function, watched)

    def watched(*args):
        measured.append((args, got := ablation_losses(*args)))
        return got

    monkeypatch.setattr(attention, "ablation_losses", watched)
    answers = []
    for live in lives(
        tmp_path,
        (docs, Config(n_embd=8, n_head=4, steps=30, lr=0.03, seed=1)),
        (docs, Config(n_embd=8, n_head=4, steps=30, lr=0.03, seed=2)),
    ):
        question = attention.ablate_question(live)
        measured.clear()
        reveal = question.settle(live)
        # (the engine's ablation of the live model on the held-out names: computed once, by the question)
        [((model, tokenizer, names), got)] = measured
        assert model is live.model and tokenizer is live.tokenizer
        assert names == held_out_names(live.session.docs)[: attention.HELD]
        assert reveal.answer == [(0, h) for h in range(4)].index(got.worst)
        answers.append(reveal.answer)
    assert answers[0] != answers[1]


def test_the_first_character_question_follows_the_model(tmp_path):
    names = microgpt_data.built_in("names")[0]
    quick = Config(n_embd=8, n_head=4, steps=12, lr=0.05)
    answers = []
    for live in lives(tmp_path, (names[:300], quick), ([n for n in names if n.startswith("m")], quick)):
        question = temperature.top_question(live)
        reveal = question.settle(live)
        probs = Sampler(live.model, live.tokenizer, None, 1.0).probabilities()
        best = max((i for i in range(len(probs)) if live.tokenizer.label(i) in question.choices), key=probs.__getitem__)
        assert question.choices[reveal.answer] == live.tokenizer.label(best)
        answers.append(question.choices[reveal.answer])
    assert answers[0] != answers[1]


def test_the_bigram_and_held_out_questions_follow_the_run(tmp_path):
    names, copy = microgpt_data.built_in("names")[0][:300], microgpt_data.built_in("copy")[0]
    short, long = Config(n_embd=8, n_head=4, steps=3), Config(n_embd=8, n_head=4, steps=100, lr=0.03)
    live_short, live_long = lives(tmp_path, (names, short), (copy, long))
    answers = []
    for live in (live_short, live_long):
        reveal = training.below_question(live).settle(live)
        now = math.fsum(live.session.history.losses[-100:]) / len(live.session.history.losses[-100:])
        assert reveal.answer == (0 if now < training.bigram(live) else 1)
        answers.append(reveal.answer)
    assert answers == [1, 0]


def test_the_parameter_ratio_follows_the_model(tmp_path):
    names = microgpt_data.built_in("names")[0][:300]
    answers = []
    for live in lives(tmp_path, (names, Config(steps=1)), (names, Config(n_embd=32, n_layer=2, steps=1))):
        question = production.ratio_question(live)
        reveal = question.settle(live)
        k = round(math.log10(production.LLAMA_PARAMS / live.model.num_params))
        assert question.choices[reveal.answer] == f"about 10^{k} times"
        answers.append(k)
    assert answers[0] != answers[1]


def test_the_ladder_question_is_answered_by_the_landed_rungs(walked):
    lab, _ = walked
    live = Live(lab.session, lab.rules)
    for dataset in ("names", "copy"):
        question = ladder.best_question(dataset)(live)
        reveal = question.settle(live)
        figures = {name: lab.session.ladder.climbed[dataset, name].held_out for name in question.choices}
        assert question.choices[reveal.answer] == min(figures, key=figures.__getitem__)


def test_the_ladder_names_the_largest_drop_it_measured(walked):
    lab, bodies = walked
    live = Live(lab.session, lab.rules)
    held = {name: lab.session.ladder.climbed["names", name].held_out for name in ladder.rung_names()}
    names = ladder.rung_names()
    drops = {(a, b): held[b] - held[a] for a, b in zip(names, names[1:])}
    a, b = min(drops, key=drops.__getitem__)
    text = ladder.steps(live)
    assert f"The largest drop is {a} → {b}." in text
    assert all(f"{x} → {y} {change:+.3f}" in text for (x, y), change in drops.items())
