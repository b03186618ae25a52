"""The guided tour (t): driven by the keys it asks for; its panel highlights; skipping; the first-launch offer."""

import json

from app_helpers import make_app, palette_searched, press_sent, trained, until, wait_until, widget_text
from quick_pilot import keys
from rich.text import Text

from microgpt_tui import texts, user_state
from microgpt_tui.features.tour.guide import Tour
from microgpt_tui.features.tour.panel import TourPanel
from microgpt_tui.panels import TOUR_FOCUS
from microgpt_tui.texts import PANELS

SIZE = (120, 40)
PILOT_KEYS = {"→": "right", "+": "plus"}  # the key a step shows -> the key Pilot presses


def words(text):
    return " ".join(text.split())


def tour_text(app):
    """The tour panel's text on screen, borders and line breaks removed."""
    lines = widget_text(app.main.query_one(TourPanel)).splitlines()
    return words(" ".join(line.strip("┃ ") for line in lines[1:-1]))


def highlighted(app):
    return [pid for pid in PANELS if app.main.query_one(f"#{pid}").has_class(TOUR_FOCUS)]


def assert_showing(app, index):
    """The tour shows step `index`: its title, its text with this session's figures, its panel highlighted."""
    step = texts.TOUR[index]
    assert app.lab.touring.tour.index == index
    panel = app.main.query_one(TourPanel)
    assert panel.border_title == f"tour {index + 1}/{len(texts.TOUR)} · {step.title}"
    body = Text.from_markup(texts.fill(step.body, app.lab.reference.facts())).plain
    assert words(body) in tour_text(app)
    assert highlighted(app) == ([step.panel] if step.panel else [])


async def test_the_whole_tour_driven_by_the_keys_it_asks_for_ends_in_an_ordinary_session():
    app = make_app(steps=100_000, sample_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()  # the bigram baseline, quoted by the tour
        await keys(pilot, "t")
        assert "“" + app.lab.sequence.text + "” becomes [BOS] " in words(
            Text.from_markup(texts.fill(texts.TOUR[1].body, app.lab.reference.facts())).plain
        )
        for index, step in enumerate(texts.TOUR):
            assert_showing(app, index)
            key = PILOT_KEYS.get(step.key, step.key)
            if step.on == ("run",):  # (sent, no settle: a settle waits for an idle CPU, which a run never leaves)
                await press_sent(pilot, key)
                assert app.lab.mode == "training"
                await until(pilot, lambda: app.lab.trainer.step_count >= 5)
                continue
            await keys(pilot, key)
            if step.on == ("paused",):
                await wait_until(pilot, lambda: app.lab.mode == "paused")
            elif step.on == ("sample",):  # the sample the tour asked for, drawn to its end before the next key
                await wait_until(pilot, lambda: app.lab.drawing.samples.entries and app.lab.mode == "paused")
            if index == 2:
                assert app.lab.trainer.step_count == 1  # space took exactly one step
        assert app.lab.touring.tour is None
        assert not app.main.query(TourPanel) and highlighted(app) == []
        assert app.lab.event == texts.TOUR_FINISHED
        await wait_until(pilot, lambda: app.lab.drawing.samples.entries)  # the sample the tour asked for
        steps = app.lab.trainer.step_count
        assert steps == len(app.lab.history) and steps > 1
        assert f"step {steps:,}/100,000" in widget_text(app.main.query_one("#status"))
        assert (
            app.lab.selection.temperature == 0.6 and app.lab.selection.head == 1
        )  # what the learner pressed stays pressed
        await keys(pilot, "space")  # an ordinary session: keys do what they always do
        assert app.lab.trainer.step_count == steps + 1


async def test_escape_ends_the_tour_anywhere_and_t_starts_it_again():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "right")
        assert_showing(app, 2)
        await pilot.press("escape")
        assert app.lab.touring.tour is None and not app.main.query(TourPanel) and highlighted(app) == []
        assert app.lab.event == texts.TOUR_ENDED.format(at=3, total=len(texts.TOUR))
        assert app.lab.trainer.step_count == 0
        await pilot.press("t")
        assert_showing(app, 0)


async def test_enter_moves_on_where_the_tour_waits_for_a_key_and_backspace_goes_back():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "right")
        assert_showing(app, 2)
        assert "press space (or enter to read on)" in tour_text(app)
        await pilot.press("enter")  # step 3 asks for space; enter reads on without it
        assert_showing(app, 3)
        assert app.lab.trainer.step_count == 0
        await pilot.press("backspace", "backspace")
        assert_showing(app, 1)
        await pilot.press("backspace", "backspace")  # no step before the first
        assert_showing(app, 0)


async def test_a_clicked_panel_does_not_stop_the_tour_from_hearing_the_keys():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "right")
        await pilot.click("#params")
        assert app.main.focused.id == "params"
        await pilot.press("space")  # an app key: heard whatever is focused
        assert_showing(app, 3)
        assert isinstance(app.main.focused, TourPanel)  # and the tour takes focus back


