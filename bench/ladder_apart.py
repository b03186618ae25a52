"""Benchmark: does training the ladder slow the live run? The live trainer's ms per step, on a thread as in
the app, alone, next to a rung trained on another thread of the same process, and next to the same rung
trained apart in a child process (`insight/ladder.climb_apart`, what the ladder's job does).

    python bench/ladder_apart.py [--steps N]

A thread shares the interpreter lock with the live run's: each gets about half. A child process has its
own, so on a machine with a free core the live run keeps its pace; on a busy one it still takes CPU time,
so the ladder's job stops its child while the live run trains (the third case).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from microgpt_data import built_in
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.ladder import Rung, climb, climb_apart

LIVE = threading.Event()  # set while the live run trains (what the app's rules.training_on says)


def live_steps(docs: list[str], steps: int) -> float:
    """The median ms of `steps` steps of the default model, trained on a thread."""
    trainer = Trainer(docs, Config())
    times: list[float] = []
    LIVE.set()

    def run() -> None:
        for _ in range(steps):
            start = time.perf_counter()
            trainer.step()
            times.append((time.perf_counter() - start) * 1000)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    LIVE.clear()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=150, help="live steps measured in each case")
    args = parser.parse_args()
    docs = built_in("names")[0]
    rung = Rung("bigger", Config(n_embd=32, n_layer=2, steps=10_000), 10_000)
    stop = threading.Event()
    print(f"live run alone:                  {live_steps(docs, args.steps):6.1f} ms a step")
    cases = (
        ("a rung on a thread beside it:    ", climb, {}),
        ("a rung apart (a child process): ", climb_apart, {}),
        ("apart, held while the run trains:", climb_apart, {"held": LIVE.is_set}),
    )
    for how, target, more in cases:
        kwargs = {"cancelled": stop.is_set, **more}
        side = threading.Thread(target=target, args=(docs, rung), kwargs=kwargs, daemon=True)
        side.start()
        time.sleep(1.0)  # (the rung is under way)
        print(f"{how}{live_steps(docs, args.steps):6.1f} ms a step")
        stop.set()
        side.join()
        stop.clear()


if __name__ == "__main__":
    main()
