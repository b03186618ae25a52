"""The longest UI-thread stalls of three hostile scenarios, measured side by side in one run.

Every scenario runs the real app (headless) and measures the same thing: a task on the app's event
loop wakes every 5 ms and records how late it woke. That lateness is time the UI thread was busy:
no key answered, no repaint. Each scenario runs ROUNDS times; the figures are the median (and the
worst) of each round's longest stall.

1. `--steps 1000000000`, STEPS steps in (default 2,362), then time travel: go to step (the dialog) to
   the step before a snapshot, , ten times at once, < three times; every round another interval, so
   every replay is cold. Beside it: the same rounds with the replay on the worker thread instead of a
   child process; , and . among states already replayed (what drawing the panels costs alone); and
   the same replays done as main did them, on the UI thread. Then c with no step viewed (compare replays the
   middle step), from a cold replay window each round: off the UI thread as now, beside the same replay
   done on the UI thread as main did it. Then z, x and v on the last trained document (the weights its
   step started from), and a fork from a snapshot step (it needs the step before), beside main's replays.
2. Two 1 MB lines of data, then samples: the nearest-training-name search after each.
3. One step, then 101 x r and 30 x q n r pressed at once (every q asks), until the app has drained
   them; the same keys once in a real terminal (tmux), timed.

    python bench/ui_stalls.py [--steps 2362] [--rounds 3] [--drain | --lens]
    python bench/ui_stalls.py --drain [--rounds 3]   # scenario 3 alone
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from app_helpers import make_app, send, until  # noqa: E402
from textual import events  # noqa: E402

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_tui import app as app_module  # noqa: E402
from microgpt_tui.features.time_travel.compare_screen import CompareScreen
from microgpt_tui.features.time_travel.fork_screen import ForkScreen
from microgpt_tui.features.time_travel.goto_step_screen import GoToStepScreen
from microgpt_tui.screens.help import HelpScreen  # noqa: E402

TICK = 0.005
SIZE = (120, 40)


class Stalls:
    """The longest time the event loop (the UI thread) did not get round to a task that asked to wake every TICK."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(TICK)
            now = loop.time()
            self.worst = max(self.worst, now - last - TICK)
            last = now

    def __enter__(self) -> "Stalls":
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *exc) -> None:
        assert self._task is not None
        self._task.cancel()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def summary(values: list[float]) -> str:
    return f"{ms(statistics.median(values))} (worst {ms(max(values))})"


Travel = tuple[list[float], list[float], list[float], list[float], list[float], list[float], str]