async def test_the_pause_step_is_not_skipped_when_training_finishes_by_itself_it_says_so():
    app = make_app(steps=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "enter", "right", "space", "enter", "l", "plus", "enter")
        assert_showing(app, 7)
        await pilot.press("r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert app.lab.trainer.done
        assert_showing(app, 8)  # 9/11, never a jump to 10/11
        assert "training has already stopped · press enter to go on" in tour_text(app)
        await pilot.press("enter")
        assert_showing(app, 9)


async def test_the_tour_starts_from_the_command_palette():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"tour")
        await palette_searched(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.lab.touring.tour is not None and app.main.query(TourPanel))
        assert_showing(app, 0)


async def test_the_first_launch_offers_the_tour_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    state = tmp_path / "microgpt-tui" / "state.json"
    app = make_app(offer_tour=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.lab.event == texts.OFFER
        assert "press L for the lessons" in widget_text(app.main.query_one("#status"))
        assert app.lab.touring.tour is None  # offered, not forced
        await pilot.press("t", "escape")
    assert json.loads(state.read_text()) == {"tour_offered": True, "tour_taken": True}
    again = make_app(offer_tour=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.lab.event.startswith("next document")


async def test_an_unreadable_state_file_still_offers_the_tour(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    state = tmp_path / "microgpt-tui" / "state.json"
    state.parent.mkdir()
    state.write_text("{not json")
    app = make_app(offer_tour=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.lab.event == texts.OFFER
    assert json.loads(state.read_text()) == {"tour_offered": True}


async def test_without_offer_tour_the_state_file_is_never_touched(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "escape")
        assert app.lab.event != texts.OFFER
    assert not (tmp_path / "microgpt-tui").exists()


def test_tour_moves_on_only_for_what_its_step_waits_for():
    tour = Tour(texts.TOUR)
    assert not tour.happened("step")  # the welcome only explains
    tour.next()
    assert not tour.happened("step") and tour.happened("move")
    assert tour.step.on == ("step",)
    while not tour.finished:
        tour.next()
    assert tour.step is None and not tour.happened("step")


def test_state_file_is_written_atomically_and_unreadable_reads_as_empty(tmp_path):
    path = tmp_path / "deep" / "state.json"
    assert user_state.load(path) == {}
    assert user_state.save(path, tour_offered=True)
    assert user_state.save(path, tour_finished=True)
    assert user_state.load(path) == {"tour_offered": True, "tour_finished": True}
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary files left
    path.write_text("[1, 2]")
    assert user_state.load(path) == {}
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert user_state.save(blocked / "state.json", x=1) is False  # a file where the directory should be


def test_state_file_lives_in_the_xdg_config_dir_or_home_config():
    assert str(user_state.default_path({"XDG_CONFIG_HOME": "/x"})) == "/x/microgpt-tui/state.json"
    assert user_state.default_path({}).parts[-3:] == (".config", "microgpt-tui", "state.json")


async def walk_with_enter(pilot, app):
    """Read the whole tour with enter alone: every step shows, in order, and none says a key does nothing."""
    seen = []
    while app.lab.touring.tour is not None:
        seen.append(app.lab.touring.tour.index)
        text = tour_text(app)
        assert "does nothing" not in text, text
        await pilot.press("enter")
    assert seen == list(range(len(texts.TOUR)))
    assert app.lab.event == texts.TOUR_FINISHED


async def test_the_tour_from_a_finished_run_explains_why_training_keys_wait_and_never_skips():
    app = make_app(steps=2)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        await pilot.press("t", "enter", "enter")
        assert_showing(app, 2)  # one training step: training is complete
        assert "training is complete" in tour_text(app) and "press enter to go on" in tour_text(app)
        await pilot.press("escape", "t")
        await walk_with_enter(pilot, app)


async def test_the_tour_started_while_sampling_or_with_all_heads_shown_works_step_by_step():
    for first in (("space", "s", "n"), ("space", "a")):
        app = make_app(sample_interval=3600)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*first)
            await pilot.press("t", "enter", "right")
            assert_showing(app, 2)
            await pilot.press("space")  # space trains even from a sample, and the tour hears it
            assert_showing(app, 3) and app.lab.trainer.step_count == 2
            await pilot.press("escape", "t")
            await walk_with_enter(pilot, app)


async def test_the_tour_from_step_0_read_with_enter_visits_every_step():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await walk_with_enter(pilot, app)


async def test_the_tour_started_with_the_forward_view_open_reads_on_with_enter_step_by_step():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "v")
        await pilot.pause()
        forward = app.screen
        assert forward is not app.main  # the forward-pass view is open
        await pilot.press("t")
        await pilot.pause()
        assert app.screen is app.main  # the tour points at the main panels: the view made way for them
        assert_showing(app, 0)
        titles = []
        while app.lab.touring.tour is not None:
            titles.append(app.main.query_one(TourPanel).border_title.split(" · ")[0])
            assert "does nothing" not in tour_text(app)
            await pilot.press("enter")
        assert titles == [f"tour {i}/{len(texts.TOUR)}" for i in range(1, len(texts.TOUR) + 1)]
        assert app.lab.event == texts.TOUR_FINISHED
