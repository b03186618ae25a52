"""Chapters 8-11 and the ladder in 中文 where the lessons' walk does not go: the answers that wait for runs still
training, a run without attention, one before its first step, one of two layers, and the ladder's notes on the
status line as its rungs are asked for, land, and one becomes the live run."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

import microgpt_data
from microgpt_engine import Config, Trainer
from microgpt_tui import language
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.chapters import attention, ladder, production, temperature
from microgpt_tui.features.lessons.live import Live
from tests.untranslated import english_runs

SMALL = Config(n_embd=8, n_head=4, steps=4)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh():
    language.set_language("zh")
    yield
    language.set_language("en")


def lab_on(tmp_path, config: Config, steps: int) -> Lab:
    docs = microgpt_data.built_in("names")[0][:300]
    lab = Lab(Trainer(docs, config), docs, "names.txt", tmp_path / f"c{config.attention}{config.n_layer}{steps}.json")
    lab.begin()
    for _ in range(steps):
        lab.stepping.step()
    lab.ladder.held = 20  # (a rung's held-out loss on fewer names: the words are what is checked)
    return lab


def chinese(texts: list[str]) -> list[str]:
    """The texts that are not Chinese sentences: English runs left, or no Chinese at all."""
    return [text for text in texts if english_runs(text) or not CHINESE.search(text)]


def test_the_answers_that_wait_for_the_ladder_and_a_run_without_attention_are_chinese(tmp_path, zh):
    lab = lab_on(tmp_path, SMALL, 2)
    live = Live(lab.session, lab.rules)
    waiting = [
        attention.names(live),
        attention.adopt(live),
        attention.copy_question(live).settle(live).text,
        attention.head_question(live).settle(live).text,
        ladder.table(live),
        ladder.steps(live),
        ladder.best_question("names")(live).settle(live).text,
        *attention.copy_question(live).choices,
    ]
    assert "仍在训练" in waiting[0] and "4 次在训练" in waiting[2]  # (the four runs, none landed)
    flat = lab_on(tmp_path, replace(SMALL, attention=False), 0)
    alone = Live(flat.session, flat.rules)
    without = [
        attention.heads(alone),
        attention.ablate_question(alone).settle(alone).text,
        *attention.ablate_question(alone).choices,
        production.here(alone),
        temperature.plus(alone),
    ]
    assert "还没有训练步" in without[3]
    deep = lab_on(tmp_path, replace(SMALL, n_layer=2), 1)
    two = Live(deep.session, deep.rules)
    layered = [attention.heads(two), attention.ablate_question(two).settle(two).text]
    assert "第 1 层的头" in layered[1]  # (a head named by its layer too)
    assert chinese(waiting + without + layered) == []


def test_the_ladder_s_notes_are_chinese_as_its_rungs_land(tmp_path, zh):
    lab = lab_on(tmp_path, SMALL, 2)
    notes = [lab.ladder.adopt("copy", "microgpt").note, lab.ladder.climb_set("attention").note]
    notes.append(lab.ladder.climb_set("attention").note)  # (asked again while on their way)
    for job in lab.session.take_jobs():  # (as the app's worker runs it: a note as each rung lands)
        job.land(job.run(lambda: False, lambda job=job: notes.append(job.progress().note)))
    notes += [lab.ladder.climb_set("attention").note, lab.ladder.adopt("copy", "microgpt").note]
    assert "还剩 3 个" in notes[3] and "已经训练过了" in notes[-2] and "当前运行现在是" in notes[-1]
    assert chinese([note for note in notes if note]) == []
