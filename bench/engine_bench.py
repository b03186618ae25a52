"""Benchmark: the fused tape against the plain `Value` graph, side by side in one process.

Training: one Trainer per engine (and per GC mode), all on the same seed, so
step i uses the same document everywhere. They take turns in blocks of a few
steps, which cancels the machine's drift while each engine runs warm, as it
does in the app; the first step of every block only warms up (all engines
alike) and is not timed. Reported: the median ms per training step (the whole
`Trainer.step()`: graph, backward, Adam, per-matrix stats) of

- fused:               the app's engine (the Trainer pauses the cyclic GC while
                       it builds and walks the graph);
- plain, GC on:        the binary-op `Value` graph with the cyclic GC running
                       throughout, as microgpt runs it: the primary baseline;
- plain, GC paused:    the same with the Trainer's pause (one collection after);
- plain, GC off:       the GC disabled for the whole step (no collection at all),

their ratios, and the size of each engine's graph per step (nodes and edges
the loss depends on). The plain trainers drop their last graph after each
step, outside the timing (nothing inspects it; it would only make every
collection slower). Sampling: the ms to sample one name with plain floats
(FloatOps, no graph), with the fused tape and with `Value` nodes, all with
the GC on (plain also with it off); all draw the same names from the same
seed. Last, the peak RSS.

    python bench/engine_bench.py [--data FILE] [--steps N] [--names N]

Targets: fused step >= 20x faster than plain (GC on); sampling with floats
>= 30x faster than with the plain graph.
"""

import argparse
import contextlib
import gc
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import microgpt_engine.train as train_module  # noqa: E402
from microgpt_engine import Config, Sampler, Trainer  # noqa: E402
from microgpt_engine.ops import FusedOps, PlainOps, softmax_floats  # noqa: E402
from microgpt_engine.train import run_document  # noqa: E402

try:
    from microgpt_data import bundled_names_path, load_documents
except ImportError:  # not installed: read the repo's copy

    def bundled_names_path():
        return REPO / "data" / "names.txt"

    def load_documents(path):
        return [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


BLOCK = 6  # steps each engine takes before handing over: 1 to warm up, 5 timed


def ms(seconds):
    return seconds * 1000


def median_ms(times):
    return ms(statistics.median(times))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


@contextlib.contextmanager
def gc_off():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def timed_step(trainer, mode):
    """One Trainer.step() in the given GC mode; returns seconds."""
    paused = train_module.gc_paused
    if mode == "on":  # microgpt never touches the GC: let it run during the graph too
        train_module.gc_paused = contextlib.nullcontext
    outer = gc_off() if mode == "off" else contextlib.nullcontext()
    try:
        with outer:
            start = time.perf_counter()
            trainer.step()
            return time.perf_counter() - start
    finally:
        train_module.gc_paused = paused


# --- graph size --------------------------------------------------------------


def plain_graph_size(loss):
    """Nodes and edges of the Value graph the loss depends on."""
    seen, stack, edges = {id(loss)}, [loss], 0
    while stack:
        node = stack.pop()
        edges += len(node._children)
        for child in node._children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen), edges


def fused_graph_size(tape, loss):
    """Nodes and edges of the tape that the loss depends on (as for the plain graph)."""
    seen, stack, edges = {loss}, [loss], 0
    while stack:
        node = stack.pop()
        kids = tape.edges(node)
        edges += len(kids)
        for child, _ in kids:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen), edges


def graph_sizes(trainer, docs):
    model, tokenizer = trainer.model, trainer.tokenizer
    sizes = {"fused": [], "plain": []}
    for doc in docs:
        tokens = tokenizer.document(doc[: model.config.block_size])
        with gc_off():
            ops = FusedOps(model.weights)
            loss = run_document(model, ops, tokens)[0]
            sizes["fused"].append(fused_graph_size(ops.tape, loss) + (len(ops.tape), ops.tape.num_edges()))
            loss = run_document(model, PlainOps(model.weights), tokens)[0]
            sizes["plain"].append(plain_graph_size(loss))
            del loss
    return {k: [statistics.mean(col) for col in zip(*v)] for k, v in sizes.items()}


# --- sampling ----------------------------------------------------------------


def sample_with_graph(model, tokenizer, rng, ops_class, temperature):
    """A name drawn exactly as Sampler draws it, but each forward builds a graph."""
    ops = ops_class(model.weights)
    keys, values = model.empty_cache()
    tokens, vocab = [tokenizer.bos], range(model.vocab_size)
    inv_t = temperature**-1
    for pos in range(model.config.block_size):
        logits = model.forward(ops, tokens[-1], pos, keys, values)
        probs = softmax_floats([ops.data(logit) * inv_t for logit in logits])
        token = rng.choices(vocab, weights=probs)[0]
        if token == tokenizer.bos:
            break
        tokens.append(token)
    return tokenizer.decode(tokens[1:])


