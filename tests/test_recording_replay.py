"""A session recorded under Pilot, replayed headless: the same screens before every key, the same weights."""

from app_helpers import DOCS, handled, make_gated_app, press_sent, until
from recording_helpers import replayed, shown, weights
from textual import events

from microgpt_engine import Config, Trainer
from microgpt_tui.features.lessons.panel import LessonPanel
from microgpt_tui.features.recording import format as rec
from microgpt_tui.replay import Player, ReplayApp

SIZE = (100, 32)


async def test_a_recorded_session_replays_to_the_same_screens_and_weights(tmp_path):
    """Steps, a run paused wherever it is, a sample drawn by the timer, time travel, a head ablated, a run to the
    end and the measurement that lands after it: each key lands in the recorded state, so each screen matches."""
    app = make_gated_app(tmp_path, steps=40, config={"n_embd": 8, "n_head": 2}, sample_interval=0.02)
    lab, trainer = app.lab, app.lab.trainer
    lab.recording.path = tmp_path / "session.jsonl"  # (as --record FILE would say)
    screens = {}

    async def press(pilot, *names):
        """Each key, once the app is still (or only a held training step runs), its screen read first."""
        for name in names:
            await until(pilot, lambda: not [w for w in app.workers if w.group != "training"])
            screens[len(screens) + 1] = await shown(app)
            await press_sent(pilot, name)

    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "space", "ctrl+r", "space")  # ctrl+r starts recording (the file holds it all)
        trainer.hold()  # (the run's steps wait for permits: nothing moves while a screen is read and a key goes in)
        await press(pilot, "r")
        trainer.release(12)
        await until(pilot, lambda: trainer.step_count == 14 and trainer.waiting.is_set())
        await press(pilot, "r")  # a pause wherever the run's hand-overs are
        trainer.release()
        await until(pilot, lambda: lab.mode == "paused")
        await press(pilot, "s")  # a sample, drawn by the timer
        await until(pilot, lambda: not lab.drawing.auto)
        await press(pilot, "comma", "comma", "l", "z")  # time travel (a replay job), a head, ablated
        region = app.main.query_one("#params").region  # a click focuses the parameters: i explains them
        click = (region.x + 3, region.y + 2)
        for kind in (events.MouseDown, events.MouseUp):  # (at the app's door, as a terminal sends them)
            app.post_message(kind(None, *click, 0, 0, 1, False, False, False))
        await handled(pilot)
        assert app.focused is app.main.query_one("#params")
        await press(pilot, "i", "escape")
        await press(pilot, "L")  # the lessons: chapter 1 to its first question, answered, then back to the session
        await until(pilot, lambda: isinstance(app.focused, LessonPanel))
        await press(pilot, "enter", "enter", "enter", "1")
        await until(pilot, lambda: lab.lessons.reveal is not None)
        await press(pilot, "enter", "escape")
        await until(pilot, lambda: lab.lessons.chapter is None or not isinstance(app.focused, LessonPanel))
        await press(pilot, "u", "r")  # back to now, every head on; to the end (then the held-out measurement)
        await until(pilot, lambda: lab.mode == "paused" and trainer.step_count == 40)
        await press(pilot, "l", "z", "ctrl+r")  # ctrl+r stops: the file is written
        recorded_final = await shown(app)
        recorded_weights = weights(app)
    recording = rec.read(tmp_path / "session.jsonl")
    assert [e.value for e in recording.events if e.kind == "mark"] == ["start", "stop"]

    def elsewhere(replay):  # (where its own ctrl+r writes: a replay never writes over the recording)
        replay.lab.recording.path = (tmp_path / "again").mkdir() or tmp_path / "again" / "session.jsonl"

    replay_screens, final, replay = await replayed(recording, DOCS, tmp_path, SIZE, setup=elsewhere)
    assert replay.player.diverged is None
    assert list(replay_screens) == list(screens) == list(range(1, 25))
    for n in screens:
        assert replay_screens[n] == screens[n], f"the screen before key {n} differs"
    assert len(set(screens.values())) > 10  # (the keys changed what shows)
    assert final == recorded_final
    assert weights(replay) == recorded_weights and trainer.step_count == 40
    answered = {name: sorted(asked) for name, asked in lab.lessons.progress.answered.items() if asked}
    assert answered and {n: sorted(a) for n, a in replay.lab.lessons.progress.answered.items() if a} == answered
    kinds = [(e.kind, e.value) for e in recording.events]
    again = rec.read(tmp_path / "again" / "session.jsonl")  # the replay recorded itself: the same events
    assert [(e.kind, e.value) for e in again.events][: len(kinds)] == kinds
    assert ("tick", "sample") in kinds and ("key", "comma") in kinds and ("mouse", ("up", *click, 1, 0)) in kinds
    assert [(e.kind, e.value) for e in replay.lab.recording.events][: len(kinds)] == kinds  # (it did the same)


