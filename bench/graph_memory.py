"""Measures the peak memory of `g`'s graph view against the step's estimate (`Config.step_bytes`).

`python bench/graph_memory.py [--n-embd 64 --block-size 32 --engine fused]` prints the training step's peak,
the graph view's peak (the view `g` opens, parents indexed), each as a ratio of step_bytes. Each part runs
in its own interpreter, so one peak does not hide the other.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PART = """
import json, resource, sys
import microgpt_data
from microgpt_engine import Config, Trainer
config = Config(**json.loads(sys.argv[1]))
names = microgpt_data.load_documents(microgpt_data.bundled_names_path())
docs = ["".join(names[i : i + 20])[: config.block_size] for i in range(0, 2000, 20)]  # every block full: the worst
trainer = Trainer(docs, config, engine=sys.argv[2])
trainer.step()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[3] == "graph":
    from microgpt_tui.lab import inside
    view = inside.graph_open(trainer, None, 0, tuple(trainer.tokenizer.chars))
    view.graph.index_parents()
else:
    for _ in range(3):
        trainer.step()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
estimate = config.step_bytes(trainer.tokenizer.vocab_size, sys.argv[2])
print(json.dumps({"base_kb": base, "peak_kb": peak - base, "estimate": estimate}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-embd", type=int, default=64)
    parser.add_argument("--n-head", type=int, default=4)
    parser.add_argument("--block-size", type=int, default=32)
    parser.add_argument("--engine", default="fused")
    args = parser.parse_args()
    config = json.dumps({"n_embd": args.n_embd, "n_head": args.n_head, "block_size": args.block_size})
    for part in ("step", "graph"):
        out = subprocess.run([sys.executable, "-c", PART, config, args.engine, part], capture_output=True, text=True)
        got = json.loads(out.stdout)
        peak = got["peak_kb"] * 1024
        estimate = got["estimate"]
        print(
            f"{part:5s}: peak above the first step's {peak / 1e6:8.1f} MB, "
            f"step_bytes estimate {estimate / 1e6:8.1f} MB, ratio {peak / estimate:.2f}"
        )


if __name__ == "__main__":
    main()
