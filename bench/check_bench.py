"""Benchmark: how long `microgpt-tui check` takes to name a slip, beside the script's own time per step.

Each slip is the textbook file (engine/textbook/microgpt.py) with one edit a learner re-typing microgpt
makes (the same slips tests/test_check.py checks). Each is checked through the real command, `--steps 2`,
on the given data (microgpt's reference names by default, when the copy beside the checkout exists, else
the bundled names); the figure is the wall time of the whole command, from the shell's start to its exit,
imports included, and the checker's own "verdict after" and per-step figures where it prints them. The
median over the slips is what the issue asks for; the script's time per step is the median of its steps
after the first (the first also reads the data and draws the weights).

    python bench/check_bench.py [--data FILE] [--rounds 3]
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTBOOK = ROOT / "engine" / "textbook" / "microgpt.py"
REFERENCE = ROOT.parent / "shared" / "data" / "names.txt"
SLIPS = {
    "missing rmsnorm": ("    x = rmsnorm(x)  # not redundant", "    # not redundant"),
    "1 - beta1 ** step": ("m[i] / (1 - beta1 ** (step + 1))", "m[i] / (1 - beta1**step)"),
    "softmax without the max": (
        "    max_val = max(val.data for val in logits)\n    exps = [(val - max_val).exp() for val in logits]",
        "    exps = [val.exp() for val in logits]",
    ),
    "schedule a step ahead": (
        "lr_t = learning_rate * (1 - step / num_steps)",
        "lr_t = learning_rate * (1 - (step + 1) / num_steps)",
    ),
    "wrong derivative of **": ("(k * self.data ** (k - 1),)", "(k * self.data**k,)"),
}
TIMES = re.compile(r"\(verdict after ([\d.]+) s; the script's own steps take ([\d.]+) s each\)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = REFERENCE if REFERENCE.exists() else ROOT / "data" / "names.txt"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each slip (its median is kept)")
    args = parser.parse_args()
    text = TEXTBOOK.read_text(encoding="utf-8")
    walls, steps = [], []
    print(f"data: {args.data}; {args.rounds} rounds each; --steps 2")
    print(f"{'slip':<26}{'exit':>5}{'wall s':>9}{'verdict s':>11}{'script s/step':>15}")
    with tempfile.TemporaryDirectory() as folder:
        for name, (old, new) in SLIPS.items():
            assert text.count(old) == 1, old
            script = Path(folder) / "slip.py"
            script.write_text(text.replace(old, new), encoding="utf-8")
            runs = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                result = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "microgpt_tui",
                        "check",
                        str(script),
                        "--steps",
                        "2",
                        "--data",
                        str(args.data),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=folder,
                )
                wall = time.perf_counter() - start
                found = TIMES.search(result.stdout)
                runs.append((wall, result.returncode, found))
            wall = statistics.median(w for w, _, _ in runs)
            code = runs[0][1]
            verdicts = [float(f.group(1)) for _, _, f in runs if f]
            per_step = [float(f.group(2)) for _, _, f in runs if f]
            walls.append(wall)
            steps.extend(per_step)
            shown_verdict = f"{statistics.median(verdicts):.2f}" if verdicts else "-"
            shown_step = f"{statistics.median(per_step):.2f}" if per_step else "-"
            print(f"{name:<26}{code:>5}{wall:>9.2f}{shown_verdict:>11}{shown_step:>15}")
    print(
        f"median over the slips: {statistics.median(walls):.2f} s to a verdict (wall, whole command); "
        f"the script's own step: {statistics.median(steps):.2f} s"
    )


if __name__ == "__main__":
    main()
