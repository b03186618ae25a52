"""Provides `Wiring`: what the app needs to know of a feature to run it, and `wire`, which gives it to the app.

Each feature folder holds one `Wiring` (its `wiring.py`): the intents its keys
and its screens' messages call, how the app opens what its intents ask for,
and what its screens are handed after every change. features/registry.py
lists them, and `wire` turns each into the App's `action_*` methods and
message handlers (Textual looks both up by name on the class). The app holds
no feature's code of its own: a key calls an intent on the feature's state,
the app applies the `Change` it returns, opens what it asks (`open_asked`),
and hands the screen on top what it shows now (`follow`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from inspect import Parameter, Signature, isawaitable, signature
from typing import Any

from textual.message import Message
from textual.screen import Screen

from microgpt_tui.core.views import Change
from microgpt_tui.shell import Shell

Intent = Callable[..., Change | Awaitable[Change]]  # (the feature's state, *the binding's arguments or the message)
Opener = Callable[[Shell, Any, Any], None]  # (the app, the feature's state, the ask): push the screen that answers it
Follower = Callable[[Any, Any], None]  # (the feature's state, its screen): hand the screen what it shows now
AppAction = Callable[..., Awaitable[None] | None]  # (the app, the feature's state, *args): it needs the app itself


@dataclass(frozen=True)
class Wiring:
    """One feature as the app runs it."""

    feature: str  # the lab's attribute holding the feature's state ("selecting", "forward", …)
    actions: Mapping[str, Intent] = field(default_factory=dict)  # action name (a binding's) -> its intent
    handlers: Mapping[type[Message], Intent] = field(default_factory=dict)  # a message its widgets post -> intent
    openers: Mapping[type, Opener] = field(default_factory=dict)  # what its intents ask -> the screen that answers
    followers: Mapping[type[Screen[Any]], Follower] = field(default_factory=dict)  # its screens -> their views
    app_actions: Mapping[str, AppAction] = field(default_factory=dict)  # actions that need the app (its screens)


def taking(method: Callable[..., Any], arguments: int) -> None:
    """Say that `method` takes the app and `arguments` more: Textual hands an action (or a handler) only as many
    of its parameters as the method's signature names, so `*args` alone would receive one."""
    names = ["app", *(f"argument{i}" for i in range(arguments))]
    method.__signature__ = Signature([Parameter(name, Parameter.POSITIONAL_ONLY) for name in names])  # type: ignore[attr-defined]


def intent_action(feature: str, intent: Intent) -> Callable[..., Awaitable[None]]:
    """An App method calling `intent(state, *args)` on the lab's `feature` and applying its `Change`."""

    async def action(app: Shell, *args: Any) -> None:
        change = intent(getattr(app.lab, feature), *args)
        if isawaitable(change):
            change = await change
        app.apply(change)

    taking(action, len(signature(intent).parameters) - 1)  # (all but the feature's state)
    return action


def app_method(feature: str, app_action: AppAction) -> Callable[..., Awaitable[None] | None]:
    """An App method calling `app_action(app, state, *args)` with the lab's `feature`."""

    def action(app: Shell, *args: Any) -> Awaitable[None] | None:
        return app_action(app, getattr(app.lab, feature), *args)

    taking(action, len(signature(app_action).parameters) - 2)  # (all but the app and the feature's state)
    return action


def wire(app_class: type, wirings: Iterable[Wiring]) -> None:
    """Give `app_class` an `action_<name>` per feature action and an `on_…` handler per feature message."""
    for wiring in wirings:
        for name, intent in wiring.actions.items():
            setattr(app_class, f"action_{name}", intent_action(wiring.feature, intent))
        for message, intent in wiring.handlers.items():
            setattr(app_class, message.handler_name, intent_action(wiring.feature, intent))
        for name, app_action in wiring.app_actions.items():
            setattr(app_class, f"action_{name}", app_method(wiring.feature, app_action))


def open_asked(app: Shell, wirings: Iterable[Wiring], ask: object) -> None:
    """Open what `ask` asks for (nothing, for a kind no screen answers)."""
    for wiring in wirings:
        opener = wiring.openers.get(type(ask))
        if opener is not None:
            opener(app, getattr(app.lab, wiring.feature), ask)
            return


def follow(app: Shell, wirings: Iterable[Wiring], screen: Screen[Any]) -> None:
    """Hand `screen` what it shows now (nothing, for a screen that shows nothing of the lab)."""
    for wiring in wirings:
        follower = wiring.followers.get(type(screen))
        if follower is not None:
            follower(getattr(app.lab, wiring.feature), screen)
            return
