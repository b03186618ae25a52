"""Soak test: a long headless run keeps its memory and speed.

Trains STEPS steps (default 10,000) on the bundled names and prints, at every
checkpoint of the run, the resident memory (RSS) and the training speed over
the last window, then the ratios against step 1,000. Targets: RSS within +10%
and steps/s within 10% of their values at step 1,000.

    python bench/soak.py [--steps 10000] [--window 500]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgpt_engine import Config, Trainer  # noqa: E402


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=500)
    parser.add_argument("--data", help="one document per line (default: the bundled names)")
    args = parser.parse_args()
    import microgpt_data

    docs = microgpt_data.load_documents(args.data or microgpt_data.bundled_names_path())
    trainer = Trainer(docs, Config(steps=args.steps))
    print(f"{'step':>6} {'RSS MB':>8} {'steps/s':>8}  (median ms/step over the last {args.window} steps)")
    marks = {}
    times = []
    while not trainer.done:
        start = time.perf_counter()
        trainer.step()
        times.append(time.perf_counter() - start)
        step = trainer.step_count
        if step % args.window == 0:
            speed = 1 / statistics.median(times[-args.window :])
            marks[step] = (rss_mb(), speed)
            print(f"{step:6d} {marks[step][0]:8.1f} {speed:8.1f}", flush=True)
    base = marks.get(1000) or next(iter(marks.values()))
    end = marks[max(marks)]
    print(f"RSS at the end / at step 1,000:     {end[0] / base[0]:.3f}  (target <= 1.10)")
    print(f"steps/s at the end / at step 1,000: {end[1] / base[1]:.3f}  (target >= 0.90)")


if __name__ == "__main__":
    main()
