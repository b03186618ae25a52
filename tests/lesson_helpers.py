"""Helpers for the lessons' tests: walk a chapter through the lab's intents, as the app would run them."""

from __future__ import annotations

import inspect

from microgpt_tui.core.lab import Lab
from microgpt_tui.features.lessons.steps import Ask, Open, Press, Say
from microgpt_tui.features.registry import WIRINGS

FIRST_SIX = range(1, 7)  # chapters 1-6, the algorithm up to one step (7-11 walk in tests/test_lessons_later.py)
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
