"""What the numbers mean: i on each panel, the about screen (b), the status-line tooltips, every binding's tooltip."""

import dataclasses
import importlib
import inspect
import pkgutil

import pytest
from app_helpers import DOCS, make_app, widget_text
from rich.text import Text
from textual.dom import DOMNode

import microgpt_tui
from microgpt_engine import Config, Trainer
from microgpt_tui import texts
from microgpt_tui.core.lab import Lab
from microgpt_tui.core.labels import learning_rate
from microgpt_tui.features.panels.status_bar import status_text
from microgpt_tui.features.reference.about_screen import AboutScreen
from microgpt_tui.features.reference.explain_screen import ExplainScreen

SIZE = (120, 40)


def words(text):
    return " ".join(text.split())


def explanation_text(app):
    return words(widget_text(app.screen.query_one("#explain-text")))


def live_numbers(app):
    """For each panel, figures of this session its explanation must quote."""
    row = app.lab.sequence.attention[app.lab.selection.layer][app.lab.selection.head][app.lab.selection.position]
    return {
        "status": [
            f"params {app.lab.trainer.model.num_params:,}",
            f"step {app.lab.trainer.step_count}/40",
            f"{len(app.lab.docs)} docs",
        ],
        "loss": [
            f"{app.lab.uniform:.2f} = ln 27",
            f"The bigram line, {app.lab.bigram:.2f}",
            f"loss {app.lab.history.last_loss:.3f}",
        ],
        "attention": [f"sums to {sum(row):.3f}", "head 1 of 4", "4 of the 16 dimensions"],
        "tokens": ["every one of the 27 tokens", f"p = 1/27 costs {app.lab.uniform:.2f}", "Temperature 0.5"],
        "params": [
            f"{app.lab.trainer.model.num_params:,} parameters in 9 matrices",
            f"learning rate {learning_rate(app.lab.stepping.latest.lr)}",
        ],
        "samples": ["temperature 0.5", "So far: no samples yet"],
    }


async def test_i_on_each_panel_explains_it_with_this_sessions_numbers_and_escape_closes():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("space", "space", "l")
        expected = live_numbers(app)
        assert list(expected) == list(texts.PANELS)  # every panel is checked
        for pid, numbers in expected.items():
            await pilot.click(f"#{pid}")
            assert app.main.focused.id == pid
            await pilot.press("i")
            assert isinstance(app.screen, ExplainScreen) and app.screen.shown == pid
            shown = explanation_text(app)
            for number in numbers:
                assert number in shown, (pid, number)
            assert texts.PANELS[pid].name in app.screen.query_one("#explain-body").border_title
            await pilot.press("escape")
            assert app.screen is app.main and app.main.focused.id == pid


