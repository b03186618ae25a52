"""Time travel replays off the UI thread: the app keeps answering keys, one replay runs at a time, the latest
step asked for wins, and what lands is the engine's numbers."""

import asyncio
import re
import threading

from app_helpers import DOCS, landed, make_app, panel, send, until, widget_text
from lab_helpers import replays as replays_started

from microgpt_engine import Config, Trainer
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.time_travel import state as replaying
from microgpt_tui.features.time_travel.compare_screen import CompareScreen
from microgpt_tui.screens.help import HelpScreen

SIZE = (120, 40)
TINY = {"n_embd": 8, "n_head": 2, "block_size": 8}  # small enough that 40 steps take a moment
LONG = 10**9  # the configured steps: the snapshot interval follows the steps done, not these


class GatedReplays:
    """The app's replays (run_apart: in a child process) made slow deterministically: each waits for `gate`
    first; records what ran and how many at once."""

    def __init__(self, monkeypatch):
        self.gate = threading.Event()
        self.started = threading.Event()
        self.targets = []  # the step each replay was planned for, in the order they started
        self.active = self.most_active = 0
        self._lock = threading.Lock()
        real = replaying.run_apart

        def run(replay, cancelled=lambda: False):
            with self._lock:
                self.targets.append(replay.step)
                self.active += 1
                self.most_active = max(self.most_active, self.active)
            self.started.set()
            try:
                assert self.gate.wait(20), "the test never opened the gate"
                return real(replay, cancelled)
            finally:
                with self._lock:
                    self.active -= 1

        monkeypatch.setattr(replaying, "run_apart", run)


async def single_steps(pilot, count):
    """Press space `count` times at once (without Pilot's wait for an idle CPU) and wait for every step."""
    for _ in range(count):
        send(pilot.app, "space", " ")
    await until(pilot, lambda: pilot.app.lab.trainer.step_count == count)


def shown_percents(text):
    return re.findall(r"(\d+\.\d)%", text)[1:]  # (the header's p is the first)


