"""Benchmark: the ladder on the bundled names and on the copy task, with and without attention, same steps.

Every rung (the bigram count table, no block, no attention, microgpt, bigger: the settings screen's presets)
is trained to its last step on each dataset with the same seed and steps, then measured as the runs screen
measures a run: its mean loss on the held-out names (or words) it never trained on. Also: on the copy task,
how much each head of microgpt attends to the letter its position must copy, and the loss with each head
ablated. The rungs run one after another, so each has the same machine.

    python bench/attention_dataset.py [--steps N] [--rungs "no attention,microgpt"]

What to look for: on names, attention takes little off the no-attention rung (about 0.01), while the
position embedding (no block -> no attention) and the MLP do more; on the copy task the run without
attention stays at the loss of guessing every copied letter, and microgpt's copying head takes it to
about half of that.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from microgpt_data import built_in
from microgpt_data.copy_task import copy_pairs
from microgpt_engine.insight.heads import ablation_losses, attention_on, strongest
from microgpt_engine.insight.held_out import held_out_names
from microgpt_engine.insight.ladder import climb
from microgpt_engine.insight.timetravel import unflatten
from microgpt_engine.model import GPT
from microgpt_engine.tokenizer import Tokenizer
from microgpt_tui.features.ladder.rungs import ladder_rungs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--rungs", default="", help="comma-separated rung names (default: every rung)")
    args = parser.parse_args()
    wanted = [name.strip() for name in args.rungs.split(",") if name.strip()]
    for dataset in ("names", "copy"):
        docs, shown = built_in(dataset)
        print(f"\n{shown}: {len(docs):,} documents, {args.steps:,} steps, seed 42")
        print(f"{'rung':<14} {'params':>7} {'held-out':>9} {'unseen':>7} {'last 100':>9} {'seconds':>8}")
        for rung in ladder_rungs(args.steps):
            if wanted and rung.name not in wanted:
                continue
            start = time.perf_counter()
            got = climb(docs, rung)
            seconds = time.perf_counter() - start
            held = f"{got.held_out:.4f}" if got.held_out is not None else "-"
            last = f"{got.last100:.4f}" if got.last100 is not None else "-"
            print(f"{rung.name:<14} {got.params:>7,} {held:>9} {got.unseen:>7} {last:>9} {seconds:>8.1f}")
            if dataset == "copy" and rung.name == "microgpt" and got.final is not None and rung.config is not None:
                tokenizer = Tokenizer.from_documents(docs)
                config = replace(rung.config)
                shapes = GPT.matrix_shapes(config, tokenizer.vocab_size)
                model = GPT(config, tokenizer.vocab_size, weights=unflatten(shapes, got.final.weights))
                words = held_out_names(docs)
                scores = attention_on(model, tokenizer, words, copy_pairs)
                ablations = ablation_losses(model, tokenizer, words)
                shares = ", ".join(f"head {h} {s:.2f}" for (_, h), s in scores.items())
                print(f"  attention on the letter to copy: {shares}")
                print(f"  the copying head: {strongest(scores)}")
                rises = ", ".join(f"head {h} {ablations.rise((layer, h)):+.3f}" for layer, h in ablations.without)
                print(f"  held-out loss {ablations.intact:.4f}; with one head ablated: {rises}")


if __name__ == "__main__":
    main()