async def test_i_offers_the_panels_b_compares_with_production_llms_and_i_explains_the_tours_panel():
    """One session: i before any panel has the focus, then b after a step, then i during the tour."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        # i with no panel focused offers the list of panels
        assert app.main.focused is None
        await pilot.press("i")
        assert isinstance(app.screen, ExplainScreen) and app.screen.chooser
        assert texts.EXPLAIN_CHOOSE in explanation_text(app)
        names = widget_text(app.screen.query_one("#explain-panels"))
        assert all(e.name in names for e in texts.PANELS.values())
        await pilot.press("down", "down")
        assert app.screen.shown == "attention"
        assert "Each row sums to 1" in explanation_text(app)
        assert "The heatmap is triangular" in explanation_text(app)
        await pilot.press("i")  # i closes it too
        assert app.screen is app.main
        # b compares this session's model with production LLMs
        await pilot.press("space", "b")
        assert isinstance(app.screen, AboutScreen)
        rows = {aspect: Text.from_markup(mine).plain for aspect, mine, _ in app.screen.rows}
        assert list(rows) == [aspect for aspect, _, _ in texts.ABOUT_ROWS]
        assert rows["parameters"].startswith(f"{app.lab.trainer.model.num_params:,}: 1 layer, 16-wide vectors, 4 heads")
        assert rows["vocabulary"] == "one token per character: 26 characters + BOS = 27 tokens"
        assert rows["data"].startswith(f"{len(app.lab.docs)} documents from names.txt")
        assert rows["training"].endswith("1 done")  # the steps of this session
        shown = words(widget_text(app.screen.query_one("#about-table")))  # table cells wrap: look for words
        for figure in (
            f"{app.lab.trainer.model.num_params:,}:",
            f"{len(app.lab.docs)} documents",
            "27 tokens",
            "post-training",
            "Llama 3",
        ):
            assert figure in shown, figure
        await pilot.press("escape")
        assert app.screen is app.main
        # i during the tour explains the highlighted panel
        await pilot.press("t", "enter")  # the tour highlights the attention panel
        await pilot.press("i")
        assert app.screen.shown == "attention"
        await pilot.press("escape")
        assert app.lab.touring.tour.index == 1  # the tour is where it was


async def test_every_status_field_has_a_tooltip_under_the_pointer():
    app = make_app(show_timing=True, steps=100_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        status = app.main.query_one("#status")
        app.lab.stepping.rate.add(1, 0.0)
        app.lab.stepping.rate.add(2, 1.0)
        status.status = dataclasses.replace(app.lab.status(), mode="training")  # so the steps/s field shows
        await pilot.pause()
        _, fields = status_text(status.status)
        assert [name for _, _, name in fields] == ["step", "loss", "ema", "lr", "rate", "mode", "params", "dataset"]
        left = status.content_region.x - status.region.x
        for start, end, name in fields:
            await pilot.hover("#status", offset=(left + (start + end) // 2, 0))
            assert status.tooltip == texts.STATUS_TOOLTIPS[name], name
        await pilot.hover("#status", offset=(left + 3, 1))
        assert status.tooltip == texts.STATUS_TOOLTIPS["note"]


def test_every_binding_in_the_app_has_a_tooltip_and_an_id():
    classes = []
    for module in pkgutil.walk_packages(microgpt_tui.__path__, "microgpt_tui."):
        mod = importlib.import_module(module.name)
        classes += [c for _, c in inspect.getmembers(mod, inspect.isclass) if c.__module__ == mod.__name__]
    bindings = list(microgpt_tui.bindings.BINDINGS)
    for cls in classes:
        if issubclass(cls, DOMNode):
            bindings += [
                b for b in cls.__dict__.get("BINDINGS", []) if not isinstance(b, tuple)
            ]  # its own, not Textual's
    assert len(bindings) > 20
    missing = [b.key for b in bindings if not b.tooltip or not b.id]
    assert missing == []
    assert {"t", "i", "b"} <= {b.key for b in microgpt_tui.bindings.BINDINGS}


@pytest.mark.parametrize("steps", [0, 3])
def test_every_text_fills_with_this_sessions_figures(steps, tmp_path):
    """No misspelt placeholder, valid markup, before any step (figures unknown) and after some: the lab make_app's
    app drives (the texts are filled from its facts, no screen involved), its steps taken by space's intent."""
    lab = Lab(Trainer(DOCS, Config(steps=40, seed=42)), DOCS, "names.txt", tmp_path / "ckpt.json")
    lab.begin()
    for job in lab.session.take_jobs():  # the session's background work (baselines, names), landed as the app's
        job.land(job.run(lambda: False, lambda: None))
    for _ in range(steps):
        lab.step()
    facts = lab.reference.facts()
    templates = [s.body for s in texts.TOUR] + [e.body for e in texts.PANELS.values()]
    templates += [cell for row in texts.ABOUT_ROWS for cell in row] + [texts.ABOUT_FOOTER]
    for template in templates:
        plain = Text.from_markup(texts.fill(template, facts)).plain
        assert "{" not in plain and "[/" not in plain
    assert facts["uniform"] == "3.30" and facts["vocab_size"] == "27"
    assert (facts["loss"] == "—") == (steps == 0)
