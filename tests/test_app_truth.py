"""What the screen says is true: temperatures where they were used, the quiz hides its answer, f replaces a letter.

Each in English and in 中文 (tests/in_both.py): the sentences quote the same figures in both."""

import pytest
from app_helpers import make_app, panel, trained, until, wait_until, widget_text
from in_both import LANGUAGES, said, shown, speaking
from quick_pilot import keys

from microgpt_tui.features.sampling.force_char_screen import ForceCharScreen
from microgpt_tui.features.time_travel.compare_screen import CompareScreen

SIZE = (120, 40)


async def draw_until_done(pilot, app, limit=20):
    for _ in range(limit):
        if not app.lab.drawing.sampling:
            return
        await keys(pilot, "n")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_each_position_says_the_temperature_its_bars_were_drawn_at_and_the_note_says_them_all(lang, tmp_path):
    with speaking(lang, tmp_path / "state.json"):
        app = make_app(steps=3, sample_interval=3600, state_path=tmp_path / "state.json")
        async with app.run_test(size=SIZE) as pilot:
            await trained(pilot)
            await keys(pilot, "s", "n")  # pos 0 and 1 at 0.5
            await keys(pilot, "minus", "minus", "minus")  # 0.2 for the next draw
            tokens = panel(app, "#tokens")
            # the bars shown were drawn at 0.5, not 0.2
            assert said("bars: T {drawn} · next: T {next}", drawn="0.5", next="0.2") in tokens
            await keys(pilot, "n")
            pos = app.lab.selection.position
            assert app.lab.drawing.sampler.records[pos].temperature == 0.2
            assert said("bars: T {drawn}", drawn="0.2") in panel(app, "#tokens")
            await keys(pilot, "left")
            assert said("bars: T {drawn}", drawn="0.5") in panel(app, "#tokens")
            await draw_until_done(pilot, app)
            temps = {r.temperature for r in app.lab.drawing.sampler.records}
            if len(temps) > 1:
                assert said("at temperatures {low} to {high}", low="0.2", high="0.5") in shown(app.lab.event)
            else:  # (the name ended before a draw at 0.2)
                assert said("at temperature {t}", t="0.5") in shown(app.lab.event)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_document_says_its_bars_are_raw_compare_and_quiz_label_theirs_and_the_quiz_hides_the_rest(
    lang, tmp_path
):
    with speaking(lang, tmp_path / "state.json"):
        app = make_app(steps=3, sample_interval=3600, state_path=tmp_path / "state.json")
        async with app.run_test(size=SIZE) as pilot:
            await trained(pilot)
            assert said("bars: T 1 · samples: T {sampled}", sampled="0.5") in panel(app, "#tokens")
            await keys(pilot, "c")
            await until(pilot, lambda: isinstance(app.screen, CompareScreen))  # (after the middle step's replay)
            await pilot.pause()
            columns = [widget_text(w) for w in app.screen.query(".compare-column")]
            assert len(columns) == 3 and all(said("bars: T 1 (raw)") in text for text in columns), columns
            await keys(pilot, "escape")
            doc = app.lab.sequence.text
            await keys(pilot, "p")  # the quiz hides the rest of the name until the guess
            await pilot.pause()
            attention, status = panel(app, "#attention"), panel(app, "#status")
            header = attention.splitlines()[1].strip("│ ")
            assert header.split() == ["◆"]  # only the asked position: nothing after it
            assert doc not in status and doc not in attention
            await keys(pilot, app.lab.trainer.tokenizer.label(app.lab.sequence.targets[0]))
            assert said("T 1 (raw)") in panel(app, "#quiz")
            # its answer, and no more
            assert panel(app, "#attention").splitlines()[1].strip("│ ").split() == ["◆", doc[0]]
            await keys(pilot, "escape")
            assert len(panel(app, "#attention").splitlines()[1].strip("│ ").split()) == len(doc) + 1


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_f_replaces_the_letter_at_the_selected_position_and_samples_on_and_the_name_marks_it(lang, tmp_path):
    with speaking(lang, tmp_path / "state.json"):
        app = make_app(steps=3, sample_interval=3600, state_path=tmp_path / "state.json")
        async with app.run_test(size=SIZE) as pilot:
            await trained(pilot)
            await keys(pilot, "s", "n", "n")
            before = [r.chosen for r in app.lab.drawing.sampler.records]
            await keys(pilot, "left")
            pos = app.lab.selection.position
            assert pos == len(before) - 2 == 1
            await keys(pilot, "f")
            assert isinstance(app.screen, ForceCharScreen)
            await keys(pilot, "z", "enter")
            records = app.lab.drawing.sampler.records
            z = app.lab.trainer.tokenizer.encode("z")[0]
            assert [r.chosen for r in records[:pos]] == before[:pos]  # what came before stays
            assert records[pos].forced and records[pos].label == "z"
            assert not any(r.forced for r in records[:pos])
            text = app.lab.drawing.sampler.text
            assert text[pos] == "z" and len(text) >= pos + 1  # replaced, not appended
            assert records[pos].chosen == z
            await wait_until(pilot, lambda: not app.lab.drawing.sampling or app.lab.drawing.auto)
            await draw_until_done(pilot, app)
            name = app.lab.drawing.samples.entries[0][0]
            assert name[pos] == "z" and app.lab.drawing.forced[name] == (pos,)
            note = shown(app.lab.event)  # (the letter chosen, quoted alike in every language)
            assert "“z”" in note and (lang != "en" or "you chose “z”" in note)
