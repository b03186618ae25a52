"""The runs, their comparison, the new-run question, recording, share codes and the replay player in 中文: the
states the walk of every screen (test_zh_every_screen.py) does not reach, with no English sentence left and
every line inside the terminal at 80x24, 120x40 and 200x60."""

import html
import re
import zlib

import pytest
from app_helpers import make_app, settled, until
from quick_pilot import fill
from rich.cells import cell_len
from textual.widgets import DataTable, Input

from microgpt_engine import Config, Trainer
from microgpt_tui import language
from microgpt_tui.core.views import HeldOut, RunsCompareView
from microgpt_tui.features.motion.loss_svg import Curve, loss_animation
from microgpt_tui.features.recording import codes
from microgpt_tui.features.recording import format as rec
from microgpt_tui.features.runs.compare_renderable import held_out_sentence
from microgpt_tui.features.runs.compare_screen import RunsCompareScreen
from microgpt_tui.features.runs.new_run_screen import NewRunScreen
from microgpt_tui.features.runs.origins import origin_words
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.replay import Player, ReplayApp
from microgpt_tui.switching import retranslate
from tests.untranslated import english_runs, screen_lines

SIZES = [(80, 24), (120, 40), (200, 60)]
DOCS = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail"] * 5


async def english_or_wider(pilot, allowed=()) -> dict[str, list[str]]:
    """At each size: the English sentences the screen on top shows, and its lines and border titles that do not fit."""
    app, found = pilot.app, {}
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await pilot.pause()
        shown = screen_lines(app)
        english = [run for line in shown for run in english_runs(line, allowed)]
        wide = [line for line in shown if cell_len(line) != width]
        titles = [
            str(w.border_title)
            for w in app.screen.query("*")
            if w.border_title and w.region.width and cell_len(str(w.border_title)) > w.region.width - 2
        ]
        if english or wide or titles:
            found[f"{width}x{height}"] = english + wide + titles
    return found


def note_english(app) -> list[str]:
    """The English sentences of the status line's note and of the toasts."""
    said = [app.lab.session.event, *(n.message for n in app._notifications), *(n.title for n in app._notifications)]
    return [run for text in said for run in english_runs(text)]


