"""The glossary in the app: y, the palette, and the links from the explain screen, the tour and the help."""

from app_helpers import make_app, palette_searched, widget_text
from textual.command import CommandInput, CommandPalette

from microgpt_engine.ops import neg_log
from microgpt_tui.features.reference.glossary_screen import GlossaryScreen

SIZE = (120, 40)


def words(text):
    return " ".join(text.split())


def entry_text(app):
    return words(widget_text(app.screen.query_one("#glossary-text")))


def listed(app):
    return [str(option.prompt) for option in app.screen.query_one("#glossary-terms").options]


async def test_y_opens_the_glossary_and_typing_finds_a_term_with_this_sessions_figure():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("space", "space", "right", "y")
        assert isinstance(app.screen, GlossaryScreen)
        assert len(listed(app)) == len(app.lab.reference.glossary())
        await pilot.press(*"-log p")
        await pilot.pause()
        assert listed(app)[0] == "-log p"
        seq, pos = app.lab.shown(), app.lab.selection.position
        nll = neg_log(seq.probs[pos][seq.targets[pos]])
        text = entry_text(app)
        assert "loss_t = -probs[target_id].log()" in text  # microgpt's line
        assert f"this session: at position {pos}" in text and f"−log p {nll:.3f}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, GlossaryScreen)


async def test_arrows_move_through_the_matches_and_a_word_with_no_entry_says_so():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("y", *"head")
        await pilot.pause()
        first = listed(app)
        assert first[0] == "head" and entry_text(app).startswith("head One of 4 attention patterns")
        await pilot.press("down")
        assert entry_text(app).startswith(first[1])
        await pilot.press(*"xyzzy")
        await pilot.pause()
        assert listed(app) == [] and "no term matches" in entry_text(app)


async def test_the_explain_screen_and_the_tour_open_the_glossary_at_their_panels_term():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("space")
        app.main.query_one("#attention").focus()
        await pilot.press("i", "y")
        assert isinstance(app.screen, GlossaryScreen)
        assert entry_text(app).startswith("attention How a position gathers")
        await pilot.press("escape", "escape", "t", "enter")  # the tour's second step shows the attention panel
        await pilot.pause()
        await pilot.press("y")
        assert isinstance(app.screen, GlossaryScreen) and app.screen.selected == "attention"


async def test_the_help_lists_y_and_opens_the_glossary():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("question_mark")
        assert "glossary" in widget_text(app.screen.query_one("#help-table"))
        await pilot.press("y")
        assert isinstance(app.screen, GlossaryScreen)


async def test_the_palette_searches_the_glossary():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(CommandInput).value = "glossary: rmsnorm"  # (as a paste fills it: one search)
        await palette_searched(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen) and app.screen.selected == "RMSNorm"


def test_glossary_screen_snapshot(snap_compare):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("space", "space", "y", *"atten")
        pilot.app.screen.query_one("#glossary-search").cursor_blink = False  # (a blinking cursor is a flaky snapshot)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)
