"""A session recorded under Pilot, replayed headless: the same screens before every key, the same weights."""

from app_helpers import DOCS, make_gated_app, press_sent, until
from recording_helpers import recording_of, replayed, shown, weights

SIZE = (100, 32)


async def test_a_recorded_session_replays_to_the_same_screens_and_weights(tmp_path):
    """Steps, a run paused wherever it is, a sample drawn by the timer, time travel, a head ablated, a run to the
    end and the measurement that lands after it: each key lands in the recorded state, so each screen matches."""
    app = make_gated_app(tmp_path, steps=40, config={"n_embd": 8, "n_head": 2})
    lab, trainer = app.lab, app.lab.trainer
    screens = {}

    async def press(pilot, *names):
        """Each key, once the app is still (or only a held training step runs), its screen read first."""
        for name in names:
            await until(pilot, lambda: not [w for w in app.workers if w.group != "training"])
            screens[len(screens) + 1] = await shown(app)
            await press_sent(pilot, name)

    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "space", "space", "r")
        await until(pilot, lambda: lab.stepping.latest is not None and lab.stepping.latest.step >= 12)
        trainer.hold()  # (a step waits: nothing is handed over while its screen is read and r goes in)
        await until(pilot, trainer.waiting.is_set)
        await press(pilot, "r")  # a pause wherever the run is
        trainer.release()
        await until(pilot, lambda: lab.mode == "paused")
        await press(pilot, "s")  # a sample, drawn by the timer
        await until(pilot, lambda: not lab.drawing.auto)
        await press(pilot, "comma", "comma", "l", "z")  # time travel (a replay job), a head, ablated
        await press(pilot, "u", "r")  # back to now, every head on; to the end (then the held-out measurement)
        await until(pilot, lambda: lab.mode == "paused" and trainer.step_count == 40)
        await press(pilot, "l", "z")
        recorded_final = await shown(app)
        recorded_weights = weights(app)
        recording = recording_of(app)

    replay_screens, final, replay = await replayed(recording, DOCS, tmp_path, SIZE)
    assert replay.player.diverged is None
    assert list(replay_screens) == list(screens) == list(range(1, 14))
    for n in screens:
        assert replay_screens[n] == screens[n], f"the screen before key {n} differs"
    assert len(set(screens.values())) > 10  # (the keys changed what shows)
    assert final == recorded_final
    assert weights(replay) == recorded_weights and trainer.step_count == 40
    kinds = [(e.kind, e.value) for e in recording.events]
    assert ("tick", "sample") in kinds and ("key", "comma") in kinds
    assert [(e.kind, e.value) for e in replay.lab.recording.events][: len(kinds)] == kinds  # (it did the same)
