"""Benchmark: how much memory does the run history keep for a run of 1,000,000 steps?

Appends synthetic steps (the records of a few real steps of the default
model, renumbered: no training) to a `RunHistory` with its default ceiling,
and to one without a ceiling for the first `--whole` steps to compare, and
prints the bytes kept, the rows kept and the append time.

    python bench/history_bench.py [--steps 1000000] [--whole 100000]
"""

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_engine.insight.history import CAP, RECENT, RunHistory  # noqa: E402


def fill(history: RunHistory, records: list, steps: int) -> float:
    """Append `steps` renumbered records; the seconds it took."""
    t0 = time.perf_counter()
    for step in range(1, steps + 1):
        history.append(replace(records[(step - 1) % len(records)], step=step))
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--whole", type=int, default=100_000, help="steps for the history without a ceiling")
    args = parser.parse_args()
    trainer = Trainer(load_documents(bundled_names_path()), Config(steps=args.steps, seed=42))
    records = [trainer.step() for _ in range(20)]
    shapes = trainer.model.shapes

    whole = RunHistory(shapes, recent=args.whole, cap=args.whole + 2)
    fill(whole, records, args.whole)
    per_step = whole.nbytes() / len(whole)
    print(f"no ceiling: {args.whole:,} steps keep {whole.nbytes() / 2**20:.1f} MiB ({per_step:.0f} bytes a step)")
    print(f"  -> {args.steps:,} steps would keep {per_step * args.steps / 2**20:.1f} MiB")
    del whole

    capped = RunHistory(shapes)
    seconds = fill(capped, records, args.steps)
    print(
        f"ceiling (newest {RECENT:,} steps whole, at most {CAP:,} rows): {args.steps:,} steps keep "
        f"{capped.nbytes() / 2**20:.1f} MiB in {len(capped):,} rows (stride {capped.stride} before step "
        f"{capped.steps[-RECENT]:,}); appending took {seconds:.1f} s ({seconds / args.steps * 1e6:.1f} us a step)"
    )


if __name__ == "__main__":
    main()
