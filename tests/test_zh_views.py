"""The forward view, the matrix heatmap, the autograd graph, the embedding map and the probe in 中文.

The walk of every screen (test_zh_every_screen.py) opens each view once; these open the states it does not
reach: every forward stage selected, a sampled character's temperature, every quantity of the heatmap and a
nudge check, graph nodes opened, a logit and a weight as the root, a mistyped weight, the embedding map's
notes, a probe with characters outside the vocabulary and one too long. Each screen in each state shows no
English sentence (tests/untranslated.py) and keeps every line inside the terminal. Snapshots of the forward
view at 80x24 and 120x40 show how it reads.
"""

import math
import re
from functools import partial

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.widgets import Input

from microgpt_engine import Trainer
from microgpt_engine.insight.forward_trace import TITLES
from microgpt_tui import language
from microgpt_tui.features.embeddings.scatter import TokenScatter
from microgpt_tui.features.forward.strips import STAGE_TITLES
from microgpt_tui.features.graph.tree import GraphTree
from microgpt_tui.styled_text import styled
from microgpt_tui.texts import NODE_KINDS
from tests.app_helpers import make_app, panel, settled, wait_until
from tests.quick_pilot import fill, keys
from tests.untranslated import english_runs, screen_lines


def chinese_app(tmp_path, **config):
    return make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8, **config})


def english_shown(app, size, allowed=(), skip=()) -> list[str]:
    """The English sentences the screen on top shows (and any line wider than the terminal), leaving out the
    rows of the widgets `skip` names (another area's words, such as the main screen's step note)."""
    rows = {y for name in skip for w in app.screen.query(name) for y in range(w.region.y, w.region.bottom)}
    lines = [line for y, line in enumerate(screen_lines(app)) if y not in rows]
    wide = [line for line in lines if cell_len(line) != size[0]]
    return [run for line in lines for run in english_runs(line, allowed)] + wide


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def squeezed(text: str) -> str:
    """`text` without its spaces and box edges: a sentence as it reads across the lines it is wrapped over."""
    return "".join(text.replace("│", "").split())


async def probe(pilot, text):
    """Type `text` into the probe and go back: the status note is the probe's own."""
    await keys(pilot, "slash", *text, "enter")
    await settled(pilot)


def test_the_stage_titles_are_the_engines_words():
    """The view draws the stages' titles from its own marked table: the same English as the engine's."""
    assert STAGE_TITLES == TITLES


def test_a_styled_sentence_keeps_each_fields_style_wherever_the_translation_puts_it():
    text = styled("{b}：{a:,} 之后", "dim", a=(1234, "bold"), b=Text("x", style="red"))
    assert text.plain == "x：1,234 之后"
    assert [(text.plain[s.start : s.end], str(s.style)) for s in text.spans] == [
        ("x", "red"),
        ("：", "dim"),
        ("1,234", "bold"),
        (" 之后", "dim"),
    ]


def test_every_stage_title_and_node_kind_reads_in_chinese(in_chinese):
    for english in [*STAGE_TITLES.values(), *NODE_KINDS.values()]:
        assert english_runs(language._(english)) == [], english
        assert language._(english) != english


async def test_the_forward_view_in_chinese_at_every_stage_and_for_a_sample(tmp_path, in_chinese):
    size = (120, 40)
    app = chinese_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "space")
        await probe(pilot, "anna")
        await keys(pilot, "v", "right")
        await settled(pilot)
        stages = len(app.lab.forward.view().trace.stages)
        seen = []
        for index in range(stages):
            assert english_shown(app, size) == [], app.lab.forward.view().trace.stages[index].name
            seen.append(app.screen.query_one("#forward-details").render().plain)
            await keys(pilot, "down")
            await settled(pilot)
        assert "词嵌入 (token embedding)" in seen[0] and "第 0 层" in screen_text(app)
        assert "p(下一个 n)" in screen_text(app)
        await keys(pilot, "escape", "s")  # a sample: its probabilities at a temperature
        await wait_until(pilot, lambda: app.lab.rules.shown() is not None and app.lab.rules.shown().kind == "sample")
        await keys(pilot, "v")
        await wait_until(pilot, lambda: "以温度" in screen_text(app))
        assert english_shown(app, size, skip=["#forward-note"]) == []  # (the note is the main screen's)


