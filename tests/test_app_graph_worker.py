"""Pilot tests for g on the plain engine: its graph view is built on a worker thread while the app stays live."""

import threading
from functools import partial

from app_helpers import make_app, panel, wait_until, widget_text
from quick_pilot import keys

from microgpt_engine import Trainer
from microgpt_engine.insight.value_graph import ValueGraph
from microgpt_tui.features.graph import opening
from microgpt_tui.features.graph.screen import GraphScreen
from microgpt_tui.features.reference.glossary_screen import GlossaryScreen
from microgpt_tui.screens.help import HelpScreen

SIZE = (120, 40)


def plain_app():
    """The small model on the plain engine (its graph, one Value a number, builds in a fraction of the time)."""
    return make_app(trainer_class=partial(Trainer, engine="plain"), config=dict(n_embd=8, n_head=2))


def held_builds(monkeypatch):
    """Every graph build waits for the returned Event (set it to let them finish); counts the builds started."""
    release, started = threading.Event(), []
    build = opening.last_graph

    def held(trainer):
        started.append(trainer.step_count)
        assert release.wait(30), "the test never released the build"
        return build(trainer)

    monkeypatch.setattr(opening, "last_graph", held)
    return release, started


async def test_g_on_the_plain_engine_opens_the_value_graph_built_off_the_ui_thread():
    app = plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        engine = ValueGraph(app.lab.trainer)
        shown = app.screen.graph
        assert isinstance(shown, ValueGraph) and shown.step == 1 == app.lab.trainer.step_count
        assert len(shown) == len(engine) and shown.node(shown.loss_id).data == engine.node(engine.loss_id).data
        title = widget_text(app.screen.query_one("#graph-title"))
        assert f"step 1 on “{app.lab.trainer.document(0)}” · {len(engine):,} nodes · root: the loss" in title
        await keys(pilot, "escape")
        assert f"the graph of step 1: {len(engine):,} nodes" in panel(app, "#status")


async def test_while_the_graph_builds_help_opens_training_waits_and_a_second_g_builds_nothing_more(monkeypatch):
    release, started = held_builds(monkeypatch)
    app = plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "g")
        await wait_until(pilot, lambda: started == [1])
        assert app.screen is app.main
        assert "building the graph of step 1…" in panel(app, "#status")
        await keys(pilot, "question_mark")  # the UI thread is free: help opens while the worker is held
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await keys(pilot, "escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        await keys(pilot, "space", "r")  # training waits for the graph of the step on screen
        await pilot.pause()
        assert app.lab.trainer.step_count == 1 and app.lab.stepping.run is None
        assert "space and r wait until it opens" in app.lab.event  # (said in a notice; the status line says:)
        assert "building the graph of step 1… · it opens when built · space and r wait" in panel(app, "#status")
        await keys(pilot, "g")  # nothing extra: the same build goes on
        await pilot.pause()
        assert started == [1] and len([w for w in app.workers if w.group == "graph"]) <= 1
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        assert app.screen.graph.step == 1 and started == [1]
        await keys(pilot, "escape")
        await keys(pilot, "space")  # once it has opened, training goes on
        await wait_until(pilot, lambda: app.lab.trainer.step_count == 2)


async def test_a_build_for_a_run_that_is_no_longer_live_is_discarded_and_says_so(monkeypatch):
    release, started = held_builds(monkeypatch)
    app = plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "g")
        await wait_until(pilot, lambda: started == [1])
        live = app.lab.trainer
        app.lab.session.trainer = Trainer(live.docs, live.config, engine="plain")  # (another run is live: Lab._install)
        release.set()
        await wait_until(pilot, lambda: "no longer live" in app.lab.event)
        assert app.screen is app.main and app.lab.graph.building.running is None
        app.lab.session.trainer = live


async def test_the_glossary_gives_the_plain_graphs_node_count_once_g_has_counted_it():
    app = plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()

        async def backward_entry():
            await keys(pilot, "y")
            await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen))
            app.screen.query_one("#glossary-search").value = "backward"  # (as a paste fills it)
            await pilot.pause()
            text = " ".join(widget_text(app.screen.query_one("#glossary-text")).split())
            await keys(pilot, "escape")
            await wait_until(pilot, lambda: app.screen is app.main)
            return text

        await keys(pilot, "space")
        assert "the last step's graph had — nodes (plain engine: g counts them)" in await backward_entry()
        await keys(pilot, "g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        await keys(pilot, "escape")
        nodes = len(ValueGraph(app.lab.trainer))
        assert f"the last step's graph had {nodes:,} nodes (plain engine, one Value each)" in await backward_entry()
        await keys(pilot, "space")  # a new step: its graph is not counted yet
        await wait_until(pilot, lambda: app.lab.trainer.step_count == 2)
        assert "had — nodes (plain engine: g counts them)" in await backward_entry()
