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
    from app_helpers import make_app, until
    from textual import events

    from microgpt_tui.screens.help import HelpScreen

    app = make_app(None, steps=1_000_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        keys = ["r"] * 101 + ["q", "n", "r"] * 30 + ["r", "question_mark"]
        t = time.perf_counter()
        for key in keys:
            app.post_message(events.Key(key, "?" if key == "question_mark" else key))
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), 600)
        print(f"3. 101 x r then 30 x q n r: drained in {time.perf_counter() - t:.2f} s")
        await pilot.press("escape")
        if app.lab.mode == "training":
            await pilot.press("r")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2362)
    args = parser.parse_args()
    time_travel(args.steps)
    nearest()
    asyncio.run(drain())


if __name__ == "__main__":
    main()