async def time_travel(steps: int, rounds: int) -> Travel:
    app = make_app(None, steps=10**9, docs=load_documents(bundled_names_path()))
    async with app.run_test(size=SIZE) as pilot:
        lab = app.lab
        travel, machine = lab.travel, lab.time
        began = time.perf_counter()
        await pilot.press("r")
        await until(pilot, lambda: lab.trainer.step_count >= steps, 3600)
        await pilot.press("r")
        await until(pilot, lambda: lab.mode == "paused", 60)
        per_step = (time.perf_counter() - began) / lab.time.now

        async def landed() -> None:
            await until(pilot, lambda: not travel.moving and travel.going.running is None, 600)

        async def round_trip(target: int) -> tuple[float, float]:
            """Go to step `target` (the dialog), 10 x `,`, 3 x `<`: the longest stall and the time to land."""
            with Stalls() as watch:
                t = time.perf_counter()
                await app.run_action("goto_step")
                await until(pilot, lambda: isinstance(app.screen, GoToStepScreen))
                await pilot.press(*str(target), "enter")
                await until(pilot, lambda: not isinstance(app.screen, GoToStepScreen))
                await landed()
                for _ in range(10):
                    send(app, "comma", ",")
                await landed()
                for _ in range(3):
                    send(app, "less_than_sign", "<")
                await until(pilot, lambda: lab.viewed_step == target - 40, 600)
                await landed()
                return watch.worst, time.perf_counter() - t

        async def nothing_to_replay(target: int) -> float:
            """10 x `,` and 10 x `.` among states already replayed: what drawing the panels costs alone."""
            with Stalls() as watch:
                for key, char, there in (("comma", ",", target - 50), ("full_stop", ".", target - 40)):
                    for _ in range(10):
                        send(app, key, char)
                    await until(pilot, lambda there=there: lab.viewed_step == there and not travel.moving, 600)
                await pilot.pause(0.2)
            return watch.worst

        stalls, warm, lands, targets, on_thread = [], [], [], [], []
        for k in range(2 * rounds):
            target = machine._snapshot_steps[-(k + 2)] + machine.every - 1  # the step before a snapshot: the longest
            if k % 2 == 0:  # as the app runs them: in a child process (taking turns, so both see the same load)
                worst, took = await round_trip(target)
                stalls.append(worst)
                lands.append(took)
                targets.append(target)
                warm.append(await nothing_to_replay(target))
            else:  # the same on the worker thread itself
                apart = app_module.run_apart
                app_module.run_apart = lambda replay, cancelled: replay.run(cancelled)
                try:
                    on_thread.append((await round_trip(target))[0])
                finally:
                    app_module.run_apart = apart
        await pilot.press("u")
        old = []
        for target in targets:  # main's way: the replay on the UI thread (a cold window, like a first ,)
            machine._window = {}
            t = time.perf_counter()
            machine.weights_at(target)
            old.append(time.perf_counter() - t)
        compared, compared_old = [], []
        middle = (machine.start + machine.now) // 2
        for _ in range(rounds):  # c with no step viewed: the middle step, from a cold window (taking turns)
            machine._window = {}
            assert not machine.ready(middle)
            with Stalls() as watch:
                await pilot.press("c")
                await until(pilot, lambda: isinstance(app.screen, CompareScreen), 600)
                await pilot.pause(0.2)
            compared.append(watch.worst)
            await pilot.press("escape")
            machine._window = {}
            with Stalls() as watch:  # main's way: the same replay on the UI thread, then the compare opens
                await asyncio.sleep(0.02)  # (the watch is running before the UI thread blocks)
                machine.weights_at(middle)
                await pilot.press("c")
                await until(pilot, lambda: isinstance(app.screen, CompareScreen), 600)
                await pilot.pause(0.2)
            compared_old.append(watch.worst)
            await pilot.press("escape")
        lens, lens_old = await last_document(app, pilot, rounds)
        forks, forks_old = await fork_from_snapshots(app, pilot, rounds)
        every, mb = machine.every, machine.nbytes() / 2**20
    detail = (
        f"after {steps:,} of 10^9 steps ({per_step * 1000:.0f} ms a step; a snapshot every {every} steps, "
        f"{mb:.1f} MB): each round (go to step {targets[0]:,} or lower, 10 x `,`, 3 x `<`) landed in "
        f"{statistics.median(lands):.1f} s; c replays step {middle:,}"
    )
    LENS.update(lens, fork=forks)
    LENS_OLD.update(replay=lens_old, fork=forks_old)
    return stalls, warm, old, on_thread, compared, compared_old, detail


LENS: dict[str, list[float]] = {}  # key -> the longest stall of each round (filled by time_travel)
LENS_OLD: dict[str, list[float]] = {}  # main's way: the replay it ran on the UI thread


async def last_document(app, pilot, rounds: int) -> tuple[dict[str, list[float]], list[float]]:
    """z, x and v on the last trained document, from a cold replay window: they read the weights its step
    started from (step now - 1, not a snapshot). Beside them main's way: replaying step now - 1 on the UI thread."""
    lab, machine = app.lab, app.lab.time
    assert lab.viewed_step is None and not lab.interventions.ablation and not machine.ready(machine.now - 1)
    stalls: dict[str, list[float]] = {"z": [], "x": [], "v": []}
    old = []
    for _ in range(rounds):
        for key, undo in (("z", "u"), ("x", "u"), ("v", "escape")):
            machine._window = {}
            with Stalls() as watch:
                await pilot.press(key)
                await pilot.pause(0.2)
            stalls[key].append(watch.worst)
            await pilot.press(undo)
        machine._window = {}
        t = time.perf_counter()
        machine.weights_at(machine.now - 1)
        old.append(time.perf_counter() - t)
    return stalls, old