async def test_the_matrix_in_chinese_every_quantity_and_the_nudge_check(tmp_path, in_chinese):
    size = (80, 24)
    app = chinese_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "m", "n")  # no step yet: no gradient, and the nudge check says why not
        await settled(pilot)
        assert "微调检验需要上一步的梯度" in app.lab.session.event
        await keys(pilot, "m")
        await settled(pilot)
        assert "还没有梯度" in screen_text(app)
        await keys(pilot, "escape", "space", "m")
        await settled(pilot)
        for _ in range(5):  # weights, gradient, update, Adam's m and v
            assert english_shown(app, size) == [], app.lab.matrices.kind
            await keys(pilot, "m")
            await settled(pilot)
        await keys(pilot, "g", "n")
        await settled(pilot)
        side = app.screen.query_one("#matrix-side").render().plain
        assert "微调 ±h" in side and "斜率" in side and english_shown(app, size) == []
        note = app.lab.session.event
        assert note.startswith("把 wte[") and english_runs(note) == []
        await keys(pilot, "right_square_bracket")  # the next matrix
        await settled(pilot)
        assert english_shown(app, size) == []


async def test_the_graph_in_chinese_nodes_roots_and_mistyped_weights(tmp_path, in_chinese):
    size = (120, 40)
    app = chinese_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "g")  # no step yet: the status line says what to press
        await settled(pilot)
        assert "还没有可显示的计算图" in app.lab.session.event
        await keys(pilot, "space", "g")
        await settled(pilot)
        assert "根：损失 (loss)" in screen_text(app)
        # Open the loss, a cross-entropy, a logit and what it was computed from: each node's explanation.
        for key in ["enter", "down", "enter", "down", "enter", "down", "down", "enter", "down", "down"]:
            await keys(pilot, key)
            await settled(pilot)
            assert english_shown(app, size) == [], key
        await keys(pilot, "o")
        await settled(pilot)
        assert app.screen.query_one("#graph-logits").border_title == "位置 0 的 logits"
        assert english_shown(app, size) == []
        await keys(pilot, "enter")
        await settled(pilot)
        assert "的 logit" in app.screen.query_one("#graph-title").render().plain
        assert english_shown(app, size) == []
        for typed, said in [
            ("wte[a,3]", "的那一行"),
            ("xy", "不是一个权重"),
            ("nope[1,2]", "没有名为"),
            ("wte[ab,0]", "或一个字符"),
            ("wpe[x,0]", "wpe 的行 'x'"),
            ("wte[0,99999999999999999999]", "的列"),
            ("wpe[0,99]", "没有 [0,99]"),
        ]:
            await keys(pilot, "w")
            await fill(pilot, "#graph-weight", typed)
            await keys(pilot, "enter")
            await settled(pilot)
            assert said in screen_text(app), typed
            assert english_shown(app, size, allowed=[typed]) == [], typed
            app.screen.query_one("#graph-weight", Input).value = ""
            app.screen.query_one(GraphTree).focus()  # (after a mistake the box keeps the keys: w would be typed)


async def test_the_plain_engines_graph_in_chinese(tmp_path, in_chinese):
    """The plain engine's graph (one Value per operation, built on a worker): its note, title and node kinds."""
    size = (120, 40)
    trainer_class = partial(Trainer, engine="plain")
    app = make_app(tmp_path, state_path=tmp_path / "state.json", trainer_class=trainer_class, config={"n_embd": 8})
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "space", "g")
        await settled(pilot)
        assert app.lab.session.event.startswith("第 1 步的计算图：") and "plain 引擎" in screen_text(app)
        for key in ["enter", "down", "enter", "down", "enter", "down", "enter", "down", "down", "enter", "down"]:
            await keys(pilot, key)
            await settled(pilot)
            assert english_shown(app, size) == [], key


