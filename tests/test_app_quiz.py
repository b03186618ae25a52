"""Pilot tests for predict-then-reveal (p): the distribution hides, the learner guesses, the reveal scores both."""

from app_helpers import make_app, palette_searched, panel, trained, wait_until
from textual.command import CommandInput

from microgpt_engine.insight.quiz import argmax

SIZE = (120, 40)


async def test_p_hides_the_distribution_then_a_guess_reveals_it_with_the_score():
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert not app.main.query_one("#tokens").display
        hidden = panel(app, "#quiz")
        assert "what comes next?" in hidden and "%" not in hidden  # no probabilities before the guess
        seq = app.lab.sequence
        actual = seq.targets[0]
        right = app.lab.trainer.tokenizer.label(actual)
        await pilot.press(right)
        revealed = panel(app, "#quiz")
        model_hit = int(argmax(seq.probs[0]) == actual)
        assert f"actual {right}  p {seq.probs[0][actual] * 100:.1f}%" in revealed
        assert f"you    {right}  ✓" in revealed
        assert f"you 1/1 · model {model_hit}/1" in revealed
        assert f"model mean p(actual) {seq.probs[0][actual] * 100:.0f}%" in revealed
        marked = [line for line in revealed.splitlines() if "▸" in line and "actual" not in line]
        assert len(marked) == 1 and marked[0].strip("│ ").startswith(f"▸{right}")


async def test_right_hides_again_and_letters_are_guesses_not_key_bindings():
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("p", "right")  # right before a guess moves on too
        assert app.lab.selection.position == 1
        seq = app.lab.sequence
        wrong = next(c for c in "zqxa" if app.lab.trainer.tokenizer.chars.index(c) != seq.targets[1])
        await pilot.press(wrong)  # q would quit, a would show all heads, s would sample…
        assert app.return_code is None and not app.lab.selection.all_heads and app.lab.drawing.sampler is None
        revealed = panel(app, "#quiz")
        assert f"you    {wrong}  ✗" in revealed and "you 0/1" in revealed
        assert "●" in revealed  # the learner's guess is marked among the bars
        await pilot.press("right")
        assert app.lab.selection.position == 2 and "what comes next?" in panel(app, "#quiz")
        await pilot.click("#attention")  # a click elsewhere does not take the keys away from the quiz
        await pilot.press("a")
        assert not app.lab.selection.all_heads and app.lab.quizzing.state.quiz.score().turns == 2
        await pilot.press("right")
        assert app.lab.selection.position == 3
        await pilot.press("Z")
        assert "“Z”: not in the vocabulary" in panel(app, "#quiz") and app.lab.quizzing.state.quiz.score().turns == 2
        hits = app.lab.quizzing.state.quiz.score().learner_hits
        await pilot.press("escape")
        await pilot.pause()
        assert not app.lab.quizzing.on and app.main.query_one("#tokens").display
        assert not app.main.query("#quiz")
        assert f"predict, then reveal: you {hits}/2" in panel(app, "#status")


async def test_p_after_the_reveal_leaves_and_enter_guesses_the_end_of_the_name():
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        last = len(app.lab.sequence) - 1
        await pilot.press(*["right"] * last, "p")
        assert app.lab.selection.position == last  # the last position predicts the end: ◆
        await pilot.press("enter")
        assert "✓" in panel(app, "#quiz").split("you ", 1)[1].splitlines()[0]
        assert app.lab.quizzing.state.quiz.score().learner_hits == 1
        await pilot.press("p")
        await pilot.pause()
        assert not app.lab.quizzing.on


async def test_quiz_on_a_sample_in_progress_asks_for_the_samplers_next_draw():
    app = make_app(steps=2, sample_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("s", "p")
        drawn = len(app.lab.drawing.sampler.records)
        assert "next sample char" in panel(app, "#quiz")
        await pilot.press("e")
        assert len(app.lab.drawing.sampler.records) == drawn + 1  # the sampler drew after the guess
        record = app.lab.drawing.sampler.records[-1]
        assert f"actual {app.lab.trainer.tokenizer.label(record.chosen)}" in panel(app, "#quiz")
        assert (
            app.lab.quizzing.state.quiz.turns[-1].actual == record.chosen
            and app.lab.quizzing.state.quiz.turns[-1].p_actual == record.probs[record.chosen]
        )


async def test_viewing_another_step_from_the_palette_redraws_the_revealed_card_with_that_steps_model():
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("p", "a")
        card = app.main.query_one("#quiz").card
        assert card.probs == app.lab.sequence.probs[0]  # now's model
        await pilot.press("ctrl+p")
        app.screen.query_one(CommandInput).value = "view 10 steps earlier"  # (as a paste fills it: one search)
        await palette_searched(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.lab.viewed_step == 0)  # the initial weights
        card = app.main.query_one("#quiz").card
        assert card.probs == app.lab.shown().probs[0] != app.lab.sequence.probs[0]
