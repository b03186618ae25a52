"""A session recorded under Pilot, replayed headless: the same screens before every key, the same weights."""

from app_helpers import DOCS, make_app, press_sent, until
from recording_helpers import recording_of, replayed, shown, weights

SIZE = (100, 32)


async def test_a_recorded_session_replays_to_the_same_screens_and_weights(tmp_path):
    app = make_app(tmp_path, steps=40, config={"n_embd": 8, "n_head": 2})
    lab = app.lab
    screens = {}
    keys = 0

    async def press(pilot, *names):
        nonlocal keys
        for name in names:
            keys += 1
            screens[keys] = await shown(app)
            await press_sent(pilot, name)

    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "space", "space", "r")
        await until(pilot, lambda: lab.stepping.latest is not None and lab.stepping.latest.step >= 12)
        await press(pilot, "r")  # a pause wherever the run is
        await until(pilot, lambda: lab.mode == "paused")
        await press(pilot, "s")  # a sample, drawn by the timer
        await until(pilot, lambda: not lab.drawing.auto)
        await press(pilot, "comma", "comma", "l", "z")  # time travel, a head, ablated
        await until(pilot, lambda: not lab.travel.moving)
        await press(pilot, "u", "r")  # back to now, every head on; to the end (then the held-out measurement)
        await until(pilot, lambda: lab.mode == "paused" and lab.trainer.step_count == 40)
        await press(pilot, "l", "z")
        recorded_final = await shown(app)
        recorded_weights = weights(app)
        recording = recording_of(app)

    replay_screens, final, replay = await replayed(recording, DOCS, tmp_path, SIZE)
    assert replay.player.diverged is None
    assert list(replay_screens) == list(screens)
    for n in screens:
        assert replay_screens[n] == screens[n], f"the screen before key {n} differs"
    assert final == recorded_final
    assert weights(replay) == recorded_weights