async def fork_from_snapshots(app, pilot, rounds: int) -> tuple[list[float], list[float]]:
    """Each round: view a snapshot step S (shown at once), space, y: the fork waits for step S - 1 (its last
    step's document is seen with the weights before it), replayed off the UI thread, then forks and steps.
    Beside it main's way: replaying step S - 1 on the UI thread (record_at did it inside the fork)."""
    lab, machine = app.lab, app.lab.time
    stalls, old = [], []
    for _ in range(rounds):
        step = machine._snapshot_steps[-2]
        machine._window = {}
        t = time.perf_counter()
        machine.weights_at(step - 1)
        old.append(time.perf_counter() - t)
        machine._window = {}
        await app.run_action("goto_step")
        await until(pilot, lambda: isinstance(app.screen, GoToStepScreen))
        await pilot.press(*str(step), "enter")
        await until(pilot, lambda step=step: lab.viewed_step == step and not lab.travel.moving, 600)
        await pilot.press("space")
        await until(pilot, lambda: isinstance(app.screen, ForkScreen))
        with Stalls() as watch:
            await pilot.press("y")
            await until(pilot, lambda step=step: lab.trainer.step_count == step + 1 and not lab.travel.moving, 600)
            await pilot.pause(0.2)
        stalls.append(watch.worst)
    return stalls, old


async def nearest(rounds: int) -> tuple[list[float], str]:
    app = make_app(None, steps=1000, docs=["ab" * 500_000, "qz" * 500_000], sample_interval=0.01)
    stalls = []
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.lab.drawing.name_index is not None, 600)
        for _ in range(rounds):
            with Stalls() as watch:
                for _ in range(5):
                    before = len(app.lab.drawing.samples.entries)
                    send(app, "s", "s")
                    await until(pilot, lambda before=before: len(app.lab.drawing.samples.entries) > before, 600)
            stalls.append(watch.worst)
    return stalls, "5 samples a round, each searched for its nearest training name"


async def drain(rounds: int) -> tuple[list[float], str]:
    """After one step (so that every q asks first): the longest stall while the headless app drains the keys,
    then the same keys once in a real terminal (tmux), timed until the help they end with shows."""
    keys = ["r"] * 101 + ["q", "n", "r"] * 30
    stalls, times, asked, ends = [], [], [], []
    for _ in range(rounds):
        app = make_app(None, steps=1_000_000)
        push = app.push_screen
        app.push_screen = lambda screen, *a, push=push, **k: (
            asked.append(type(screen).__name__),
            push(screen, *a, **k),
        )[1]
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space")  # one unsaved step: every q asks (with none, the first q quits the app)
            await until(pilot, lambda app=app: app.lab.trainer.step_count - app.lab.saved_step >= 1, 60)
            await pilot.pause()
            with Stalls() as watch:
                t = time.perf_counter()
                for key in [*keys, "question_mark"]:
                    app.post_message(events.Key(key, "?" if key == "question_mark" else key))
                await until(pilot, lambda app=app: not app.is_running or isinstance(app.screen, HelpScreen), 600)
                times.append(time.perf_counter() - t)
            stalls.append(watch.worst)
            if not app.is_running:  # (a q quit: say so rather than fail on the closed app)
                ends.append("quit")
                continue
            ends.append(app.lab.mode)
            await pilot.press("escape")
            if app.lab.mode == "training":
                await pilot.press("r")
            await app.workers.wait_for_complete()
    headless = (
        f"headless: drained in {statistics.median(times):.2f} s (median; worst {max(times):.2f} s; "
        f"{asked.count('QuitScreen') // rounds} quit dialogs asked and answered a round; ended {', '.join(ends)})"
    )
    return stalls, f"{headless}; {real_terminal(keys)}"


def real_terminal(keys: list[str]) -> str:
    """The same keys in a real terminal: sent in one tmux send-keys, timed until the help they end with shows."""
    import shutil
    import subprocess
    import tempfile

    if shutil.which("tmux") is None:
        return "no tmux: the real-terminal run is skipped"
    socket = f"ui-stalls-{time.time_ns()}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True).stdout

    def wait(shown: str, timeout: float) -> float | None:
        began = time.perf_counter()
        while shown not in tmux("capture-pane", "-p", "-t", "app"):
            if time.perf_counter() - began > timeout:
                return None
            time.sleep(0.03)
        return time.perf_counter() - began

    data = str(bundled_names_path())
    with tempfile.TemporaryDirectory() as folder:
        command = f"cd {folder} && {sys.executable} -m microgpt_tui --data {data}; sleep 600"
        tmux("new-session", "-d", "-s", "app", "-x", "120", "-y", "40", command)
        try:
            wait("next document", 60)
            tmux("send-keys", "-t", "app", "Space")
            wait("step 1/", 30)
            time.sleep(0.5)
            t = time.perf_counter()
            tmux("send-keys", "-t", "app", *keys, "?")
            drained = wait("─ keys ─", 600)
            top = tmux("capture-pane", "-p", "-t", "app").splitlines()[0]
        finally:
            tmux("kill-server")
    mode = "training" if "TRAINING" in top else "paused" if "PAUSED" in top else "?"
    took = "did not drain in 600 s" if drained is None else f"drained in {time.perf_counter() - t:.2f} s"
    return f"the same in a real terminal (tmux 120x40): {took} ({mode} at the end)"


