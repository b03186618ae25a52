"""Pilot tests for interventions: z / x switch heads off in the view, u undoes, f forces a sample's next character."""

import re

from app_helpers import make_app, panel, press_sent, trained, wait_until
from quick_pilot import keys

from microgpt_engine import Sampler
from microgpt_engine.train import evaluate_tokens
from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen

SIZE = (120, 40)


def ablated_probs(app, ablate):
    """What the model that made the shown predictions gives with `ablate` off (the truth the panel should show)."""
    seq = app.lab.sequence
    model = app.lab.time.model_at(seq.step - 1)  # a training step's predictions come before its update
    tokens = app.lab.trainer.tokenizer.document(seq.text[: app.lab.trainer.config.block_size])
    return evaluate_tokens(model, app.lab.trainer.tokenizer, tokens, frozenset(ablate)).positions


def weights(app):
    return app.lab.trainer.model.flat_weights()


async def test_z_ablates_the_selected_head_u_restores_exactly_and_x_and_z_with_all_heads_ablate_the_layer():
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await keys(pilot, "right")
        intact, trained_weights = panel(app, "#tokens"), weights(app)
        pos, target = app.lab.selection.position, app.lab.sequence.targets[app.lab.selection.position]
        p_before = app.lab.sequence.probs[pos][target]
        await keys(pilot, "z")
        assert app.lab.interventions.ablation == {(0, 0)}
        tokens, status = panel(app, "#tokens"), panel(app, "#status")
        assert "ABLATED L0H0" in tokens.splitlines()[0] and "ABLATED L0H0" in status
        p_after = ablated_probs(app, {(0, 0)})[pos].probs[target]
        assert p_after != p_before
        assert f"p {p_before * 100:.1f}% → {p_after * 100:.1f}%" in tokens
        assert f"{p_before * 100:.1f}% → {p_after * 100:.1f}%" in status
        shown = re.findall(r"(\d+\.\d)%", tokens.split("-log p", 1)[1])
        assert shown == [f"{p * 100:.1f}" for p in sorted(ablated_probs(app, {(0, 0)})[pos].probs, reverse=True)]
        assert weights(app) == trained_weights
        await keys(pilot, "u")
        assert app.lab.interventions.ablation == frozenset()
        assert panel(app, "#tokens") == intact
        assert "ABLATED" not in panel(app, "#status") and "interventions undone" in panel(app, "#status")
        assert weights(app) == trained_weights

        # x and z with all heads shown ablate the whole layer
        await keys(pilot, "x")
        assert app.lab.interventions.ablation == {(0, None)}
        assert "ABLATED L0" in panel(app, "#attention").splitlines()[-1]
        pos = app.lab.selection.position
        assert app.main.query_one("#tokens").sequence.probs[pos] == ablated_probs(app, {(0, None)})[pos].probs
        await keys(pilot, "x", "a", "z")  # x again switches it back on; z with all heads shown is the layer
        assert app.lab.interventions.ablation == {(0, None)}
        await keys(pilot, "a", "l", "z")  # one head more: both are listed
        assert app.lab.interventions.ablation == {(0, None), (0, 1)}
        assert "ABLATED L0+L0H1" in panel(app, "#status")
        assert weights(app) == trained_weights


async def test_training_uses_every_head_space_switches_the_ablation_off_and_z_is_off_while_running():
    app = make_app(steps=1000)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "z")
        assert app.lab.interventions.ablation
        await keys(pilot, "space")
        assert app.lab.interventions.ablation == frozenset() and app.lab.trainer.step_count == 2
        assert "ABLATED" not in panel(app, "#tokens")
        await press_sent(pilot, "r")  # (sent, not pressed: while training Pilot waits ~1 s for an idle CPU)
        assert app.lab.mode == "training"
        assert app.check_action("ablate_head", ()) is None and app.check_action("ablate_layer", ()) is None
        await press_sent(pilot, "r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")


async def test_ablation_while_sampling_draws_the_rest_of_the_sample_without_the_head():
    app = make_app(steps=2, sample_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await keys(pilot, "s", "z")
        assert app.lab.drawing.sampler.ablate == {(0, 0)}
        first = app.lab.drawing.sampler.records[0]
        assert not first.done  # (with this seed the sample goes on)
        await keys(pilot, "n")
        second = app.lab.drawing.sampler.records[1]

        def replayed(ablate):
            t = app.lab.trainer
            sampler = Sampler(t.model, t.tokenizer, None, app.lab.selection.temperature, ablate=ablate)
            sampler.step(force=first.chosen)
            return sampler.probabilities()

        assert second.probs == replayed({(0, 0)}) != replayed(frozenset())
        assert "ABLATED L0H0" in panel(app, "#tokens").splitlines()[0]


async def test_f_forces_the_next_sample_character_and_refuses_one_outside_the_vocabulary():
    app = make_app(steps=2, sample_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        assert app.check_action("force_char", ()) is None  # only with a sample on screen
        await keys(pilot, "s")
        drawn, trained_weights = len(app.lab.drawing.sampler.records), weights(app)
        await pilot.press("f")
        assert isinstance(app.screen, ForceCharScreen)
        await pilot.press("Z", "enter")
        assert isinstance(app.screen, ForceCharScreen)
        assert "“Z” is not in the vocabulary" in str(app.screen.query_one("#force-error").render())
        await pilot.press("q", "enter")
        assert app.screen is app.main
        pos = drawn - 1  # the selected position: the last one drawn, now replaced by q
        record = app.lab.drawing.sampler.records[pos]
        assert record.forced and record.label == "q"
        assert app.lab.drawing.sampler.text[pos] == "q" or record.done
        assert weights(app) == trained_weights
