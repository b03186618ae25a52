"""Every key reaches an intent: each binding's action exists where it is looked up and takes the arguments the
binding gives it; each feature's wiring names what its folder holds."""

import importlib
import inspect
import pkgutil

from app_helpers import make_app
from textual.actions import parse
from textual.app import App
from textual.dom import DOMNode

import microgpt_tui
from microgpt_tui.bindings import BINDINGS
from microgpt_tui.features.registry import WIRINGS


def bound_classes() -> list[type[DOMNode]]:
    """Every screen and widget of the app that declares keys of its own."""
    classes = []
    for module in pkgutil.walk_packages(microgpt_tui.__path__, "microgpt_tui."):
        mod = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ == mod.__name__ and issubclass(cls, DOMNode) and cls.__dict__.get("BINDINGS"):
                classes.append(cls)
    return classes


async def test_every_binding_names_an_action_that_takes_its_arguments():
    """A binding whose action is missing, or takes fewer arguments than the binding passes, would do nothing (or
    fail) only when pressed: `matrix_move(0, 1)` once reached an action that Textual gave one argument."""
    app = make_app()
    async with app.run_test(size=(120, 40)):
        checked = 0
        for owner, bindings in [(type(app), BINDINGS), *((cls, cls.__dict__["BINDINGS"]) for cls in bound_classes())]:
            for binding in bindings:
                if isinstance(binding, tuple):
                    continue
                namespace, name, params = parse(binding.action)
                target = app if namespace == "app" or issubclass(owner, App) else owner
                method = getattr(target, f"action_{name}", None)
                assert method is not None, f"{owner.__name__}: {binding.key} -> {binding.action}: no action_{name}"
                # (Textual hands an action as many arguments as its signature names: so does this count)
                wanted = len(inspect.signature(method).parameters) - (0 if target is app else 1)  # (unbound: self)
                assert wanted >= len(params), f"{owner.__name__}: {binding.key} -> {binding.action} takes {wanted}"
                checked += 1
        assert checked > 80


def test_each_wiring_names_a_state_the_lab_builds_and_intents_on_its_methods():
    from microgpt_tui.core.lab import Lab

    built = inspect.signature(Lab.__init__)  # (the lab builds every feature in __init__)
    source = inspect.getsource(Lab.__init__)
    assert built is not None
    for wiring in WIRINGS:
        assert f"self.{wiring.feature} = " in source, wiring.feature
        names = set(wiring.actions) | set(wiring.app_actions)
        assert all(name.isidentifier() for name in names)
    actions = [name for wiring in WIRINGS for name in (*wiring.actions, *wiring.app_actions)]
    assert len(actions) == len(set(actions)), "two features claim one action"


async def test_the_matrix_views_arrow_keys_move_its_cursor():
    """The two-argument actions reach their intent whole (row and column)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "m")
        await pilot.pause()
        assert app.lab.matrices.open
        await pilot.press("down", "down", "right")
        assert app.lab.matrices.cursor == (2, 1)
        await pilot.press("up", "left")
        assert app.lab.matrices.cursor == (1, 0)