async def lens_alone(steps: int, rounds: int) -> None:
    """`--lens`: train `steps` of 10^9 steps, then only the z, x, v and fork rows."""
    app = make_app(None, steps=10**9, docs=load_documents(bundled_names_path()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: app.lab.trainer.step_count >= steps, 3600)
        await pilot.press("r")
        await until(pilot, lambda: app.lab.mode == "paused", 60)
        lens, lens_old = await last_document(app, pilot, rounds)
        forks, forks_old = await fork_from_snapshots(app, pilot, rounds)
        every = app.lab.time.every
    LENS.update(lens, fork=forks)
    LENS_OLD.update(replay=lens_old, fork=forks_old)
    print(f"after {steps:,} of 10^9 steps (a snapshot every {every} steps), {rounds} rounds:")


def print_lens(rounds: int) -> None:
    print(f"longest UI-thread stall, median of {rounds} rounds (worst):")
    for key, what in (("z", "z on the last trained document"), ("x", "x on it"), ("v", "v on it")):
        print(f"  {'   ' + what:<44} {summary(LENS[key])}")
    print(f"  {'   main: z, x or v replayed step now-1 first':<44} {summary(LENS_OLD['replay'])} (the replay alone)")
    print(f"  {'   fork from a snapshot step (space, y)':<44} {summary(LENS['fork'])}")
    print(f"  {'   main: its record_at replayed step S-1':<44} {summary(LENS_OLD['fork'])} (the replay alone)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2362)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--drain", action="store_true", help="scenario 3 alone")
    parser.add_argument("--lens", action="store_true", help="scenario 1's z, x, v and fork rows alone")
    args = parser.parse_args()
    if args.lens:
        asyncio.run(lens_alone(args.steps, args.rounds))
        print_lens(args.rounds)
        return
    if args.drain:
        stalls, detail = asyncio.run(drain(args.rounds))
        print(f"3. 101 x r, then 30 x q n r: longest UI-thread stall {summary(stalls)}; {detail}")
        return
    stalls, warm, old, on_thread, compared, compared_old, travel = asyncio.run(time_travel(args.steps, args.rounds))
    print(f"  1. time travel: {summary(stalls)}", file=sys.stderr)
    print(f"  1. c, no step viewed: {summary(compared)}; main's way {summary(compared_old)}", file=sys.stderr)
    scenarios = [("1. time travel, replays off the UI thread", stalls, travel)]
    for name, scenario in [
        ("2. nearest name, two 1 MB lines", nearest(args.rounds)),
        ("3. 101 x r, then 30 x q n r", drain(args.rounds)),
    ]:
        scenarios.append((name, *asyncio.run(scenario)))
        print(f"  {name}: {summary(scenarios[-1][1])}", file=sys.stderr)
    print(f"longest UI-thread stall, median of {args.rounds} rounds (worst):")
    for name, values, _ in scenarios:
        print(f"  {name:<44} {summary(values)}")
    print(f"  {'   the same replays on a thread, not a process':<44} {summary(on_thread)}")
    print(f"  {'   , and . with nothing to replay':<44} {summary(warm)}")
    print(f"  {'   main: the same replays on the UI thread':<44} {summary(old)}")
    print(f"  {'   c, no step viewed (replays the middle step)':<44} {summary(compared)}")
    print(f"  {'   main: the same c, replay on the UI thread':<44} {summary(compared_old)}")
    print_lens(args.rounds)
    for name, _, detail in scenarios:
        print(f"  {name}: {detail}")


if __name__ == "__main__":
    main()
