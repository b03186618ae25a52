"""Provides `open_screen`: a share code's screen, reached by training to its step and pressing its keys.

Nothing of the code is set behind the app's back: a run trains to the code's step (its `Limit` stops it
exactly there), then the keys a learner would press select the viewed step, the layer, the head, the
ablations, the position and the temperature, and open the view, each pressed until the state is the
code's. So what shows is what the learner saw, and a session opened from a code records and replays
like any other (its keys are in the log).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import events

from microgpt_tui import language
from microgpt_tui.app import MicroGPTApp
from microgpt_tui.features.recording.codes import ScreenCode
from microgpt_tui.features.training.run import Limit
from microgpt_tui.replay import handled

POLL = 0.005
PATIENCE = 600.0  # seconds: training to a late step of a large model takes minutes


class NotReached(Exception):
    """The app did not come to the code's state."""


async def press(app: MicroGPTApp, key: str, char: str | None = None) -> None:
    """Press `key` at the app's door, as the learner would, and wait until the app has handled it."""
    app.post_message(events.Key(key, char))
    await handled(app)


async def until(condition: Callable[[], bool], what: str, patience: float = PATIENCE) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while not condition():
        if loop.time() > deadline:
            raise NotReached(what)
        await asyncio.sleep(POLL)


def idle(app: MicroGPTApp) -> bool:
    """No background work left (a training run, time travel's replay, a measurement)."""
    return app.lab.stepping.run is None and all(w.is_finished for w in app.workers if w.group != "opening")


async def press_until(app: MicroGPTApp, key: str, reached: Callable[[], bool], most: int, what: str) -> None:
    """Press `key` until `reached()` (at most `most` times), letting background work land between presses."""
    for _ in range(most):
        if reached():
            return
        await press(app, key)
        await until(lambda: idle(app), language._("the app to settle after {key}").format(key=key))
    if not reached():
        raise NotReached(what)


async def select(app: MicroGPTApp, layer: int, head: int | None) -> None:
    """Select `layer` (] until it is shown) and `head` (l until it is; None: leave it)."""
    selection = lambda: app.lab.session.selection  # noqa: E731
    await press_until(
        app,
        "right_square_bracket",
        lambda: selection().layer == layer,
        64,
        language._("layer {layer}").format(layer=layer),
    )
    if head is not None:
        await press_until(app, "l", lambda: selection().head == head, 64, language._("head {head}").format(head=head))


async def open_screen(app: MicroGPTApp, code: ScreenCode) -> None:
    """Bring the app to `code`'s screen; a toast says so, or what could not be reached."""
    lab = app.lab
    try:
        await until(lambda: app._drawable and idle(app), language._("the app to start"))
        if code.step > lab.trainer.step_count:
            limit = Limit(code.step, released=True)
            lab.stepping.limits = lambda: limit
            await press(app, "r")
            lab.stepping.limits = lambda: None
            await until(
                lambda: lab.trainer.step_count == code.step and idle(app),
                language._("training to step {step}").format(step=f"{code.step:,}"),
            )
        session = lab.session
        if code.viewed is not None:
            viewed = code.viewed

            def at() -> bool:
                return session.viewed_step == viewed and not lab.travel.moving

            far = lambda: (session.viewed_step or lab.time.now) - viewed >= 10  # noqa: E731
            await press_until(
                app,
                "less_than_sign",
                lambda: at() or not far(),
                10_000,
                language._("step {step}").format(step=f"{viewed:,}"),
            )
            await press_until(app, "comma", at, 10, language._("step {step}").format(step=f"{viewed:,}"))
        for layer, head in sorted(code.ablation, key=lambda pair: (pair[0], -1 if pair[1] is None else pair[1])):
            await select(app, layer, head)
            await press(app, "x" if head is None else "z")  # (the layer, or the head selected)
        await select(app, code.layer, code.head)
        if code.all_heads != session.selection.all_heads:
            await press(app, "a")
        await press_until(
            app, "right", lambda: session.selection.position == code.position, 64, language._("the position")
        )
        temperature = code.config.temperature
        key = "plus" if temperature > session.selection.temperature else "minus"
        near = lambda: abs(session.selection.temperature - temperature) < 1e-9  # noqa: E731
        await press_until(app, key, near, 1000, language._("the temperature"))
        if code.before != session.selection.before_update:
            await press(app, "d")
        if code.view:
            await press(app, code.view)
        if code.lesson is not None:  # (the lessons feature sets the hook; without it, say what the code asked)
            opener = lab.recording.open_lesson
            if opener is None:
                app.notify(
                    language._(
                        "this code names lesson chapter {chapter}, which this version has no lessons for"
                    ).format(chapter=code.lesson)
                )
            else:
                app.apply(opener(code.lesson))
        if set(lab.interventions.ablation) != set(code.ablation) or session.selection.before_update != code.before:
            raise NotReached(language._("its ablations"))
    except NotReached as e:
        app.notify(
            language._("the code's screen could not be reached: {what}").format(what=e), severity="error", timeout=15
        )