def sampling(trainer, count):
    model, tokenizer, temperature = trainer.model, trainer.tokenizer, trainer.config.temperature
    runs = {
        "float": lambda rng: Sampler(model, tokenizer, rng, temperature).run(),
        "fused": lambda rng: sample_with_graph(model, tokenizer, rng, FusedOps, temperature),
        "plain": lambda rng: sample_with_graph(model, tokenizer, rng, PlainOps, temperature),
        "plain, GC off": lambda rng: sample_with_graph(model, tokenizer, rng, PlainOps, temperature),
    }
    times = {name: [] for name in runs}
    for i in range(count):
        names = set()
        for name, run in runs.items():
            with gc_off() if name == "plain, GC off" else contextlib.nullcontext():
                start = time.perf_counter()
                names.add(run(random.Random(i)))
                times[name].append(time.perf_counter() - start)
        if len(names) != 1:
            raise SystemExit(f"engines sampled different names from seed {i}: {names}")
    return {k: median_ms(v) for k, v in times.items()}


# --- main --------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", default=str(bundled_names_path()), help="one document per line (default: bundled names)"
    )
    parser.add_argument("--steps", type=int, default=30, help="training steps per engine (>= 20)")
    parser.add_argument("--names", type=int, default=20, help="names sampled per engine")
    args = parser.parse_args(argv)
    docs = load_documents(args.data)
    config = Config()

    trainers = {
        "fused": (Trainer(docs, config, engine="fused"), "paused"),
        "plain, GC on": (Trainer(docs, config, engine="plain"), "on"),
        "plain, GC paused": (Trainer(docs, config, engine="plain"), "paused"),
        "plain, GC off": (Trainer(docs, config, engine="plain"), "off"),
    }
    fused = trainers["fused"][0]
    print(
        f"engine benchmark: {Path(args.data).name}, {len(docs):,} documents, default config "
        f"(n_embd {config.n_embd}, {config.n_head} heads, {config.n_layer} layer, block {config.block_size}), "
        f"{fused.model.num_params:,} parameters, Python {sys.version.split()[0]}"
    )

    # Fused alone first: its own speed and peak memory, before any plain graph exists.
    alone = Trainer(docs, config, engine="fused")
    alone_times = [timed_step(alone, "paused") for _ in range(args.steps + BLOCK)][BLOCK:]
    del alone
    rss_fused = peak_rss_mb()

    times = {name: [] for name in trainers}
    t0 = time.perf_counter()
    while len(times["fused"]) < args.steps:
        for name, (trainer, mode) in trainers.items():
            for k in range(BLOCK):
                seconds = timed_step(trainer, mode)
                if k:  # the first step of a block only warms up
                    times[name].append(seconds)
                if trainer.engine == "plain":
                    trainer.last_ops = trainer.last_graph_ids = None  # see the module docstring
    assert len({t.step_count for t, _ in trainers.values()}) == 1  # the same documents everywhere
    train_seconds = time.perf_counter() - t0
    steps = len(times["fused"])

    f = median_ms(times["fused"])
    print(f"\ntraining step, median of {steps} (same documents for every engine; blocks of {BLOCK}, first untimed):")
    for name in trainers:
        m = median_ms(times[name])
        ratio = "" if name == "fused" else f"   fused is {m / f:5.1f}x faster"
        print(f"  {name:<18} {m:8.2f} ms{ratio}")
    print(f"  (fused alone, before any plain step: {median_ms(alone_times):.2f} ms)")
    primary = median_ms(times["plain, GC on"]) / f
    print(
        f"  => fused vs plain as microgpt runs it (GC on): {primary:.1f}x (target >= 20x); "
        f"vs GC paused {median_ms(times['plain, GC paused']) / f:.1f}x, "
        f"vs GC off {median_ms(times['plain, GC off']) / f:.1f}x"
    )

    sizes = graph_sizes(fused, fused.docs[:10])
    fn, fe, ft, fte = sizes["fused"]
    pn, pe = sizes["plain"]
    print("\ngraph per step (mean over 10 documents; what the loss depends on):")
    print(
        f"  fused  {fn:9,.0f} nodes {fe:9,.0f} edges   "
        f"(whole tape: {ft:,.0f} nodes, {fte:,.0f} edges, all parameters included)"
    )
    print(f"  plain  {pn:9,.0f} nodes {pe:9,.0f} edges   ({pn / fn:.1f}x the nodes)")

    s = sampling(fused, args.names)
    print(f"\nsampling one name, median of {args.names} (the same names from every engine; GC on unless said):")
    print(f"  FloatOps (no graph)   {s['float']:7.2f} ms")
    print(f"  fused tape forward    {s['fused']:7.2f} ms   floats are {s['fused'] / s['float']:5.1f}x faster")
    print(
        f"  plain Value forward   {s['plain']:7.2f} ms   "
        f"floats are {s['plain'] / s['float']:5.1f}x faster (target >= 30x)"
    )
    print(
        f"  plain, GC off         {s['plain, GC off']:7.2f} ms   "
        f"floats are {s['plain, GC off'] / s['float']:5.1f}x faster"
    )

    print(f"\npeak RSS: {rss_fused:.0f} MB after fused steps alone, {peak_rss_mb():.0f} MB overall")
    print(f"(training comparison took {train_seconds:.1f} s)")


if __name__ == "__main__":
    main()
