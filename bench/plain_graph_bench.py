"""Benchmark: what keeping the last step's `Value` graph (for `g`) costs the plain engine, side by side.

With `--engine plain` the trainer keeps the last step's graph so that the
graph view can walk it (insight/value_graph.py), and lets it go when the next
step starts. Three variants of the same plain run (same seed, so step i trains
on the same document in each):

- graph dropped:      the graph is freed as each step ends (timed, as it was
                      before the view existed, when the step's locals held it);
- graph kept:         the trainer keeps it until its next step starts, and
                      frees it then (the default; the view closed);
- graph kept, view open: a `ValueGraph` over it, with its parent index built,
                      stays alive while the next step runs (two graphs alive;
                      the old view is freed outside the timing).

Each variant runs alone in a fresh process (trainers sharing one process would
share one cyclic GC, and each one's kept graph would slow the others'
collections), the three taking turns for several rounds, a different one first
in each. The first step of every run only warms up. Reported: the median wall
and CPU ms of `Trainer.step()` (the cyclic GC on, as in the app), the median
over documents of each variant's CPU time on a document over the dropped
graph's on the same document, and the ms to open the view (ValueGraph plus
the parent index).

    python bench/plain_graph_bench.py [--data FILE] [--steps N] [--rounds R]

Target: keeping the graph costs at most 5% of plain step time (graph kept vs dropped).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from engine_bench import bundled_names_path, load_documents  # noqa: E402  (bench/ is on sys.path as a script)

from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_engine.insight.value_graph import ValueGraph  # noqa: E402

VARIANTS = ("graph dropped", "graph kept", "graph kept, view open")


def open_view(trainer):
    """What pressing g does to the graph: number its nodes, and invert its edges on the first question."""
    view = ValueGraph(trainer)
    view.gradient_breakdown(0)
    return view


def run_variant(variant, data, steps):
    """One variant alone: {"wall": [...], "cpu": [...], "open": [...], "nodes": [...]} for steps 1..steps."""
    trainer = Trainer(load_documents(data), Config(steps=steps + 1), engine="plain")
    out = {"wall": [], "cpu": [], "open": [], "nodes": []}
    view = None
    for k in range(steps + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        trainer.step()
        if variant == "graph dropped":  # freed as the step ends, as before the trainer kept it
            trainer.last_graph_ids = None
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if k:  # the first step only warms up
            out["wall"].append(wall)
            out["cpu"].append(cpu)
        if variant == "graph kept, view open":
            start = time.perf_counter()
            view = None  # the view of the step before goes first (as a screen closing would)
            view = open_view(trainer)
            out["open"].append(time.perf_counter() - start)
            out["nodes"].append(len(view))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(bundled_names_path()))
    parser.add_argument("--steps", type=int, default=20, help="timed steps per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each variant")
    parser.add_argument("--variant", help=argparse.SUPPRESS)  # (a worker process: run one variant, print JSON)
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.data, args.steps)))
        return
    print(
        f"plain-graph benchmark: {Path(args.data).name}, default config, {args.rounds} rounds of {args.steps} "
        f"steps per variant, each run in its own process, Python {sys.version.split()[0]}"
    )
    runs = {name: [] for name in VARIANTS}
    t0 = time.perf_counter()
    for r in range(args.rounds):
        for name in VARIANTS[r % 3 :] + VARIANTS[: r % 3]:  # each goes first in turn
            command = [sys.executable, __file__, "--variant", name, "--data", args.data, "--steps", str(args.steps)]
            runs[name].append(json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout))
    base = [c for run in runs[VARIANTS[0]] for c in run["cpu"]]  # run r, step k: the same document everywhere
    print(f"\ntraining step, median of {len(base)} per variant:")
    print(f"  {'':<22} {'wall ms':>8} {'steps/s':>8} {'CPU ms':>8}   CPU over dropped's, same document")
    ratios = {}
    for name in VARIANTS:
        wall = [w for run in runs[name] for w in run["wall"]]
        cpu = [c for run in runs[name] for c in run["cpu"]]
        ratios[name] = statistics.median(c / b for c, b in zip(cpu, base))
        w = statistics.median(wall)
        print(f"  {name:<22} {w * 1000:8.1f} {1 / w:8.2f} {statistics.median(cpu) * 1000:8.1f}   {ratios[name]:6.3f}x")
    kept = ratios["graph kept"]
    print(f"  => keeping the graph costs {100 * (kept - 1):+.1f}% of a step's CPU time (target <= +5%)")
    opens = [o for run in runs[VARIANTS[2]] for o in run["open"]]
    nodes = [n for run in runs[VARIANTS[2]] for n in run["nodes"]]
    print(
        f"\nopening the view (ValueGraph + parent index): median {statistics.median(opens) * 1000:.1f} ms "
        f"over graphs of {statistics.median(nodes):,.0f} nodes (median; {min(nodes):,} to {max(nodes):,})"
    )
    print(f"took {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
