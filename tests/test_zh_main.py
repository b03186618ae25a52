"""The main screen's states and dialogs the walk of every screen does not reach, in 中文: no English sentence
shown, every line inside the terminal. One app at 80x24 goes through them in turn (tests/untranslated.py says
what counts as an English sentence)."""

import pickle

from rich.cells import cell_len
from textual.widgets import Select

from microgpt_tui import language
from microgpt_tui.core.said import Said, spoken
from tests.app_helpers import make_app, settled, until
from tests.quick_pilot import keys
from tests.untranslated import english_runs, screen_lines

SIZE = (80, 24)


def in_english(note: str) -> str:
    """A note as English says it (the test's zh left as it was)."""
    was = language.current()
    language.set_language("en")
    try:
        return spoken(note)
    finally:
        language.set_language(was)


async def test_the_main_screens_other_states_in_chinese_have_no_english_sentence(tmp_path, in_chinese):
    (tmp_path / "ckpt.json").write_text("{}")  # someone else's file where the session saves: ctrl+s asks first
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    english: dict[str, list[str]] = {}
    wide: dict[str, list[str]] = {}

    def read(state: str) -> list[str]:
        lines = screen_lines(app)
        found = [run for line in lines for run in english_runs(line)]
        if found:
            english[state] = found
        if [line for line in lines if cell_len(line) != SIZE[0]]:
            wide[state] = lines
        return lines

    event = lambda: in_english(app.lab.session.event)  # noqa: E731  (what was said, read in English)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        await settled(pilot)
        read("a step's note")

        await keys(pilot, "p", "e")  # the quiz, a guess revealed
        await settled(pilot)
        read("quiz: revealed")
        await keys(pilot, "right", "number_sign")  # a character the vocabulary lacks
        await settled(pilot)
        assert "“#”" in "\n".join(read("quiz: not in the vocabulary"))
        await keys(pilot, "escape")  # its score, on the status line
        await settled(pilot)
        assert event().startswith("predict, then reveal: you 1/1")
        read("quiz: the score")

        await keys(pilot, "s")  # a whole sample and its note
        await until(pilot, lambda: event().startswith("sampled"))
        await settled(pilot)
        read("a sample's note")
        await keys(pilot, "left", "f")  # the force-a-character dialog, and a character it refuses
        await settled(pilot)
        await keys(pilot, "number_sign", "enter")
        await settled(pilot)
        assert "#" in "\n".join(read("force a character: refused"))
        await keys(pilot, "escape")
        await settled(pilot)

        await keys(pilot, "comma", "space")  # the past, then the fork dialog
        await settled(pilot)
        assert app.screen.query("#fork-dialog")
        read("fork")
        await keys(pilot, "escape", "full_stop")
        await settled(pilot)
        read("back to now")

        await app.run_action("goto_step")  # the palette's "go to step…"
        await settled(pilot)
        await keys(pilot, "9", "9", "enter")  # not a step of the run
        await settled(pilot)
        assert app.screen.query("#goto-dialog")
        read("go to step: refused")
        await keys(pilot, "escape")
        await settled(pilot)

        await keys(pilot, "ctrl+s")
        await settled(pilot)
        assert app.screen.query("#overwrite-dialog")
        read("replace the checkpoint?")
        await keys(pilot, "y")  # replaced: said on the status line in zh, not in a toast
        await settled(pilot)
        assert event().startswith("saved step 1") and not app._notifications
        read("saved")
        await keys(pilot, "right_square_bracket")  # a key that does nothing here: the reason why
        await settled(pilot)
        assert event().startswith("this model has one layer")
        read("the reason a key does nothing")

        await keys(pilot, "d")  # before the step's update: the table of what it did
        await settled(pilot)
        read("what the step did")
        await keys(pilot, "z")  # and ablated
        await settled(pilot)
        read("ablated before the update")
        await keys(pilot, "u")
        await settled(pilot)
        read("interventions undone")
    assert english == {}, "\n".join(f"{state}: {runs}" for state, runs in english.items())
    assert wide == {}


async def test_a_switch_says_the_note_the_table_title_and_the_tags_again_in_the_other_language(tmp_path, in_chinese):
    """Nothing said is kept translated: the step's note, the table's title and the panels' tags follow a switch
    both ways with the same figures (a switch to zh says the input-method note, so the note is read in en)."""
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "space", "d")
        await settled(pilot)
        chinese = "\n".join(screen_lines(app))
        assert "第 1 步更新之前" in chinese and "参数 parameters · 第 1 步做了什么" in chinese
        assert "下一个 · 第 1 步之前" in chinese
        app.switch_language("en")
        await settled(pilot)
        english = screen_lines(app)
        assert english[1].startswith(" before step 1's update (its result behind the bars)")
        assert "parameters · what step 1 did" in "\n".join(english) and "next · before step 1" in "\n".join(english)
        app.switch_language("zh")
        await settled(pilot)
        again = "\n".join(screen_lines(app))
        assert "参数 parameters · 第 1 步做了什么" in again and "下一个 · 第 1 步之前" in again


async def test_the_settings_dialog_says_its_hints_and_buttons_in_the_language_its_own_row_chose(tmp_path, in_chinese):
    language.set_language("en")
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "o")
        await settled(pilot)
        assert "Adam's step size; decays linearly to 0" in "\n".join(screen_lines(app))
        app.screen.query_one("#set-language", Select).value = "zh"
        await settled(pilot)
        assert language.current() == "zh"
        lines = screen_lines(app)
        assert "Adam 的步长；线性衰减到 0" in "\n".join(lines) and "设置：下一轮训练" in lines[0]
        assert [run for line in lines for run in english_runs(line)] == []


def test_a_note_is_its_english_and_is_said_again_in_the_language_of_the_moment(in_chinese):
    note = Said("{note}; training continues from step {step}", note=Said("back to now: step {now}", now="3"), step=2)
    assert note == spoken(note) == "回到现在：第 3 步；训练从第 2 步继续"  # (its text: in the language it was said in)
    language.set_language("en")
    assert spoken(note) == "back to now: step 3; training continues from step 2"
    copied = pickle.loads(pickle.dumps(note))  # (made again from its template and fields: in English now)
    assert copied == spoken(note) and copied.template == note.template
