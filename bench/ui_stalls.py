"""The longest UI-thread stalls of three hostile scenarios, measured side by side in one run.

1. `--steps 1000000000`, STEPS steps in (default 2,362), then `,`: the worst replay a time-travel
   step costs (snapshots spaced by the steps done), beside what a replay from step 0 costs (the
   interval when it was spaced by the configured steps).
2. Two 1 MB lines of data, then a sample: the nearest-training-name search.
3. 101 x r, then 30 x q n r, pressed at once: how long the app takes to drain them (headless driver).

    python bench/ui_stalls.py [--steps 2362]
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_engine.insight.history import RunHistory  # noqa: E402
from microgpt_engine.insight.names import NameIndex  # noqa: E402
from microgpt_engine.insight.timetravel import capture  # noqa: E402
from microgpt_tui.lab.lens import make_time_machine  # noqa: E402


def time_travel(steps: int) -> None:
    trainer = Trainer(load_documents(bundled_names_path()), Config(steps=10**9))
    history = RunHistory(trainer.model.shapes)
    machine = make_time_machine(trainer, history)
    began = time.perf_counter()
    for _ in range(steps):
        record = trainer.step()
        history.append(record)
        if machine.due(record.step):
            machine.keep(capture(trainer))
    per_step = (time.perf_counter() - began) / steps
    replays = []
    for step in range(steps - 1, max(steps - machine.every - 1, 0), -max(machine.every // 8, 1)):
        machine._window = {}  # a cold `,`: no replayed state to start from
        t = time.perf_counter()
        machine.weights_at(step)
        replays.append(time.perf_counter() - t)
    print(
        f"1. time travel after {steps:,} of 10^9 steps: interval {machine.every}, {machine.nbytes() / 2**20:.1f} MB "
        f"of snapshots; worst `,` {max(replays):.2f} s (median {statistics.median(replays):.2f} s); "
        f"a replay from step 0 (the old interval, 16,129,033) would take ~{per_step * (steps - 1):.0f} s"
    )


def nearest() -> None:
    index = NameIndex(["ab" * 500_000, "qz" * 500_000])
    times = []
    for name in ("abba", "zzzzzzzzzzzzzzz", "emma"):
        t = time.perf_counter()
        index.nearest(name)
        times.append(time.perf_counter() - t)
    print(f"2. nearest name among two 1 MB lines: worst {max(times) * 1000:.1f} ms")


async def drain() -> None:
    """After one step (so that every q asks first), in the headless driver and in a real terminal (tmux)."""
    from app_helpers import make_app, until
    from textual import events

    from microgpt_tui.screens.help import HelpScreen

    keys = ["r"] * 101 + ["q", "n", "r"] * 30
    app = make_app(None, steps=1_000_000)
    asked = []
    push = app.push_screen
    app.push_screen = lambda screen, *a, **k: (asked.append(type(screen).__name__), push(screen, *a, **k))[1]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")  # one unsaved step: every q asks (with none, the first q quits)
        await pilot.pause()
        t = time.perf_counter()
        for key in [*keys, "question_mark"]:
            app.post_message(events.Key(key, "?" if key == "question_mark" else key))
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), 600)
        print(
            f"3. 101 x r then 30 x q n r, headless: drained in {time.perf_counter() - t:.2f} s "
            f"({asked.count('QuitScreen')} quit dialogs asked and answered; {app.lab.mode} at the end)"
        )
        await pilot.press("escape")
        if app.lab.mode == "training":
            await pilot.press("r")
        await app.workers.wait_for_complete()

    # The same keys in a real terminal: sent in one tmux send-keys, timed until the help they end with shows.
    import shutil
    import subprocess
    import tempfile

    if shutil.which("tmux") is None:
        print("   (no tmux: the real-terminal run is skipped)")
        return
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
    print(f"   the same in a real terminal (tmux 120x40): {took} ({mode} at the end)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2362)
    args = parser.parse_args()
    time_travel(args.steps)
    nearest()
    asyncio.run(drain())


if __name__ == "__main__":
    main()
