"""The textbook microgpt.py shipped with the engine: the whole algorithm in one file, the engine's numbers exactly.

It is run as a learner runs microgpt.py, a subprocess in a folder holding `input.txt`, on microgpt's
reference names for 20 steps. Its printed losses are rounded to 4 decimals, so a small wrapper runs it
with a `print` that also prints each step's loss exactly (`repr` of the float), to compare bit for bit.
"""

import subprocess
import sys

from microgpt_engine import Config, Sampler, Trainer
from microgpt_engine.textbook_file import TEXTBOOK

STEPS = 20
# Runs the script as __main__ with a print that adds, after each step line, the exact loss the script holds.
EXACT = """
import builtins, runpy, sys
def exact_print(*args, **kwargs):
    builtins.print(*args, **kwargs)
    if args and str(args[0]).startswith("step "):
        builtins.print("exact", repr(sys._getframe(1).f_globals["loss"].data))
runpy.run_path(sys.argv[1], init_globals={"print": exact_print}, run_name="__main__")
"""


def test_the_textbook_file_gives_the_engines_losses_and_samples_bit_for_bit(reference_docs, tmp_path):
    (tmp_path / "input.txt").write_text("\n".join(reference_docs) + "\n", encoding="utf-8")
    text = TEXTBOOK.read_text(encoding="utf-8")
    assert "num_steps = 1000\n" in text  # microgpt's own length, shortened here
    script = tmp_path / "microgpt.py"
    script.write_text(text.replace("num_steps = 1000\n", f"num_steps = {STEPS}\n"), encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-c", EXACT, str(script)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Meanwhile (a second core), the engine's plain `Value` engine, the one that is microgpt's graph node for
    # node: the fused engine adds gradients up in another order, so its weights drift by an ulp.
    trainer = Trainer(reference_docs, Config(steps=STEPS), engine="plain")
    records = [trainer.step() for _ in range(STEPS)]
    samples = [Sampler(trainer.model, trainer.tokenizer, trainer.rng, 0.5).run() for _ in range(20)]
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    lines = out.splitlines()
    assert lines[:3] == [f"num docs: {len(reference_docs)}", "vocab size: 27", "num params: 4192"]
    steps = [line for line in lines if line.startswith("step ")]
    assert steps[0] == f"step    1 / {STEPS:4d} | loss 3.3660"
    assert steps == [f"step {r.step:4d} / {STEPS:4d} | loss {r.loss:.4f}" for r in records]
    exact = [float(line.split()[1]) for line in lines if line.startswith("exact ")]
    assert exact == [r.loss for r in records]  # every bit, not only the 4 printed decimals
    assert [line for line in lines if line.startswith("sample ")] == [
        f"sample {i + 1:2d}: {name}" for i, name in enumerate(samples)
    ]
