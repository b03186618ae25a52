"""Work the app leaves undone when it would change nothing on screen: a second styling of what it just styled, a
look at a screen that was not updated since the last look."""

from app_helpers import make_app, restyles
from textual.widgets._footer import FooterKey

from microgpt_tui.features.motion import capture
from microgpt_tui.features.panels.attention_panel import AttentionPanel

TINY = {"n_embd": 8, "n_head": 2}


async def test_at_its_start_the_app_styles_each_key_of_the_bar_once_and_the_panels_for_their_size(monkeypatch):
    """The key bar's keys are composed with their -compact class (Textual's watcher added it after their first
    styling: a second styling of each), and the main screen has its size's classes before its panels mount (set
    on mount, -narrow restyled the whole screen). The snapshots show that what is drawn is the same."""
    app = make_app(config=TINY)
    restyled = restyles(app, monkeypatch)  # (from before the first screen: every restyle of the start)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = app.main.query(FooterKey)
        assert len(keys) > 10 and all(key.has_class("-compact") for key in keys)
        assert not [node for node in restyled if isinstance(node, FooterKey)]
        assert app.main.has_class("-narrow")
        attention = app.main.query_one(AttentionPanel)
        assert restyled.count(attention) <= 1  # (Textual restyles a screen as it comes on top; -narrow added another)


async def test_the_frame_capture_takes_the_screen_only_after_an_update_was_shown(monkeypatch):
    app = make_app(config=TINY)
    taken = []
    grab = capture.grab

    def counted(app, seconds):
        taken.append(seconds)
        return grab(app, seconds)

    monkeypatch.setattr(capture, "grab", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        looks = app.frame_capture
        looks.look()  # (whatever the timer took: from here on, nothing was shown since this look)
        before = len(taken)
        looks.look()
        looks.look()
        assert len(taken) == before  # nothing shown since: the same screen, not taken again
        await pilot.press("space")
        await pilot.pause()
        looks.look()
        assert len(taken) > before  # (taken by this look, or by the timer's since the key)
        assert "step 1/40" in app.lab.motion.ring.recent(app.lab.motion.clock())[-1].text
