"""The probe (/): any name, read by the model as a training document, in its own table and in the panels."""

from app_helpers import landed, make_app, widget_text
from quick_pilot import fill, keys

from microgpt_tui.features.probe.reading import read_text
from microgpt_tui.features.probe.screen import ProbeScreen

SIZE = (120, 40)


def words(text):
    return " ".join(text.split())


def table(app):
    return words(widget_text(app.screen.query_one("#probe-table")))


async def typed(pilot, text):
    """/ and `text` in its field (as typing it would: the table follows the field's Changed message)."""
    await pilot.press("slash")
    await fill(pilot, "#probe-input", text)


async def test_typing_zoe_shows_three_characters_plus_bos_and_the_engines_loss():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await keys(pilot, "space", "space")
        await typed(pilot, "zoe")
        assert isinstance(app.screen, ProbeScreen)
        engine = app.lab.trainer.evaluate("zoe")
        tok = app.lab.trainer.tokenizer
        text = table(app)
        assert "reads ◆ z o e ◆" in text
        assert "ids " + " ".join(map(str, tok.document("zoe"))) in text
        rows = app.screen.view.rows
        assert [(r.input, r.next) for r in rows] == [("◆", "z"), ("z", "o"), ("o", "e"), ("e", "◆")]
        assert [r.p for r in rows] == [p.p_target for p in engine.positions]
        assert app.screen.view.loss == engine.loss
        assert f"loss {engine.loss:.3f} = the mean of the 4 −log p" in text
        assert f"bigram line ({app.lab.bigram:.2f})" in text
        await pilot.press("enter")  # back to the panels, which show the probe as a document
        assert not isinstance(app.screen, ProbeScreen)
        shown = app.lab.shown()
        assert shown.labels == ["◆", "z", "o", "e"] and shown.attention == engine.attention
        attention = widget_text(app.main.query_one("#attention"))
        assert "◆ z o e" in words(attention) and "probe" in attention
        assert f"loss {engine.loss:.3f}" in app.lab.status_note()


async def test_a_character_outside_the_vocabulary_is_explained_and_a_long_text_cropped_with_a_note():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await typed(pilot, "Zoë")
        text = table(app)
        assert "‘Z’, ‘ë’ are not in the vocabulary (the vocabulary has ‘z’)" in text
        assert "reads ◆ o ◆" in text
        assert app.screen.view.loss == app.lab.trainer.evaluate("o").loss
        await fill(pilot, "#probe-input", "abcdefghijklmnopqrst")  # the same box, another text
        assert "cropped to the first 16 characters (“abcdefghijklmnop”)" in table(app)
        assert len(app.screen.view.rows) == 16
        assert app.screen.view.loss == app.lab.trainer.evaluate("abcdefghijklmnop").loss


async def test_the_probe_follows_time_travel_and_ablations():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await keys(pilot, "space", "space", "space")
        await typed(pilot, "zoe")
        await pilot.press("escape", "comma")  # the model one step earlier
        await landed(pilot)
        assert app.lab.viewed_step == 2
        past = app.lab.time.view_at(2, "zoe")
        assert app.lab.shown().loss == past.loss and app.lab.shown().labels == ["◆", "z", "o", "e"]
        await pilot.press("slash")
        await pilot.pause()
        assert app.screen.view.loss == past.loss
        assert "seen through the lens: probe · step 2/3" in table(app)
        await pilot.press("escape", "u", "z")  # back to now, then head 0 off
        ablated = app.lab.trainer.evaluate("zoe", ablate=frozenset({(0, 0)}))
        assert app.lab.shown().loss == ablated.loss
        assert app.lab.probing.probe_view().loss == ablated.loss


async def test_the_palette_offers_the_probe():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "ask about a text (/)" in titles
        await pilot.press("space", "r")  # training pauses for the probe
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, ProbeScreen) and not app.lab.training


def test_read_text_keeps_the_vocabulary_and_says_what_it_left_out():
    from microgpt_engine import Tokenizer

    tok = Tokenizer("abc")
    assert read_text("abc", tok, 16) == ("abc", ())
    kept, notes = read_text("a-b", tok, 16)
    assert kept == "ab" and notes[0].startswith("‘-’ is not in the vocabulary: the model has no token for it")
    kept, notes = read_text("abcabc", tok, 4)
    assert kept == "abca" and "cropped to the first 4 characters" in notes[0]


def test_probe_screen_snapshot(snap_compare):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("space", "space", "slash", *"zoë")
        pilot.app.screen.query_one("#probe-input").cursor_blink = False  # (a blinking cursor is a flaky snapshot)
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)
