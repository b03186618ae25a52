"""Benchmark: how long do saving and loading a long run's checkpoint take?

Builds the history of a run of `--steps` steps of the default model (the records of a few real steps,
renumbered: no training), saves it with its checkpoint as the runs screen does (the curve thinned to what
a checkpoint can carry), loads it back, and prints the bytes written and the seconds each took (best of
`--repeat`).

    python bench/save_bench.py [--steps 50000] [--repeat 3]
"""

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer, load_checkpoint, save_checkpoint  # noqa: E402
from microgpt_engine.checkpoint import history_room  # noqa: E402
from microgpt_engine.insight.history import RunHistory  # noqa: E402


def best(repeat: int, work) -> float:
    """The fewest seconds `work()` took in `repeat` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trainer = Trainer(load_documents(bundled_names_path()), Config(steps=args.steps, seed=42))
    records = [trainer.step() for _ in range(20)]
    history = RunHistory(trainer.model.shapes)
    for step in range(1, args.steps + 1):
        history.append(replace(records[(step - 1) % len(records)], step=step))
    rows = history.to_json(max_rows=history_room(trainer.model.num_params, history.values_per_row))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.json"
        saving = best(args.repeat, lambda: save_checkpoint(trainer, path, {"history": rows}))
        loading = best(args.repeat, lambda: load_checkpoint(path))
        size = path.stat().st_size
    print(
        f"{args.steps:,} steps ({len(rows['loss']):,} rows of the curve): {size / 2**20:.1f} MiB, "
        f"saved in {saving:.2f} s, loaded in {loading:.2f} s (best of {args.repeat})"
    )


if __name__ == "__main__":
    main()
