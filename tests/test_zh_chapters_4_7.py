"""Chapters 4-7 (autograd, Adam, one step, training) in 中文, in the states a walk through them does not reach:
before any step, on the plain engine, after a step that overshot, each wording of a reveal. Every message the
four chapters mark is shown at least once, and nothing they show is an English sentence (tests/untranslated.py).
Their figures are the English text's (whose claims tests/test_lesson_questions.py checks against the engine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from rich.text import Text

from microgpt_engine import Config, Trainer
from microgpt_tui import language
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.chapters import adam, autograd, one_step, training
from microgpt_tui.features.lessons.live import Live
from microgpt_tui.features.lessons.steps import Open, Press, Question
from tests.untranslated import english_runs

CHAPTERS = (autograd, adam, one_step, training)
NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn", "anna"]


def marked(module: ModuleType) -> set[str]:
    """The msgids `module` marks, as pybabel extracts them (a plural: its singular)."""
    with open(module.__file__ or "", "rb") as f:
        found = extract("python", f, keywords=DEFAULT_KEYWORDS)
        return {message if isinstance(message, str) else message[0] for _, message, _, _ in found}


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """zh on; every msgid the four chapters translate from now on is added to the set."""
    used: set[str] = set()

    def recording(module: ModuleType) -> None:
        for name, translate in (("_", language._), ("ngettext", language.ngettext)):
            if hasattr(module, name):

                def kept(*args: object, _translate: Callable[..., str] = translate) -> str:
                    used.add(language.msgid_of(str(args[0])))
                    return _translate(*args)

                monkeypatch.setattr(module, name, kept)

    for module in CHAPTERS:
        recording(module)
    language.set_language("zh")
    try:
        yield used
    finally:
        language.set_language("en")


def live_run(folder: Path, steps: int = 0, engine: str = "fused", docs: list[str] = NAMES, **config: float) -> Live:
    settings: dict = {"n_embd": 8, "n_head": 2, "steps": max(30, steps), "seed": 1, **config}
    lab = Lab(Trainer(docs, Config(**settings), engine=engine), docs, "d", folder / "ckpt.json")
    lab.begin()
    for _ in range(steps):
        lab.step()
    return Live(lab.session, lab.rules)


def texts(live: Live) -> list[str]:
    """What the chapters say now: every step's text, every question (prompt, choices, reveal)."""
    keys = [s.text(live) for m in CHAPTERS for s in m.CHAPTER.steps if isinstance(s, (Open, Press))]
    said = keys + [
        f(live)
        for f in (
            autograd.intro,
            autograd.graph_size,
            autograd.nudged,
            adam.intro,
            adam.one_weight,
            adam.schedule,
            one_step.compare,
            training.curve,
            training.train,
            training.runs,
        )
    ]
    for make in (autograd.source_question, adam.ratio_question, training.below_question, training.held_question):
        said += asked(make(live), live)
    return said


def asked(question: Question, live: Live) -> list[str]:
    return [question.prompt, *question.choices, question.settle(live).text]


def stepped(live: Live) -> list[str]:
    """One step's two questions, asked before the step and revealed after it (and one_step's intro)."""
    said = [one_step.intro(live)]
    questions = [one_step.direction_question(live), one_step.gain_question(live)]
    live.rules.f.stepping.step()  # (space, through the training feature's intent)
    for question in questions:
        said += asked(question, live)
    return said


def test_chapters_4_to_7_say_every_message_in_chinese(tmp_path, shown, monkeypatch):
    said: list[str] = []
    fresh = live_run(tmp_path)  # no step yet: every "take a step first"
    said += texts(fresh) + asked(one_step.direction_question(fresh), fresh)  # (revealed with no step taken)
    said += asked(one_step.gain_question(fresh), fresh)
    said += texts(live_run(tmp_path, steps=1, engine="plain"))  # (no node count on the plain engine)
    for lr in (0.01, 3.0):  # (at 3.0 the step overshoots: the loss goes up, the target's p may fall)
        for seed in (1, 2, 3):
            live = live_run(tmp_path, lr=lr, seed=seed)
            live.session.set_position(1 + seed % 2)
            said += stepped(live) + texts(live)
    # past 100 steps chapter 7 quotes the last 100 (before, the steps taken), with names left unseen to hold out
    long = live_run(tmp_path, steps=101, docs=[f"{name}{n}" for n in "abcdefghijklmnop" for name in NAMES])
    said += texts(long)
    monkeypatch.setattr(training, "bigram", lambda live: 99.0)  # a line the run is below
    monkeypatch.setattr(adam, "healthy", lambda *band: False)  # the ratio outside the band
    said += texts(live_run(tmp_path, steps=2)) + texts(long)

    assert [run for text in said for run in english_runs(Text.from_markup(text).plain)] == []
    missing = set().union(*map(marked, CHAPTERS)) - shown
    assert missing == set()


def test_the_graph_size_on_the_plain_engine_is_one_sentence(tmp_path):
    text = autograd.graph_size(live_run(tmp_path, steps=1, engine="plain"))
    assert text.startswith("Step 1 on “") and "”: backward gave each of the 1,168 weights its gradient." in text


FIGURE = re.compile(r"[-+−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]\d+)?%?")  # (1,168 · -0.010000 · 1.0e-09 · 7.5%)


def figures(text: str) -> list[str]:
    return sorted(FIGURE.findall(text))


def test_chapters_4_to_7_quote_the_same_figures_in_both_languages(tmp_path):
    live = live_run(tmp_path, steps=2)
    live.session.set_position(2)
    questions = [one_step.direction_question(live), one_step.gain_question(live)]
    live.rules.f.stepping.step()
    said: dict[str, list[str]] = {}
    try:
        for code in ("en", "zh"):
            language.set_language(code)
            said[code] = texts(live) + [one_step.intro(live)] + [t for q in questions for t in asked(q, live)]
    finally:
        language.set_language("en")
    pairs = list(zip(said["en"], said["zh"], strict=True))
    assert sum(bool(figures(en)) for en, _ in pairs) >= 15  # (the Say texts and reveals that quote the run)
    assert [(en, figures(en)) for en, zh in pairs if figures(en) != figures(zh)] == []