async def test_the_viewer_pauses_steps_one_key_and_seeks_to_a_key_or_a_step(tmp_path):
    """Seek to key 2 (played at once, then paused there), '.' plays the next key, space plays on; seek to step 2. The
    viewer's keys steer the replay and never reach the app."""
    header = rec.Header(Config(n_embd=8, n_head=2, steps=10), "fused", rec.DataIdentity("x", 0, "0" * 64), SIZE)
    spaces = [e for n in (1, 2, 3) for e in (rec.Event(n, "key", "space", " "), rec.Event(n, "steps", n))]
    recording = rec.Recording(header, tuple(spaces))
    app = ReplayApp(
        Trainer(DOCS, header.config), docs=DOCS, save_path=tmp_path / "r.json", show_timing=False,
        player=lambda app: Player(app, recording, speed=0, seek_key=2),
    )  # fmt: skip
    player = app.player
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: player.paused and player.keys == 2)
        assert app.lab.trainer.step_count == 1  # paused before the 2nd key
        await pilot.press("full_stop")  # one key
        await until(pilot, lambda: player.paused and player.keys == 3)
        assert app.lab.trainer.step_count == 2
        await pilot.press("r")  # (a viewer's key: it does nothing to the app)
        assert app.lab.stepping.run is None and not player.done
        await pilot.press("space")
        await until(pilot, lambda: player.done)
        assert app.lab.trainer.step_count == 3 and player.diverged is None

    app = ReplayApp(
        Trainer(DOCS, header.config), docs=DOCS, save_path=tmp_path / "r.json", show_timing=False,
        player=lambda app: Player(app, recording, speed=0, seek_step=2),
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.player.paused)
        assert (app.lab.trainer.step_count, app.player.keys) == (2, 3)  # (paused before the 3rd key goes in)


async def test_a_recording_that_record_started_replays_recording_along_into_its_own_folder(tmp_path):
    """--record starts recording before the first key (a mark, no key): the replay records along, so the ctrl+r
    that stopped it stops the replay's, whose file goes where the replay says, named as the recording was; a
    recorded resize is made (headless)."""
    header = rec.Header(Config(n_embd=8, n_head=2, steps=10), "fused", rec.DataIdentity("x", 0, "0" * 64), SIZE)
    events_ = (rec.Event(0, "mark", "start"), rec.Event(1, "key", "space", " "), rec.Event(1, "steps", 1))
    events_ += (rec.Event(1, "resize", (90, 28)), rec.Event(2, "key", "ctrl+r", "\x12"), rec.Event(2, "mark", "stop"))
    recording = rec.Recording(header, events_)
    app = ReplayApp(
        Trainer(DOCS, header.config), docs=DOCS, save_path=tmp_path / "r.json", show_timing=False,
        player=lambda app: Player(app, recording, speed=0),
    )  # fmt: skip
    app.lab.recording.path = tmp_path / "mine.jsonl"
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.player.done)
        assert app.lab.session.event == "recorded 2 keys in mine.jsonl: replay with microgpt-tui play mine.jsonl"
        assert tuple(app.size) == (90, 28)  # (headless, the terminal is resized as it was)
    assert [(e.kind, e.value) for e in rec.read(tmp_path / "mine.jsonl").events] == [(e.kind, e.value) for e in events_]
