"""The matrix heatmap (m, enter or a click on a parameter row): weights, gradient, Δ, Adam m and v; the nudge check."""

import pytest
from app_helpers import make_app, wait_until, widget_text
from quick_pilot import keys

from microgpt_engine.insight.matrices import matrix_of
from microgpt_tui.core.labels import decimal
from microgpt_tui.features.matrix.screen import MatrixScreen
from microgpt_tui.features.matrix.state import KINDS

SIZE = (120, 40)


def text(app):
    return "\n".join(widget_text(w) for w in app.screen.query("#matrix-title, #matrix-cells, #matrix-side"))


async def test_m_opens_the_selected_matrix_and_m_cycles_weights_gradient_delta_m_and_v():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        lab = app.lab
        old = lab.forward.before[1]
        await pilot.press("m")
        assert isinstance(app.screen, MatrixScreen) and lab.matrices.open
        view = lab.matrices.view()
        assert view.name == "wte" and view.kind == "weights" and view.step == 2
        assert view.row_labels == tuple(lab.vocab_labels) and view.cells == tuple(
            map(tuple, lab.trainer.model.weights["wte"])
        )
        screen = text(app)
        assert (
            "wte 27×16 · weights" in screen
            and f"{decimal(view.lo, 3, sign=True)}  0  {decimal(view.hi, 3, sign=True)}" in screen
        )
        assert view.hi == max(abs(w) for row in view.cells for w in row) and sum(view.counts) == 27 * 16
        shapes = lab.trainer.model.shapes
        seen = []
        for _ in KINDS:
            view = lab.matrices.view()
            seen.append(view.kind)
            if view.kind == "delta":
                new = lab.trainer.model.weights["wte"]
                assert view.cells == tuple(tuple(a - b for a, b in zip(rn, ro)) for rn, ro in zip(new, old["wte"]))
            elif view.kind in ("m", "v"):
                flat = getattr(lab.trainer.optimizer, view.kind)
                assert view.cells == tuple(map(tuple, matrix_of(shapes, flat, "wte")))
            elif view.kind == "grad":
                grads = lab.trainer.last_ops.param_grads(list(shapes))
                assert view.cells == tuple(map(tuple, matrix_of(shapes, grads, "wte")))
                top = max((abs(g), r, c) for r, row in enumerate(view.cells) for c, g in enumerate(row))
                assert abs(view.top_grad[0][2]) == top[0]
                assert "largest |gradient|" in text(app)
            await keys(pilot, "m")
        assert seen == list(KINDS) and lab.matrices.view().kind == "weights"
        await keys(pilot, "right_square_bracket")
        assert lab.matrices.view().name == "wpe" and lab.matrices.view().row_labels[:2] == ("p0", "p1")
        await pilot.press("escape")
        assert not isinstance(app.screen, MatrixScreen) and not lab.matrices.open
        assert app.main.query_one("#params").view.selected == "wpe"  # the table's selected row followed


async def test_n_nudges_the_weight_with_the_largest_gradient_and_the_slope_is_the_gradient():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "m", "g", "n")
        view = app.lab.matrices.view()
        r, c, grad = view.top_grad[0]
        assert view.cursor == (r, c) and abs(grad) > 1e-3
        check = view.nudge
        assert (check.row, check.col, check.gradient) == (r, c, grad)
        assert check.estimate == pytest.approx(grad, rel=1e-6)
        screen = text(app)
        assert f"slope  {decimal(check.estimate, 7, sign=True)}" in screen
        assert f"autograd {decimal(grad, 7, sign=True)}" in screen
        assert app.lab.event.startswith(f"nudge wte[{r}][{c}] by ±1e-05")


async def test_enter_on_the_focused_table_and_a_click_on_a_row_open_that_matrix():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        params = app.main.query_one("#params")
        params.focus()
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, MatrixScreen) and app.lab.matrices.view().name == "lm_head"
        await pilot.press("escape")
        row = list(app.lab.trainer.model.shapes).index("layer0.mlp_fc1")
        await pilot.click(params, offset=(3, 1 + params.HEADER_ROWS + row))  # (1: the border)
        assert isinstance(app.screen, MatrixScreen) and app.lab.matrices.view().name == "layer0.mlp_fc1"
        assert "layer0.mlp_fc1 64×16" in text(app)


async def test_while_training_the_open_view_shows_each_hand_over_and_closed_nothing_is_copied():
    app = make_app(steps=6)  # (the number of steps does not matter: the hand-overs do)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert app.lab.matrices.handed is None  # closed: its state is not copied (the weights before always are)
    app = make_app(steps=12)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        handed = app.lab.matrices.handed
        assert handed is not None and handed.step == app.lab.trainer.step_count == 12
        assert handed.weights == tuple(app.lab.trainer.model.flat_weights())
        view = app.lab.matrices.view()
        assert view.step == 12 and "step 12" in text(app)
        await keys(pilot, "m", "m")  # the update Δ of the last step: new − old
        old = app.lab.forward.before
        assert old[0] == 12 and handed.before == tuple(w for rows in old[1].values() for r in rows for w in r)
        new = app.lab.trainer.model.weights["wte"]
        assert app.lab.matrices.view().cells == tuple(
            tuple(a - b for a, b in zip(rn, ro)) for rn, ro in zip(new, old[1]["wte"])
        )


def test_a_new_run_with_another_shape_resets_the_views_state(small_docs):
    from microgpt_engine import Config, Trainer
    from microgpt_tui.core.lab import Lab
    from microgpt_tui.features.runs.settings_form import NewRun

    lab = Lab(Trainer(small_docs, Config(n_embd=8, n_head=2, n_layer=2, steps=10, seed=5)), small_docs)
    lab.begin()
    lab.step()
    lab.matrices.open_view("layer1.mlp_fc1")
    lab.forward.move_stage(30)
    assert lab.forward.before is not None and lab.matrices.view().name == "layer1.mlp_fc1"
    lab.experiments.start_run(
        NewRun(Config(n_embd=8, n_head=2, n_layer=1, steps=10, seed=5), "fused", tuple(small_docs), "small")
    )
    assert lab.forward.before is None and lab.forward.stage == 0
    view = lab.matrices.view()
    assert view.name == "wte" and view.step == 0 and view.cells == tuple(map(tuple, lab.trainer.model.weights["wte"]))
    assert lab.forward.view().trace.names[-1] == "probs" and "layer1.q" not in lab.forward.view().trace.names
