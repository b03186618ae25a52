"""The reference screens in 中文 where the walk of every screen does not reach: each panel's explanation (i), every
glossary entry and its search in both languages, the code view's sections and the values it lights for each panel
and for the forward view's stage. No English sentence is left (code excepted) and every line fits the terminal."""

from rich.cells import cell_len
from textual.command import CommandList
from textual.widgets import OptionList

from microgpt_engine import Config, Trainer
from microgpt_engine.textbook_file import TEXTBOOK
from microgpt_tui import language, texts
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.reference import glossary
from microgpt_tui.features.reference.code_screen import CodeScreen
from microgpt_tui.features.reference.explain_screen import ExplainScreen
from microgpt_tui.features.reference.glossary_screen import GlossaryScreen
from microgpt_tui.switching import retranslate
from tests.app_helpers import DOCS, make_app, palette_searched, settled
from tests.quick_pilot import fill, keys, palette_typed
from tests.untranslated import code_fragments, english_runs, screen_lines

CODE = TEXTBOOK.read_text()


def english_shown(app, allowed=()) -> list[str]:
    """The English sentences on screen; every line is the terminal's width (nothing spills out of it)."""
    lines = screen_lines(app)
    assert all(cell_len(line) == app.size.width for line in lines)
    return [run for line in lines for run in english_runs(line, allowed)]


def options(app, selector: str) -> list[str]:
    return [option.id for option in app.screen.query_one(selector, OptionList).options]


async def test_every_explanation_and_glossary_entry_in_chinese_and_the_glossary_found_by_either_name(
    tmp_path, in_chinese
):
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "space", "s")  # (a step and a sample: their figures are in the texts)
        await settled(pilot)
        await keys(pilot, "i")  # no panel focused: the chooser, every panel in turn
        await settled(pilot)
        assert isinstance(app.screen, ExplainScreen)
        seen = []
        for _ in texts.PANELS:
            seen.append(app.screen.shown)
            assert english_shown(app) == [], app.screen.shown
            await keys(pilot, "down")
        assert seen == list(texts.PANELS)
        assert "含义" in app.screen.query_one("#explain-body").border_title

        await keys(pilot, "y")  # the glossary over the explanation, then every entry in turn
        await settled(pilot)
        assert isinstance(app.screen, GlossaryScreen)
        terms = options(app, "#glossary-terms")
        assert len(terms) == len(app.lab.reference.glossary())
        for index, name in enumerate(terms):
            app.screen.query_one("#glossary-terms", OptionList).highlighted = index
            await pilot.pause()
            entry = next(e for e in app.screen.entries if e.name == name)
            assert app.screen.selected == name
            assert english_shown(app, code_fragments(entry.code)) == [], name

        for typed in ("注意力", "attention"):  # the Chinese or the English name finds the term first
            await fill(pilot, "#glossary-search", typed)
            await settled(pilot)
            assert options(app, "#glossary-terms")[0] == "attention" and app.screen.selected == "attention", typed
        shown = str(app.screen.query_one("#glossary-terms", OptionList).get_option_at_index(0).prompt)
        assert shown == "注意力 attention"

        await keys(pilot, "escape", "escape")
        await palette_typed(pilot, "注意力")  # the palette finds the glossary's entry by its Chinese name
        await palette_searched(pilot)
        hits = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert any("术语表：注意力 attention" in hit for hit in hits), hits
        await keys(pilot, "escape")

        await keys(pilot, "i", "y")  # a switch to English redraws the glossary and the explanation under it
        await settled(pilot)
        language.set_language("en")
        retranslate(app)
        await pilot.pause()
        assert app.screen.query_one("#glossary-body").border_title == "glossary"
        await fill(pilot, "#glossary-search", "attention")  # in English, the English name finds it, listed in English
        await settled(pilot)
        assert options(app, "#glossary-terms")[0] == "attention"
        shown = str(app.screen.query_one("#glossary-terms", OptionList).get_option_at_index(0).prompt)
        assert shown == "attention"
        await keys(pilot, "escape")
        assert isinstance(app.screen, ExplainScreen)
        assert app.screen.query_one("#explain-body").border_title.startswith("what it means: ")
        assert "choose a panel" in app.screen.query_one("#explain-body").border_subtitle


async def test_every_section_of_the_code_view_and_every_panels_values_in_chinese(tmp_path, in_chinese):
    app = make_app(tmp_path, state_path=tmp_path / "state.json", config={"n_embd": 8})
    code = code_fragments(CODE)  # (the code's box is 116 wide at most: a long line of code folds)
    async with app.run_test(size=(200, 60)) as pilot:
        await keys(pilot, "space", "space", "s")
        await settled(pilot)
        for pid in texts.PANELS:  # each panel's lines lit with its values, in Chinese
            view = app.lab.reference.code_view(pid)
            lit = [value for listing in view.listings for line in listing.lines for value in line.values]
            assert lit and english_runs("\n".join(lit)) == [], pid
        app.main.query_one("#params").focus()
        await keys(pilot, "k")
        await settled(pilot)
        assert isinstance(app.screen, CodeScreen) and app.screen.shown == "adam"
        listed = [str(option.prompt) for option in app.screen.query_one("#code-sections", OptionList).options]
        assert len(listed) == 6 and not any(name.islower() for name in listed), listed  # (not the keys: Chinese)
        words = [(listing.title, listing.note) for listing in app.screen.view.listings]
        assert english_runs(str(words)) == []  # (what is not code: checked whole, not in part)
        for index, key in enumerate(app.screen.keys):  # every section on screen, in turn
            app.screen.query_one("#code-sections", OptionList).highlighted = index
            await pilot.pause()
            assert app.screen.shown == key
            assert english_shown(app, code) == [], key
            assert "代码" in app.screen.query_one("#code-body").border_title
        await keys(pilot, "escape")
        await settled(pilot)
        await keys(pilot, "v", "k")  # from the forward view: the stage's lines, its vector beside them
        await settled(pilot)
        assert isinstance(app.screen, CodeScreen) and app.screen.follow_stage
        assert english_shown(app, code) == []
        assert "前向视图" in app.screen.query_one("#code-body").border_subtitle
        language.set_language("en")  # a switch redraws the open code view
        retranslate(app)
        await pilot.pause()
        assert app.screen.query_one("#code-body").border_title.startswith("the code: ")
        assert "the forward view" in app.screen.query_one("#code-body").border_subtitle


# The issue's Chinese terms, and the entry each finds first in zh (its name, or its text for the ones the English
# glossary has as aliases: autograd, multi-head, residual connection, cross-entropy).
ISSUE_TERMS_ZH = {
    "分词器": "token", "自微分": "backward", "词表": "vocabulary", "词嵌入": "embedding",
    "位置嵌入": "position embedding", "注意力": "attention", "多头注意力": "head", "残差连接": "residual stream",
    "损失": "loss", "交叉熵": "loss", "参数": "parameter", "梯度": "gradient", "反向传播": "backward",
    "学习率": "learning rate schedule", "温度": "temperature", "优化器": "Adam", "归一化": "RMSNorm",
}  # fmt: skip


def test_each_chinese_term_of_the_issue_finds_its_entry_first(in_chinese):
    lab = Lab(Trainer(DOCS, Config(steps=10, seed=42)), DOCS)
    lab.begin()
    lab.step()
    entries = lab.reference.glossary()
    found = {word: glossary.search(entries, word)[0].name for word in ISSUE_TERMS_ZH}
    assert found == ISSUE_TERMS_ZH
