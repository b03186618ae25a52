"""What the cyclic garbage collector has to walk while the app runs (counts objects, not time).

A full collection walks every tracked object and runs on the UI thread as often
as not: the objects the app keeps for its whole life, and a closed screen's
graph, made each one a stall (bench/ui_stalls.py, bench/graph_open_stall.py).
"""

import gc
import weakref
from functools import partial

from app_helpers import make_app, wait_until

from microgpt_engine import Trainer
from microgpt_tui.features.graph.screen import GraphScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


async def test_what_is_alive_at_the_first_frame_is_left_out_of_later_collections_until_the_app_ends(real_first_frame):
    app = make_app(config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        frozen = gc.get_freeze_count()
        assert frozen > 20_000, f"only {frozen} objects left out of the collector's walks"
        await pilot.press("space")
        await pilot.pause()
    assert gc.get_freeze_count() == 0  # handed back: the next app (or test) collects what this one left


async def test_a_closed_graph_screen_lets_go_of_its_graph_without_waiting_for_a_full_collection():
    """The screen is cyclic garbage once closed; the plain step's graph (~60,000 Values, ~400,000 objects with
    the view's index) must not wait with it: it goes as soon as nothing else holds it (reference counting)."""
    app = make_app(config=TINY, trainer_class=partial(Trainer, engine="plain"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        graph = weakref.ref(app.screen.graph)
        gc.disable()  # no collection may free it for us
        try:
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is app.main)
            assert graph() is None, "the closed graph screen still holds its graph"
        finally:
            gc.enable()
