"""The textbook microgpt.py shipped with the engine: the whole algorithm in one file, the engine's numbers exactly.

It is run as a learner runs microgpt.py, in a folder holding `input.txt`, on microgpt's reference names for
20 steps, through `microgpt-tui check`: the checker's harness reads what the script holds at each step (the
exact loss, every gradient, Adam's m and v, every weight: not only the 4 printed decimals) and compares it
with the plain engine's run to the last bit, then each sample.
"""

from check_helpers import variant
from cli_helpers import in_process
from conftest import REFERENCE_NAMES

STEPS = 20


def test_the_textbook_file_gives_the_engines_losses_weights_and_samples_bit_for_bit(reference_docs, tmp_path):
    script = variant(tmp_path, "microgpt.py", steps=STEPS)  # microgpt's own length is 1,000
    result = in_process("check", str(script), "--data", str(REFERENCE_NAMES), cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:4] == [f"│ num docs: {len(reference_docs)}", "│ vocab size: 27", "│ num params: 4192"]
    assert lines[4] == f"│ step    1 / {STEPS:4d} | loss 3.3660"
    verdict = [line for line in lines if not line.startswith("│")]
    assert verdict[1].startswith(
        f"identical to microgpt for {STEPS} steps (of {STEPS}): every weight, gradient and Adam moment, to the last bit"
    )
    assert verdict[2].startswith("and its 20 samples: ")  # each one the engine's, drawn after the 20th step
