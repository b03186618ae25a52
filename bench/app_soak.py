"""Soak test of the app: a long headless run keeps its memory and speed.

Runs the whole app (Textual's headless driver: every frame composed, nothing
written), presses r and lets it train STEPS steps (default 5,000), printing at
every WINDOW steps the resident memory (RSS) and the steps per second over the
last window, then the ratios against step 1,000. Targets: RSS within +10% and
steps/s within 10% of their values at step 1,000, and at most 1.5 KB of RSS per
step after step 1,000 (run with --steps 10000 for that figure). At the end it
lists the lab's per-step stores (anything holding about one entry per step)
with their size, and what the run's history and time-travel snapshots hold.

    python bench/app_soak.py [--steps 5000] [--window 500] [--tiny] [--size 120x40]

--tiny trains a smaller model (n_embd 8, n_head 2): more steps per second, the
same per-step bookkeeping in the app.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from soak import rss_mb  # noqa: E402  (bench/ is on sys.path when run as a script)

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_tui.app import MicroGPTApp  # noqa: E402


def deep_size(obj, seen=None):
    """Bytes held by `obj` and everything it references (containers, arrays, object attributes);
    the trainer and the app themselves are not followed."""
    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, (type, MicroGPTApp, Trainer)) or callable(obj):
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset, deque)):
        size += sum(deep_size(x, seen) for x in obj)
    elif hasattr(obj, "__dict__"):
        size += deep_size(vars(obj), seen)
    for slot in getattr(type(obj), "__slots__", ()):
        size += deep_size(getattr(obj, slot, None), seen)
    return size


def per_step_stores(owner, steps):
    """The attributes of `owner` that hold about one entry per step: (name, type, length, bytes)."""
    for name, value in sorted(vars(owner).items()):
        try:
            n = len(value)
        except TypeError:
            continue
        if abs(n - steps) <= steps // 10:
            yield name, type(value).__name__, n, deep_size(value)


async def soak(args):
    docs = load_documents(args.data or bundled_names_path())
    config = Config(steps=args.steps, **(dict(n_embd=8, n_head=2) if args.tiny else {}))
    trainer = Trainer(docs, config)
    width, height = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        app = MicroGPTApp(trainer, dataset_name="names", save_path=Path(tmp) / "soak.json", docs=docs)
        print(
            f"{config.n_embd=} {config.n_head=} {config.n_layer=}; {len(docs):,} docs; RSS at start {rss_mb():.1f} MB"
        )
        print(f"{'step':>6} {'RSS MB':>8} {'steps/s':>8}  (steps/s over the last {args.window} steps)", flush=True)
        marks = {}
        async with app.run_test(size=(width, height)) as pilot:
            last_time, last_step = time.perf_counter(), 0
            await pilot.press("r")
            next_mark = args.window
            while True:
                await asyncio.sleep(0.02)
                step = trainer.step_count
                if step >= next_mark:
                    now = time.perf_counter()
                    marks[next_mark] = (rss_mb(), (step - last_step) / (now - last_time))
                    print(f"{next_mark:6d} {marks[next_mark][0]:8.1f} {marks[next_mark][1]:8.1f}", flush=True)
                    last_time, last_step = now, step
                    next_mark += args.window
                if app.lab.mode != "training":
                    break
            stores = list(per_step_stores(app.lab, args.steps))
            history, machine = app.lab.history, app.lab.time
            print(f"stopped: {app.lab.event}")
            print(
                f"run history: {history.nbytes() / len(history):.0f} bytes a step; time-travel snapshots: "
                f"{machine.nbytes() / 1024**2:.1f} MB (one every {machine.every} steps)"
            )
    if not marks:
        return
    base_step = 1000 if 1000 in marks else min(marks)
    base, end = marks[base_step], marks[max(marks)]
    print(f"RSS at the end / at step {base_step:,}:     {end[0] / base[0]:.3f}  (target <= 1.10)")
    print(f"steps/s at the end / at step {base_step:,}: {end[1] / base[1]:.3f}  (target >= 0.90)")
    if max(marks) > base_step:
        kb = (end[0] - base[0]) * 1024 / (max(marks) - base_step)
        print(f"memory per step after step {base_step:,}: {kb:.2f} KB  (target <= 1.5)")
    for name, kind, n, size in stores:
        print(
            f"per-step store: lab.{name} ({kind}, {n:,} entries): "
            f"{size / 1024**2:.1f} MB, {size / n / 1024:.2f} KB a step"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5_000)
    parser.add_argument("--window", type=int, default=500)
    parser.add_argument("--tiny", action="store_true", help="n_embd 8, n_head 2")
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("--data", help="one document per line (default: the bundled names)")
    asyncio.run(soak(parser.parse_args()))


if __name__ == "__main__":
    main()
