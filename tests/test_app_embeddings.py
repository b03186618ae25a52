"""Pilot tests for the embedding map (e): every token on the PCA map of wte, redrawn as training goes."""

import re

from app_helpers import landed, make_app, make_gated_app, press_sent, until, wait_until, widget_text
from quick_pilot import act, palette_typed
from rich.console import Console

from microgpt_engine.insight.embeddings import embedding_map
from microgpt_tui.features.embeddings.scatter import TokenScatter
from microgpt_tui.features.embeddings.screen import EmbeddingMap, EmbeddingScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen

SIZE = (120, 40)


def shown(app, selector):
    return widget_text(app.screen.query_one(selector))


async def test_e_and_the_palette_map_every_vocabulary_character_with_the_engines_explained_variance():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "e")
        await pilot.pause()
        assert isinstance(app.screen, EmbeddingScreen)
        drawn = shown(app, EmbeddingMap)
        for label in app.lab.vocab_labels:
            assert label in drawn, f"{label!r} is not on the map"
        expected = embedding_map(app.lab.trainer.model.weights, app.lab.trainer.tokenizer).explained
        title = shown(app, "#embeddings-title")
        assert "step 2" in title and "explained variance" in title
        assert re.search(r"across (\d+)%, up (\d+)%", title).groups() == tuple(f"{x * 100:.0f}" for x in expected)
        await pilot.press("escape")
        assert app.screen is app.main
        await palette_typed(pilot, "embedding")  # the command palette opens the map too
        await wait_until(pilot, lambda: "embedding map (e)" in widget_text(app.screen.query_one("CommandList")))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EmbeddingScreen))


async def test_the_map_follows_training_started_inside_the_view_from_the_workers_copies():
    app = make_app(steps=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert screen.shown_step == 0
        await press_sent(pilot, "r")  # train inside the view (sent, not pressed: Pilot waits for an idle CPU)
        await until(pilot, lambda: app.lab.mode == "training" and (screen.shown_step or 0) > 0, timeout=10)
        step, wte = app.lab.embeddings.snapshot()
        assert wte is not app.lab.trainer.model.weights["wte"]  # a copy the worker handed over, never the live rows
        assert f"step {screen.shown_step:,}" in shown(app, "#embeddings-title")
        await press_sent(pilot, "r")
        await wait_until(pilot, lambda: app.lab.mode == "paused" and screen.shown_step == app.lab.trainer.step_count)
        expected = embedding_map(app.lab.trainer.model.weights, app.lab.trainer.tokenizer).explained
        assert screen.explained == expected


async def test_after_a_fork_the_map_follows_the_new_runs_steps_below_the_step_it_showed():
    app = make_gated_app()
    async with app.run_test(size=SIZE) as pilot:
        await act(pilot, *["step"] * 20)  # space, 20 times (the key's own action)
        await pilot.press(*["comma"] * 5, "e")
        screen = app.screen
        assert isinstance(screen, EmbeddingScreen) and screen.shown_step == 20
        await landed(pilot)  # (r waits for the step , asked for: its replay runs off the UI thread)
        app.lab.trainer.hold()
        await pilot.press("r")
        assert isinstance(app.screen, ForkScreen)
        await pilot.press("y")  # fork at step 15 and train from there, one held step at a time
        assert app.lab.mode == "training" and app.screen is screen
        app.lab.stepping.run.flush_every = 0.0  # (a copy after every step: by default at most every 0.1 s)
        app.lab.trainer.release(1)
        await until(pilot, lambda: screen.shown_step == 16, timeout=5)
        assert "step 16 " in shown(app, "#embeddings-title")
        app.lab.trainer.release()
        await press_sent(pilot, "r")
        await until(pilot, lambda: app.lab.mode == "paused")


async def test_space_and_r_in_the_map_are_the_apps_own_actions_so_the_tour_sees_them():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "right")  # the tour now asks for space
        assert app.lab.touring.tour.step.on == ("step",)
        await pilot.press("e", "space")
        assert app.lab.trainer.step_count == 1 and isinstance(app.screen, EmbeddingScreen)
        assert app.screen.shown_step == 1
        assert app.lab.touring.tour.index == 3  # the tour saw the step


def test_scatter_nudges_tokens_that_fall_on_one_cell_so_every_one_is_drawn():
    points = [(c, 0.0, 0.0) for c in "abcdefghij"] + [("z", 1.0, 1.0), ("◆", -1.0, -1.0)]
    console = Console(width=30, record=True, color_system=None)
    console.print(TokenScatter(points, height=8))
    text = console.export_text()
    assert all(text.count(label) == 1 for label, _, _ in points)
    lines = text.splitlines()
    assert lines[0].rstrip().endswith("z") and lines[-1].startswith("◆")  # corners: up-right and down-left
