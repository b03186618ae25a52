"""Benchmark: what keeping the last step's `Value` graph (for `g`) costs the plain engine, side by side.

With `--engine plain` the trainer keeps the last step's graph so that the
graph view can walk it (insight/value_graph.py), and lets it go when the next
step starts. Three plain trainers on the same seed (so step i trains on the
same document in each) take turns in blocks of a few steps; the first step of
every block only warms up and is not timed. Reported: the median wall and
CPU ms of `Trainer.step()` (the cyclic GC on, as in the app), and the median
over documents of each variant's time on a document over the dropped graph's
on the same document, for

- graph dropped:      the graph is freed as each step ends (timed, as it was
                      before the view existed, when the step's locals held it);
- graph kept:         the trainer keeps it until its next step starts, and
                      frees it then (the default; the view closed);
- graph kept, view open: a `ValueGraph` over it, with its parent index built,
                      stays alive while the next step runs (two graphs alive);

their ratios to "graph dropped", the median ms to open the view (ValueGraph
plus the parent index), the graph's size, and the peak RSS.

    python bench/plain_graph_bench.py [--data FILE] [--steps N]

Target: keeping the graph costs at most 5% of plain step time (graph kept vs dropped).
"""

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_engine.insight.value_graph import ValueGraph  # noqa: E402

try:
    from microgpt_data import bundled_names_path, load_documents
except ImportError:  # not installed: read the repo's copy

    def bundled_names_path():
        return REPO / "data" / "names.txt"

    def load_documents(path):
        return [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


BLOCK = 6  # steps each trainer takes before handing over: 1 to warm up, 5 timed


def open_view(trainer):
    """What pressing g does to the graph: number its nodes, and invert its edges on the first question."""
    view = ValueGraph(trainer)
    view.gradient_breakdown(0)
    return view


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(bundled_names_path()))
    parser.add_argument("--steps", type=int, default=60, help="timed steps per variant")
    args = parser.parse_args(argv)
    docs = load_documents(args.data)
    config = Config(steps=10 * args.steps + 10 * BLOCK)
    names = ("graph dropped", "graph kept", "graph kept, view open")
    trainers = {name: Trainer(docs, config, engine="plain") for name in names}
    views = {}
    wall = {name: {} for name in names}  # name -> step index -> seconds
    cpu = {name: {} for name in names}  # the same in this process's CPU time (other processes barely move it)
    open_times, sizes = [], []
    print(
        f"plain-graph benchmark: {Path(args.data).name}, {len(docs):,} documents, default config, "
        f"Python {sys.version.split()[0]}"
    )
    t0 = time.perf_counter()
    while len(wall[names[0]]) < args.steps:
        for name, trainer in trainers.items():
            for k in range(BLOCK):
                index = trainer.step_count
                start, start_cpu = time.perf_counter(), time.process_time()
                trainer.step()
                if name == "graph dropped":  # freed as the step ends, as before the trainer kept it
                    trainer.last_graph_ids = None
                seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
                if k:  # the first step of a block only warms up
                    wall[name][index], cpu[name][index] = seconds, cpu_seconds
                if name == "graph kept, view open":
                    start = time.perf_counter()
                    views[name] = open_view(trainer)  # replaces (frees) the view of the step before
                    open_times.append(time.perf_counter() - start)
                    sizes.append(len(views[name]))
    assert len({t.step_count for t in trainers.values()}) == 1  # the same documents everywhere
    steps = sorted(wall[names[0]])
    print(f"\ntraining step, median of {len(steps)} (same documents; blocks of {BLOCK}, first untimed):")
    print(f"  {'':<22} {'wall ms':>8} {'steps/s':>8} {'CPU ms':>8}   per-document ratio to dropped: wall, CPU")
    for name in names:
        w, c = statistics.median(wall[name].values()), statistics.median(cpu[name].values())
        ratio_w = statistics.median(wall[name][i] / wall[names[0]][i] for i in steps)
        ratio_c = statistics.median(cpu[name][i] / cpu[names[0]][i] for i in steps)
        print(f"  {name:<22} {w * 1000:8.1f} {1 / w:8.2f} {c * 1000:8.1f}   {ratio_w:6.3f}x {ratio_c:6.3f}x")
    kept = statistics.median(cpu["graph kept"][i] / cpu[names[0]][i] for i in steps)
    print(f"  => keeping the graph costs {100 * (kept - 1):+.1f}% of a step's CPU time (target <= +5%)")
    print(
        f"\nopening the view (ValueGraph + parent index): median {statistics.median(open_times) * 1000:.1f} ms "
        f"over graphs of {statistics.median(sizes):,.0f} nodes (median; {min(sizes):,} to {max(sizes):,})"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB; took {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
