"""Benchmark: what looking inside costs, measured side by side in one process.

1. Headless training with the per-matrix update statistics (|Δ| and the largest change, new in
   ParamStats) against the same trainer computing them as before (the two fields left at 0):
   alternating one-second windows, median steps/s of each and their ratio (target: within 5%).
2. What the views cost when open: one forward trace (the last position of a 16-character
   document), one matrix view, the weights copy a training step makes for them, the state copy
   a hand-over makes for the matrix view.

    python bench/inside_bench.py [--windows 10]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer, train  # noqa: E402
from microgpt_engine.insight.forward_trace import trace_forward  # noqa: E402
from microgpt_tui.core.lab import Lab
from microgpt_tui.features.matrix.state import step_state
from microgpt_tui.features.training.run import weights_copy

WITH_UPDATE_STATS = train.matrix_stats


def without_update_stats(name, shape, data, grads, updates, m, v):
    """matrix_stats as it was: the same numbers, without |Δ| and the largest change."""
    n = len(data)
    mean = sum(data) / n
    std = train.spread(data, mean)
    u_std = train.spread(updates, sum(updates) / n)
    return train.ParamStats(
        name, shape[0], shape[1], mean, std, min(data), max(data), train.math.hypot(*grads),
        u_std / std if std > 0 else 0.0, sum(map(abs, m)) / n, train.math.sqrt(sum(v) / n),
    )  # fmt: skip


def rate(trainer, seconds):
    start, steps = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        trainer.step()
        steps += 1
    return steps / (time.perf_counter() - start)


def timed(fn, repeat=20):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=10)
    args = parser.parse_args()
    docs = load_documents(bundled_names_path())
    now, before = Trainer(docs, Config(steps=1_000_000)), Trainer(docs, Config(steps=1_000_000))
    for t in (now, before):
        for _ in range(10):
            t.step()
    rates = {"now": [], "before": []}
    for i in range(args.windows):  # A B, then B A: neither always runs first
        for which in ("now", "before") if i % 2 == 0 else ("before", "now"):
            train.matrix_stats = WITH_UPDATE_STATS if which == "now" else without_update_stats
            rates[which].append(rate(now if which == "now" else before, 1.0))
    train.matrix_stats = WITH_UPDATE_STATS
    a, b = statistics.median(rates["now"]), statistics.median(rates["before"])
    print(f"headless steps/s, median of {args.windows} alternating 1 s windows:")
    print(f"  with the update statistics {a:.1f}, without {b:.1f}: {a / b:.1%} (target within 5%)")
    # The same difference measured directly: the per-matrix statistics of one step, both ways.
    flat, n = now.model.flat_weights(), len(now.model.flat_weights())
    names, grads = list(now.model.shapes), [0.01] * n

    def stats_with(fn):
        train.matrix_stats = fn
        try:
            return timed(lambda: now._param_stats(names, flat, grads, grads), repeat=200)
        finally:
            train.matrix_stats = WITH_UPDATE_STATS

    step_ms = 1000 / b
    extra = stats_with(WITH_UPDATE_STATS) - stats_with(without_update_stats)
    print(f"  directly: the statistics of one step cost {extra * 1000:.0f} µs more = {extra / step_ms:.1%} of a step")

    lab = Lab(now, docs)
    lab.begin()
    lab.step()
    tokens = now.tokenizer.document("christopheralex"[:16])
    pos = len(tokens) - 2
    print(f"forward trace at position {pos}: {timed(lambda: trace_forward(now.model, tokens, pos)):.2f} ms")
    lab.matrices.open_view("layer0.mlp_fc1")

    def fresh_matrix_view():
        lab.matrices._state = None
        return lab.matrices.view()

    print(f"matrix view (mlp_fc1, from a fresh state): {timed(fresh_matrix_view):.2f} ms")
    copy_us = timed(lambda: weights_copy(now.model.weights)) * 1000
    print(f"weights copy before a step (only while a view is open): {copy_us:.0f} µs")
    print(
        f"state copy at a hand-over (only while the matrix view is open): {timed(lambda: step_state(now, None)):.2f} ms"
    )


if __name__ == "__main__":
    main()