def test_the_embedding_maps_notes_in_chinese(in_chinese):
    """A map too crowded for every token, and tokens at no finite place: the lines under the map."""
    crowded = [(chr(0x100 + i), (i % 7) / 7, (i // 7) / 7) for i in range(200)]  # (more tokens than cells)
    lost = [("a", math.inf, 0.0), ("b", 0.1, 0.2), ("c", 0.3, 0.1)]
    console = Console(width=40, record=True)
    console.print(TokenScatter(crowded, height=4))
    console.print(TokenScatter(lost, height=4))
    text = console.export_text()
    assert "个词元在原位附近没有空位" in text and "不是有限值" in text and english_runs(text) == []


async def test_the_embedding_map_in_chinese(tmp_path, in_chinese):
    size = (80, 24)
    app = chinese_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "space", "e")
        await settled(pilot)
        assert "解释方差" in app.screen.query_one("#embeddings-title").render().plain
        assert "元音" in app.screen.query_one("#embeddings-legend").render().plain
        assert english_shown(app, size) == []
        await keys(pilot, "space")  # redrawn after a step
        await settled(pilot)
        assert "第 2 步" in app.screen.query_one("#embeddings-title").render().plain


async def test_the_probe_in_chinese_with_characters_left_out_and_a_name_cropped(tmp_path, in_chinese):
    size = (80, 24)
    app = chinese_app(tmp_path, block_size=8)
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "space", "slash")
        await settled(pilot)
        assert english_shown(app, size) == []
        for typed, said in [
            ("Anna!", "不在词表 (vocabulary) 中（词表里有 ‘a’）"),
            ("abcdefghijk", "截取为前 8 个字符"),
        ]:
            app.screen.query_one("#probe-input").value = typed
            await settled(pilot)
            assert squeezed(said) in squeezed(screen_text(app)), typed
            assert english_shown(app, size, allowed=[typed]) == [], typed
        await keys(pilot, "enter")
        await settled(pilot)
        assert "探测“abcdefgh”" in panel(app, "#status") and english_runs(app.lab.session.event) == []


async def test_a_switch_of_language_redraws_the_open_view_in_its_words(tmp_path, in_chinese):
    """Switched while a view is open, it is drawn again at once in the new language, and back."""
    size = (120, 40)
    language.set_language("en")
    app = chinese_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await keys(pilot, "space")
        await settled(pilot)
        for pressed, english, chinese in [
            (["v"], "forward pass", "前向传播"),
            (["m"], "weights (after the update)", "权重 weights（更新后）"),
            (["g"], "autograd graph of step", "根：损失 (loss)"),
            (["e"], "explained variance", "解释方差"),
            (["slash", *"Anna"], "is not in the vocabulary", "不在词表"),
        ]:
            await keys(pilot, *pressed)
            await settled(pilot)
            assert english in screen_text(app), pressed
            app.switch_language("zh")
            await settled(pilot)
            assert chinese in screen_text(app), pressed
            assert english_shown(app, size, allowed=["Anna"], skip=["#forward-note"]) == [], pressed
            app.switch_language("en")
            await settled(pilot)
            assert english in screen_text(app) and re.findall("[\u4e00-\u9fff]+", screen_text(app)) == [], pressed
            await keys(pilot, "escape")
            await settled(pilot)
            assert app.screen is app.main


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_forward_view_in_chinese_snapshot(size, snap_compare, tmp_path, in_chinese):
    """A probe's forward pass (its note is the probe's own), the second position, a stage three rows down."""
    app = make_app(tmp_path, state_path=tmp_path / "state.json")

    async def run_before(pilot):
        await keys(pilot, "space", "space", "slash", *"anna", "enter", "v", "right", "down", "down", "down")

    assert snap_compare(app, run_before=run_before, terminal_size=size)
