"""What a new user tripped over, at 80x24 under Pilot: f replaces the letter on screen, samples keep their
temperature, p after a probe."""

from app_helpers import make_app, panel, press_sent, trained
from quick_pilot import fill, keys

SMALL = (80, 24)


async def whole_sample(pilot, limit=20):
    """s, then n letter by letter until the name is written (what n presses past its end would add: nothing)."""
    await press_sent(pilot, "s")
    for _ in range(limit):
        if not pilot.app.lab.drawing.sampling:
            break
        await press_sent(pilot, "n")
    await pilot.pause()


async def test_f_on_an_earlier_letter_of_a_sample_replaces_that_letter_and_keeps_the_ones_before():
    app = make_app(steps=20, sample_interval=3600)
    async with app.run_test(size=SMALL) as pilot:
        await trained(pilot)
        await whole_sample(pilot)  # a whole sample, letter by letter
        await pilot.pause()
        before = [r.chosen for r in app.lab.drawing.sampler.records]
        assert len(before) >= 3, "a sample too short to pick a middle letter"
        await keys(pilot, "left", "left")
        pos = app.lab.selection.position
        replaced = app.lab.trainer.tokenizer.label(before[pos])
        letter = "q" if replaced != "q" else "z"
        await pilot.press("f", letter, "enter")
        await pilot.pause()
        after = app.lab.drawing.sampler.records
        assert [r.chosen for r in after[:pos]] == before[:pos]  # the letters before it stay
        assert after[pos].forced and after[pos].label == letter  # yours replaces the one drawn there
        assert f"you chose “{letter}” at pos {pos}" in panel(app, "#status")


async def test_names_drawn_at_two_temperatures_are_told_apart_in_the_samples_list():
    app = make_app(steps=20, sample_interval=3600)
    async with app.run_test(size=SMALL) as pilot:
        await trained(pilot)
        await whole_sample(pilot)  # a name at T 0.5
        await keys(pilot, *["plus"] * 10)
        await whole_sample(pilot)  # then one at T 1.5
        await pilot.pause()
        assert app.lab.selection.temperature == 1.5
        (hot, _), (cool, _) = list(app.lab.drawing.samples.entries)[:2]
        assert list(app.lab.drawing.samples.temperatures)[:2] == ["T 1.5", "T 0.5"]
        lines = [line.strip(" │╭╮╰╯─✓") for line in panel(app, "#samples").splitlines()]
        at = lines.index("T 1.5")
        assert lines.index("T 0.5") > at  # newest first, each under its own temperature
        assert lines[at + 1].startswith(hot[:4]) and lines[lines.index("T 0.5") + 1].startswith(cool[:4])


async def test_p_right_after_a_probe_quizzes_on_the_next_training_document_not_the_typed_text():
    app = make_app(steps=20)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space", "slash")
        await fill(pilot, "#probe-input", "zzyzx")
        await pilot.press("enter")
        await pilot.pause()
        assert app.lab.sequence.kind == "probe"
        await pilot.press("escape")  # (the probe box closes; the panels keep the probed text)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert app.lab.quizzing.on
        doc = app.lab.trainer.document()
        assert app.lab.sequence.kind == "next" and app.lab.sequence.text == doc
        assert f"quiz on the next training document, “{doc}”, not on the text you typed" in app.lab.event
        toasts = [n.message for n in app._notifications]  # (the status line shows the quiz's instructions)
        assert any(m.startswith("quiz on the next training document") for m in toasts)


async def test_the_settings_summary_says_1_step_not_1_steps():
    app = make_app(steps=20)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#set-steps").value = ""
        app.screen.query_one("#set-steps").focus()
        await pilot.press("1")
        await pilot.pause()
        summary = " ".join(str(app.screen.query_one("#settings-summary").render()).split())
        assert "parameters · 1 step on names.txt" in summary


async def test_brace_at_the_slowest_speed_says_it_is_the_slowest_on_screen():
    app = make_app(steps=20)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, *["left_curly_bracket"] * 8)
        await pilot.pause()
        assert "speed: 1 step/s is the slowest there is (} is faster)" in panel(app, "#status")


async def test_a_one_step_run_finishes_in_1_step_on_screen():
    app = make_app(steps=1)
    async with app.run_test(size=SMALL) as pilot:
        await trained(pilot)
        status = panel(app, "#status")
        assert "training finished: 1 step" in status and "1 steps" not in status
