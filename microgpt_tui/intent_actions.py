"""Provides `intent_action`: an App action (or message handler) that only hands one lab intent's `Change` on.

Most keys do nothing of their own: they call one intent of the lab and show
what it changed. `action_step = intent_action(lambda lab: lab.step())` says
that in one line of the App's body, so each binding still has its `action_*`
there (Textual looks it up by name) and the App holds no logic for it. The
intent may be async (it waits for the trainer to stand still); the action
then waits for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from inspect import isawaitable
from typing import Any

from microgpt_tui.core.views import Change
from microgpt_tui.shell import Shell

Intent = Callable[..., Change | Awaitable[Change]]


def intent_action(intent: Intent) -> Callable[..., Awaitable[None]]:
    """An action method calling `intent(lab, *args)` (the binding's parameters, or the handler's message)
    and applying its `Change`."""

    async def action(app: Shell, *args: Any) -> None:
        change = intent(app.lab, *args)
        if isawaitable(change):
            change = await change
        app.apply(change)

    return action
