"""The forward-pass view (v): every stage of the shown position, following position, time travel, sampling, training."""

import re

from app_helpers import landed, make_app, trained, wait_until, widget_text

from microgpt_engine.insight.forward_trace import stage_names, trace_forward
from microgpt_tui.features.forward.screen import ForwardScreen, ForwardStripsView
from microgpt_tui.features.forward.state import input_tokens

SIZE = (120, 40)


def screen_text(app):
    screen = app.screen
    return "\n".join(widget_text(w) for w in (screen.query_one("#forward-title"), screen.query_one(ForwardStripsView)))


def shown_probs(app):
    seq, pos = app.lab.shown(), app.lab.selection.position
    return seq.probs[min(pos, len(seq.probs) - 1)]


async def test_v_opens_every_stage_and_its_numbers_are_the_token_panels():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "right", "right", "v")
        assert isinstance(app.screen, ForwardScreen) and app.lab.forward.open
        view = app.lab.forward.view()
        assert view.trace.names == stage_names(1) and view.trace.pos == 2
        assert list(view.trace.probs) == shown_probs(app)  # to the bit
        text = screen_text(app)
        assert "pos 2 after ◆" in text and "weights after step 2's update" in text
        for name in view.trace.names:
            assert name in text
        lens = view.trace.stage("layer0.mlp_residual").lens
        top = app.lab.vocab_labels[lens[0][0]]
        assert f"↳ logit lens: {top} {lens[0][1] * 100:.0f}%" in text
        first = view.trace.stage("tok_emb").values[0]
        assert f"{first:+.2f}".replace("0.", ".", 1) in text.splitlines()[1]
        await pilot.press("right")
        assert app.lab.forward.view().trace.pos == 3 and "pos 3 after" in screen_text(app)
        assert list(app.lab.forward.view().trace.probs) == shown_probs(app)
        await pilot.press("down", "down")
        assert app.lab.forward.view().selected == "emb_sum"
        assert app.screen.query_one("#forward-details").render().plain.startswith("emb_sum: their sum")
        await pilot.press("escape")
        assert not isinstance(app.screen, ForwardScreen) and not app.lab.forward.open


async def test_the_view_follows_time_travel_and_each_sampled_character():
    app = make_app(steps=6, sample_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("v", "comma", "comma")
        await landed(pilot)
        assert app.lab.viewed_step == 4 and "weights of step 4" in screen_text(app)
        assert list(app.lab.forward.view().trace.probs) == shown_probs(app)
        await pilot.press("s", "n")
        seq = app.lab.shown()
        assert seq.kind == "sample" and len(seq) == 2
        trace = app.lab.forward.view().trace
        assert trace.pos == 1 and list(trace.probs) == seq.probs[1]  # the sampler's, temperature included
        assert "softmax(logits / 0.5)" in trace.stage("probs").title
        await pilot.press("n")
        assert app.lab.forward.view().trace.pos == 2 and "pos 2 after" in screen_text(app)


async def test_while_training_with_the_view_open_it_shows_the_handed_over_steps_document():
    app = make_app(steps=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        lab = app.lab
        assert lab.forward.before is not None and lab.forward.before[0] == lab.stepping.latest.step == 30
        view = lab.forward.view()
        assert "before step 30's update" in view.source
        assert list(view.trace.probs) == shown_probs(app)
        seq = lab.shown()
        again = trace_forward(lab.time.model_at(29), input_tokens(lab.session, seq), view.trace.pos)
        assert again == view.trace  # the handed-over weights are step 29's, to the bit


async def test_the_forward_view_is_in_the_palette_and_in_help():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert [row[:2] for row in app.help_rows() if row[0] == "v"] == [("v", "forward pass")]
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert any(c.startswith("forward pass (v)") for c in commands)


async def test_numbers_in_the_forward_view_never_run_together_and_a_stage_is_selected_by_its_stable_name():
    """A number is drawn only where its cell keeps a blank column: `.03.05` would read as one number. Then, in
    the same view, a stage is selected by its stable name."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "v")
        lines = screen_text(app).splitlines()
        number = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
        for line in lines:
            if "|x|" in line:  # a strip: its name, then its cells
                cells = line.split("|x|")[0].replace("▶", " ").split()[1:]
                assert all(number.fullmatch(cell) or set(cell) <= {"·"} for cell in cells), line
        output = [line for line in lines if line.strip().startswith(("logits", "probs"))]
        assert len(output) == 2 and all("|x|" in line for line in output)
        app.apply(app.lab.forward.select_stage("layer0.mlp_relu"))
        assert app.lab.forward.view().selected == "layer0.mlp_relu"
        assert app.screen.query_one("#forward-details").render().plain.startswith("layer0.mlp_relu: after ReLU")
        assert "0 at this position:" in app.screen.query_one("#forward-details").render().plain