async def test_comma_five_times_during_a_slow_replay_answers_keys_and_lands_on_the_last_step_asked(monkeypatch):
    replays = GatedReplays(monkeypatch)
    app = make_app(steps=LONG, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await single_steps(pilot, 44)
        now, machine = app.lab.time.now, app.lab.time
        assert now == 44 and machine.every == 10 and not machine.ready(43)
        await pilot.press(*["comma"] * 5)
        await until(pilot, replays.started.is_set)
        # (a) the replay waits on its worker thread; the UI answers meanwhile
        assert app.lab.travel.moving and app.lab.viewed_step == 40  # (a snapshot: shown at once, on the way)
        assert "going back to step 39… (replaying; the panels show step 40 meanwhile)" in panel(app, "#status")
        await pilot.press("space")  # would train from the step before: it says why instead
        assert app.lab.trainer.step_count == now
        assert app.lab.event.startswith(f"going back to step {now - 5:,}… space, r and c wait until it is shown")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.lab.travel.moving  # still not landed: nothing above waited for the replay
        replays.gate.set()
        await landed(pilot)
        # (b) it lands on the last step asked for
        assert app.lab.viewed_step == now - 5
        assert f"viewing step {now - 5:,} of {now:,} (now)" in panel(app, "#status")
        # (c) one replay at a time, and none for the steps asked for in between
        assert replays.most_active == 1
        assert replays.targets == [43, 39]  # 42 and 41 were asked for while the first ran: 39 won
        # the numbers are the engine's: a fresh trainer taken to the same step
        reference = Trainer(DOCS, Config(steps=LONG, seed=42, **TINY))
        for _ in range(now - 5):
            loss = reference.step().loss
        assert machine.state_at(now - 5).weights == reference.model.flat_weights()
        assert app.lab.history.loss(now - 5) == loss and f"loss {loss:.3f}" in panel(app, "#status")
        doc, position = app.lab.sequence.text, app.lab.selection.position
        expected = reference.evaluate(doc).positions[position].probs
        tokens = panel(app, "#tokens")
        assert f"step {now - 5}/{now}" in tokens.splitlines()[0]
        assert shown_percents(tokens) == [f"{p * 100:.1f}" for p in sorted(expected, reverse=True)]


async def test_full_stop_back_to_now_during_a_replay_drops_the_target_and_keeps_its_states(monkeypatch):
    replays = GatedReplays(monkeypatch)
    app = make_app(steps=LONG, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await single_steps(pilot, 14)
        await pilot.press("comma", "comma")  # 13 (a replay from 10), then 12
        await until(pilot, replays.started.is_set)
        await pilot.press("u")  # back to now while it runs
        assert not app.lab.travel.moving and app.lab.viewed_step is None
        await pilot.press("space")  # nothing waits for the replay now: training goes on
        assert app.lab.trainer.step_count == 15
        replays.gate.set()
        await landed(pilot)
        assert app.lab.viewed_step is None and replays.targets == [13]
        assert app.lab.time.ready(12) and app.lab.time.ready(13)  # its states serve the next look back
        await pilot.press("less_than_sign")
        await until(pilot, lambda: len(replays.targets) == 2)
        assert replays.targets == [13, 5]  # (5: a new interval, replayed again)
        await landed(pilot)
        assert app.lab.viewed_step == 5


def test_the_lab_plans_one_replay_and_coalesces_the_steps_asked_meanwhile(small_docs):
    """Without an app: go() asks for work once, later targets only move the target, landed() shows the last."""
    lab = Lab(Trainer(small_docs, Config(steps=LONG, seed=5, **TINY)), small_docs)
    lab.begin()
    for _ in range(28):
        lab.step()
    assert replays_started(lab, lab.travel.go(27)) == 1
    replay = lab.travel.replay_work()
    assert (
        replays_started(lab, lab.travel.go(25)) == 0 and replays_started(lab, lab.travel.go(24)) == 0
    )  # one replay at a time
    assert lab.viewed_step is None and lab.travel.going.target == 24
    assert lab.step().note.startswith("going back to step 24… space, r and c wait") and lab.trainer.step_count == 28
    change = lab.travel.landed(replay.run())
    assert (
        replays_started(lab, change) == 0 and lab.viewed_step == 24 and not lab.travel.moving
    )  # 24 was on the way to 27
    assert replays_started(lab, lab.travel.go(3)) == 1
    stale = lab.travel.replay_work()
    lab.travel.back_to_now()
    assert replays_started(lab, lab.travel.landed(stale.run())) == 0 and lab.viewed_step is None


async def test_c_with_no_viewed_step_replays_the_middle_step_off_the_ui_thread_then_compares(monkeypatch):
    replays = GatedReplays(monkeypatch)
    app = make_app(steps=LONG, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await single_steps(pilot, 44)
        machine = app.lab.time
        assert not machine.ready(22)  # the middle step: between the snapshots of 20 and 30
        await pilot.press("c")
        await until(pilot, replays.started.is_set)
        # the key answered at once: the replay waits on its worker thread, the status line says what for
        assert app.screen is app.main and replays.targets == [22]
        assert "waiting to compare step 22 with the start and now… (replaying; the panels show now" in panel(
            app, "#status"
        )
        await pilot.press("space")  # would train on before the compare shows: it says why instead
        assert app.lab.trainer.step_count == 44
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.lab.travel.moving and app.screen is app.main
        replays.gate.set()
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        assert not app.lab.travel.moving and app.lab.viewed_step is None and replays.targets == [22]
        # the middle column's numbers are a fresh trainer's after 22 steps
        reference = Trainer(DOCS, Config(steps=LONG, seed=42, **TINY))
        for _ in range(22):
            reference.step()
        doc = app.lab.sequence.text[: TINY["block_size"]]
        expected = reference.evaluate(doc)
        assert machine.state_at(22).weights == reference.model.flat_weights()
        columns = lambda: [widget_text(w) for w in app.screen.query(".compare-column")]  # noqa: E731
        await until(pilot, lambda: len(columns()) == 3 and all(columns()))
        columns = columns()
        assert "step 22 (middle)" in columns[1]  # (no step was viewed: the one halfway)
        assert f"loss {expected.loss:.3f} ·" in columns[1]
        assert f"loss {expected.loss:.3f} ·" not in columns[0]  # (the start's differs: a check that can fail)


def test_comma_while_c_waits_for_its_replay_moves_from_the_step_shown_and_wins(small_docs):
    lab = Lab(Trainer(small_docs, Config(steps=LONG, seed=5, **TINY)), small_docs)
    lab.begin()
    for _ in range(28):
        lab.step()
    assert replays_started(lab, asyncio.run(lab.travel.compare())) == 1  # the middle step, 14
    replay = lab.travel.replay_work()
    assert lab.travel.going.note == "waiting to compare step 14 with the start and now…"
    assert (
        replays_started(lab, asyncio.run(lab.travel.view_step(-1))) == 0
    )  # one step before now (shown), not before 14
    assert lab.travel.going.target == 27 and not lab.travel.going.comparing
    change = lab.travel.landed(replay.run())
    assert change.ask is None and replays_started(lab, change) == 1  # the compare gave way: on to 27
    assert lab.travel.landed(lab.travel.replay_work().run()).ask is None and lab.viewed_step == 27
