"""Helpers for the lessons' tests: walk a chapter through the lab's intents, as the app would run them."""

from __future__ import annotations

import inspect

from textual.actions import parse

from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.chapters import CHAPTERS
from microgpt_tui.features.lessons.steps import Ask, Chapter, Open, Press, Say
from microgpt_tui.features.registry import WIRINGS

FIRST_SIX = range(1, 7)  # chapters 1-6, the algorithm up to one step (7-11: walk_later)
ARGS = {
    "move": (1,),
    "forward_stage": (1,),
    "view_step": (-1,),
    "head": (1,),
    "temperature": (0.1,),
}  # the keys' own arguments


def act(lab: Lab, action: str) -> None:
    """Run the app action `action` through its feature's intent (what the key does), then tell the lesson."""
    for wiring in WIRINGS:
        intent = wiring.actions.get(action)
        if intent is not None:
            change = intent(getattr(lab, wiring.feature), *ARGS.get(action, ()))
            assert not inspect.isawaitable(change), f"{action} needs the app"
            lab.lessons.event(action)
            return
    raise AssertionError(f"no intent for the action {action!r}")


def walk(lab: Lab, number: int, choice: int = 1) -> list[str]:
    """Walk chapter `number` to its end: every step as a learner takes it (answers `choice`); the cards' bodies."""
    lessons = lab.lessons
    lessons.choose(number)
    assert lessons.take_home() and lessons.take_opening() is None  # (a chapter starts on the main screen)
    chapter = lessons.chapter
    assert chapter is not None
    bodies = []
    while lessons.chapter is chapter and lessons.index < len(chapter.steps):
        step = chapter.steps[lessons.index]
        at = lessons.index
        card = lessons.card()
        bodies.append(card.body)
        if isinstance(step, Open):
            assert lessons.take_opening() == step.action
            act(lab, step.action)
            lessons.next()
        elif isinstance(step, Press):
            act(lab, step.on[0])
        elif isinstance(step, Ask):
            question = lessons.question
            lessons.answer(min(choice, len(question.choices)))
            if question.wait:
                act(lab, question.wait[0])
            assert lessons.reveal is not None
            bodies.append(lessons.card().body)
            lessons.next()
        else:
            assert isinstance(step, Say)
            lessons.next()
        assert lessons.index == at + 1, f"chapter {number} stuck at step {at + 1}"
    return bodies


LATER_ARGS = {"move": (1,), "head": (1,), "temperature": (0.1,)}


def run_jobs(lab: Lab) -> None:
    """The background jobs an intent started, run here to the end and landed (as the app's workers do)."""
    while jobs := lab.session.take_jobs():
        for job in jobs:  # (training first lands its run: the ladder waits while the live run trains)
            job.land(job.run(lambda: False, job.progress))


def act_later(lab: Lab, action: str) -> None:
    """`act` for chapters 7-11: an action with its parameters, the jobs it starts run to the end, and the
    actions of screens the app opens (b) reported as the app reports them."""
    _, name, params = parse(action)
    for wiring in WIRINGS:
        intent = wiring.actions.get(name)
        if intent is not None:
            change = intent(getattr(lab, wiring.feature), *(params or LATER_ARGS.get(name, ())))
            if inspect.isawaitable(change):
                change.close()  # (the runs screen: opening it is the app's; the chapter only needs it asked)
            run_jobs(lab)
            lab.lessons.event(name)
            return
        if name in wiring.app_actions:  # (a screen the app opens: b, the about screen)
            lab.lessons.event(name)
            return
    raise AssertionError(f"no intent for {action!r}")


def walk_later(lab: Lab, chapter: Chapter) -> list[str]:
    """Walk one of chapters 7-11 to its end (answering 1; a key that does nothing now: enter); the bodies."""
    lessons = lab.lessons
    lessons.choose(CHAPTERS.index(chapter))
    assert lessons.take_home() and lessons.take_opening() is None  # (a chapter starts on the main screen)
    bodies = []
    while lessons.chapter is chapter and lessons.index < len(chapter.steps):
        step, at = chapter.steps[lessons.index], lessons.index
        bodies.append(lessons.card().body)
        if isinstance(step, Open):
            opening = lessons.take_opening()
            assert opening == step.action
            act_later(lab, opening)
            bodies.append(lessons.card().body)
            lessons.next()
        elif isinstance(step, Press):
            act_later(lab, step.on[0])
            if lessons.index == at:  # (the key does nothing now: enter goes on)
                lessons.next()
        elif isinstance(step, Ask):
            lessons.answer(1)
            bodies.append(lessons.card().body)
            lessons.next()
        else:
            assert isinstance(step, Say)
            lessons.next()
        assert lessons.index == at + 1, f"{chapter.key} stuck at step {at + 1}"
    return bodies
