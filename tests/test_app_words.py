"""What the app says about a sample and an ablation is what it shows: each drawn character at its own
temperature, a sample's code lines without a target or a loss, z after a step on the weights the panels showed.

Where a sentence quotes a figure, in English and in 中文 (tests/in_both.py): the same figures in both."""

import pytest
from app_helpers import make_app, panel, trained, widget_text
from in_both import LANGUAGES, quotes, said, speaking
from in_both import shown as said_now
from quick_pilot import keys

from microgpt_engine.insight.forward_trace import trace_forward
from microgpt_tui.features.forward.state import input_tokens
from microgpt_tui.features.reference.about_screen import AboutScreen
from microgpt_tui.features.reference.code_screen import CodeScreen

SIZE = (120, 40)


async def test_the_forward_view_of_a_sampled_character_uses_the_temperature_it_was_drawn_at():
    app = make_app(steps=6, sample_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await keys(pilot, "s", "n", "n")  # positions 0..2 drawn at 0.5
        await keys(pilot, *["plus"] * 10, "n")  # the next draw at 1.5
        seq = app.lab.shown()
        assert seq.kind == "sample" and seq.temperature == 1.5 and not seq.done, seq
        await keys(pilot, "left", "v")
        view = app.lab.forward.view()
        pos = view.trace.pos
        assert seq.temperatures[pos] == 0.5
        assert list(view.trace.probs) == seq.probs[pos]  # the token panel's bars, to the bit
        assert "softmax(logits / 0.5)" in view.trace.stage("probs").title
        # (what the old view showed: the same position at the sampler's T 1.5, other numbers)
        at_now = trace_forward(app.lab.trainer.model, input_tokens(app.lab, seq), pos, frozenset(), 1.5)
        assert list(at_now.probs) != seq.probs[pos]


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_code_view_of_a_sample_names_no_target_and_no_loss_and_its_temperature(lang, tmp_path):
    with speaking(lang, tmp_path / "state.json"):
        app = make_app(steps=6, sample_interval=3600, state_path=tmp_path / "state.json")
        async with app.run_test(size=SIZE) as pilot:
            await trained(pilot)
            await keys(pilot, "s", "n", "n", "plus", "plus", "plus")
            app.main.query_one("#tokens").focus()
            await keys(pilot, "k")
            await pilot.pause()
            assert isinstance(app.screen, CodeScreen)
            listing = next(item for item in app.screen.view.listings if item.key == app.screen.shown)
            values = [v for line in listing.lines if line.highlight for v in line.values]
            seq, pos = app.lab.shown(), app.lab.selection.position
            p = seq.probs[pos][seq.targets[pos]]
            if lang == "en":
                assert any("a sample has no target and no loss" in v and f"p {p:.4f} at T 0.5" in v for v in values)
            assert any(quotes(v, f"{p:.4f}", "0.5") for v in values), values  # (the figures, in every language)
            assert not any("loss_t =" in v or "target ‘" in v for v in values), values
            await keys(pilot, "escape")
            app.main.query_one("#samples").focus()
            await keys(pilot, "k")
            await pilot.pause()
            listing = next(item for item in app.screen.view.listings if item.key == app.screen.shown)
            values = [v for line in listing.lines if line.highlight for v in line.values]
            assert lang != "en" or f"pos {pos} was drawn at temperature 0.5" in values, values
            assert any(quotes(v, str(pos), "0.5") for v in values), values


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_z_after_a_single_step_ablates_the_weights_the_panels_showed_after_its_update(lang, tmp_path):
    with speaking(lang, tmp_path / "state.json"):
        app = make_app(steps=6, state_path=tmp_path / "state.json")
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await keys(pilot, "space", "space", "right")
            seq, pos = app.lab.sequence, app.lab.selection.position
            target = seq.targets[pos]
            shown = app.lab.shown().probs[pos][target]
            assert shown == seq.probs_after[pos][target] != seq.probs[pos][target]  # the panels: after the update
            await keys(pilot, "z")
            status, tokens = panel(app, "#status"), panel(app, "#tokens")
            ablated = app.lab.shown()
            assert ablated.probs_before[pos][target] == shown  # every head on: the same p as before z, not the old one
            ablated_l0h0 = said("ABLATED {heads}", heads="L0H0")
            assert said("{what} after step {step}", what=ablated_l0h0, step="2") + ": p(" in status
            assert f"{shown * 100:.1f}% → {ablated.probs[pos][target] * 100:.1f}%" in status
            assert lang != "en" or ablated.tag == "after step 2 · ABLATED L0H0"  # the titles (cropped at this width)
            assert said_now(ablated.tag) == said("after step {step}", step="2") + " · " + ablated_l0h0
            assert said("next · {tag}", tag=said("after step {step}", step="2")) in tokens.splitlines()[0]
            await keys(pilot, "d")  # before the update: the ablation follows, and the title says so
            before = app.lab.shown()
            assert before.probs_before[pos][target] == seq.probs[pos][target]
            assert lang != "en" or before.tag == "before step 2 · ABLATED L0H0"
            still = "before step {step}'s update, still ablated (every head on behind the bars) · d: after"
            assert said_now(app.lab.event) == said(still, step="2")
            assert said("{what} before step {step}", what=ablated_l0h0, step="2") + ": p(" in panel(app, "#status")


async def test_the_glossary_labels_the_apps_own_formulas_and_shows_microgpts_lines_as_microgpts():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await keys(pilot, "space", "y")
        search = app.screen.query_one("#glossary-search")  # (typed there: tests/test_app_glossary.py)
        search.value = "update:data"
        await pilot.pause()
        text = " ".join(widget_text(app.screen.query_one("#glossary-text")).split())
        assert "the app computes (not a line of microgpt): ratio = std(new - old) / std(new)" in text
        assert "in microgpt:" not in text
        search.value = "-log p"
        await pilot.pause()
        text = " ".join(widget_text(app.screen.query_one("#glossary-text")).split())
        assert "in microgpt: loss_t = -probs[target_id].log()" in text


async def test_b_names_the_fused_tape_this_session_runs_for_autograd():
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await keys(pilot, "b")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        mine = dict((aspect, said) for aspect, said, _ in app.screen.rows)["autograd"]
        assert "flat tape of fused nodes" in mine and "one value at a time" not in mine
        shown = widget_text(app.screen.query_one("#about-table"))
        assert all(word in shown for word in ("autograd", "flat tape", "fused"))


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_glossarys_minus_log_p_of_a_sample_says_it_has_no_loss_and_its_temperature(lang, tmp_path):
    with speaking(lang, tmp_path / "state.json"):
        app = make_app(steps=6, sample_interval=3600, state_path=tmp_path / "state.json")
        async with app.run_test(size=SIZE) as pilot:
            await trained(pilot)
            await keys(pilot, "s", "n", "y")
            app.screen.query_one("#glossary-search").value = "-log p"  # (typed there: tests/test_app_glossary.py)
            await pilot.pause()
            seq, pos = app.lab.shown(), app.lab.selection.position
            p = seq.probs[pos][seq.targets[pos]]
            text = " ".join(widget_text(app.screen.query_one("#glossary-text")).split())
            if lang == "en":
                assert f"this session: a sample has no loss: at position {pos} ‘" in text
                assert f"was drawn with p {p:.1%} at T 0.5" in text and "−log p" not in text.split("this session:")[1]
            assert quotes(text, str(pos), f"{p * 100:.1f}", "0.5")  # (the figures, in every language)