async def test_two_runs_their_comparison_and_the_new_run_question_in_chinese(tmp_path, in_chinese):
    app = make_app(tmp_path, steps=6, state_path=tmp_path / "state.json", config={"n_embd": 8})
    names = ["run 0", "run 1"]  # (the runs' names are the learner's: kept as they are)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await settled(pilot)
        await pilot.press("o")
        await pilot.pause()
        await fill(pilot, "#set-lr", "0.05")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewRunScreen)  # (one step not saved: asked first)
        assert await english_or_wider(pilot) == {}
        language.set_language("en")
        retranslate(app)
        await pilot.pause()
        assert "start a new run?" in "".join(screen_lines(app)) and "Stay (esc)" in "".join(screen_lines(app))
        language.set_language("zh")
        retranslate(app)
        await pilot.pause()
        assert await english_or_wider(pilot) == {}
        await pilot.press("y")
        await settled(pilot)
        assert note_english(app) == [] and "run 1" in app.lab.session.event
        await pilot.press("space", "w")
        await settled(pilot)  # (the held-out names measured)
        assert isinstance(app.screen, RunsScreen)
        assert app.screen.query_one(DataTable).row_count == 2
        assert await english_or_wider(pilot, names) == {}
        language.set_language("en")
        retranslate(app)
        await pilot.pause()
        assert "runs of this session" in screen_lines(app)[0] and "differs from run 0" in "".join(screen_lines(app))
        language.set_language("zh")
        retranslate(app)
        await pilot.pause()
        assert "本次会话的各轮训练" in screen_lines(app)[0] and "与第 0 轮的不同" in "".join(screen_lines(app))
        await pilot.press("c")
        await settled(pilot)
        assert isinstance(app.screen, RunsCompareScreen)
        assert app.screen.view.held_out is not None  # (the sentence that says which run is lower)
        assert await english_or_wider(pilot, names) == {}
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        title = screen_lines(app)[1]  # (the plot's title on one line: plotext counts a Chinese character as one cell)
        assert "每步平均损失" in title and title.rstrip(" │").endswith(f"bigram {app.lab.bigram:.2f}")
        language.set_language("en")  # (switched while it is open: every word again, in the other language)
        retranslate(app)
        await pilot.pause()
        assert "back to the runs" in "".join(screen_lines(app)) and "回到" not in "".join(screen_lines(app))
        language.set_language("zh")
        retranslate(app)
        await pilot.pause()
        await pilot.press("escape", "n")
        await pilot.pause()
        await fill(pilot, "#runs-input", "")
        await pilot.press("enter")  # (an empty name is refused, and the note says so)
        await pilot.pause()
        assert app.lab.session.event == "一轮的名字不能为空"
        saved = str(tmp_path / "run-0.json")
        for key, note in (
            ("s", "已把 run 0（第 1 步，连同它 1 步的损失曲线）保存到"),
            ("l", "已载入 run 0，在第 1 步，连同它 1 步的损失曲线"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert english_runs(str(app.screen.query_one("#runs-input", Input).placeholder)) == []
            await fill(pilot, "#runs-input", saved)
            await pilot.press("enter")
            await settled(pilot)
            assert app.lab.session.event.startswith(note) and note_english(app) == []
        await pilot.press("escape", "ctrl+l")  # (the live run started from its settings: its code, or why not)
        await pilot.pause()
        assert note_english(app) == []


async def test_the_replay_player_says_what_it_does_in_chinese(tmp_path, in_chinese):
    header = rec.Header(Config(n_embd=8, n_head=2, steps=10), "fused", rec.DataIdentity("x", 0, "0" * 64), (100, 30))
    events = [e for n in (1, 2, 3) for e in (rec.Event(n, "key", "space", " "), rec.Event(n, "steps", n))]
    recording = rec.Recording(header, tuple(events))
    app = ReplayApp(
        Trainer(DOCS, header.config), docs=DOCS, save_path=tmp_path / "r.json", show_timing=False,
        state_path=tmp_path / "state.json", player=lambda app: Player(app, recording, speed=0, seek_key=2),
    )  # fmt: skip
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.player.paused and app.player.keys == 2)
        await pilot.pause()
        toasts = [n.message for n in app._notifications]
        assert any("回放中" in t for t in toasts) and any("已在第 2 个按键前暂停" in t for t in toasts)
        await pilot.press("minus")
        await pilot.pause()
        assert "速度 ×1" in [n.message for n in app._notifications]
        await pilot.press("space")
        await until(pilot, lambda: app.player.done)
        await pilot.pause()
        toasts = [n.message for n in app._notifications]
        assert any("回放结束（3 个按键）" in t for t in toasts)
        assert [run for t in toasts for run in english_runs(t)] == []  # (the status line is the replayed app's)


def test_a_runs_origin_is_kept_in_english_and_shown_in_chinese(in_chinese):
    forked = "forked at step 1,500 with lr 0.1 (was 0.01), 300 steps in all (was 100); continued at step 300 to 400"
    shown = "在第 1,500 步分叉，改为 lr 0.1（原为 0.01），共 300 步（原为 100）；在第 300 步继续训练到 400 步"
    assert origin_words(forked) == shown
    assert english_runs(origin_words("preset: counts of which character follows which; no weights, no training")) == []
    assert english_runs(origin_words("the steps a fork of my first run at step 12 replaced"), ["my first run"]) == []
    language.set_language("en")
    assert origin_words(forked) == forked


def test_the_held_out_sentence_says_the_lower_run_in_chinese_word_order(in_chinese):
    class Row:
        def __init__(self, name):
            self.name, self.measurable = name, True

    view = RunsCompareView((Row("a"), Row("b")), (), (), (), HeldOut((2.5, 2.25), 40, 50))
    lower = "在两轮都没训练过的 40 个留出名字 (held-out) 上，b 的损失 (loss) 低 0.2500（2.250，a 为 2.500）"
    assert held_out_sentence(view) == lower


def signed(body: str) -> str:
    return f"{body}_c{zlib.crc32(body.encode()) & 0xFFFF:04x}"


@pytest.mark.parametrize(
    "code",
    ["xx1_s5_c0000", "mg1_s5_c0000", signed("mg1_s2000"), signed("mg1_s5_v9"), signed("mg1_z0.7"), signed("mg1_k3"),
     signed("mg1_s3_s4"), signed("mg1_wq"), signed("mg1_Dmfrgg"), "mg1_" + "s1_" * 400],
)  # fmt: skip
def test_a_bad_share_code_says_why_in_chinese(code, in_chinese):
    with pytest.raises(codes.CodeError) as caught:
        codes.parse(code)
    assert english_runs(str(caught.value)) == [] and "代码" in str(caught.value)


HEADER = rec.Header(Config(n_embd=8, n_head=2, steps=10), "fused", rec.DataIdentity("x", 0, "0" * 64), (80, 24))
GOOD_HEAD = rec.dumps(HEADER, []).split("\n")[0]


@pytest.mark.parametrize(
    "text",
    [b"", b"\xff", '{"format": "x"}\n', GOOD_HEAD + "\n", GOOD_HEAD + '\n{"t": 1, "key": "k!"}\n',
     GOOD_HEAD + '\n{"t": 1, "mouse": ["down", 1, 99999, 0, 0]}\n', GOOD_HEAD + '\n{"t": 2}\n{"t": 1, "end": 0}\n',
     GOOD_HEAD + '\n[1]\n', GOOD_HEAD.replace('"version":1', '"version":99') + "\n"],
)  # fmt: skip
def test_a_broken_recording_says_why_in_chinese(text, in_chinese):
    with pytest.raises(rec.RecordingError) as caught:
        rec.loads(text)
    said = str(caught.value)
    assert english_runs(said) == [] and any("\u4e00" <= c <= "\u9fff" for c in said), said


def test_the_loss_animations_words_in_chinese(in_chinese):
    curve = Curve([1, 2, 3], [3.3, 3.1, 2.9], [3.3, 3.2, 3.1], 50, "run 0: names.txt", uniform=3.3, bigram=2.5)
    svg = loss_animation(curve, 3)
    words = [html.unescape(text) for text in re.findall(r"<(?:title|text)[^>]*>([^<]*)<", svg)]
    assert "训练步" in words and "第 3 步：损失 (loss) 2.9000，最近 3 步的平均 3.1000" in words
    assert [run for text in words for run in english_runs(text, ["run 0: names.txt"])] == []
