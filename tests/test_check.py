"""`microgpt-tui check FILE.py`: a learner's own microgpt.py beside microgpt, through the real command (its
`main`, in the test's process where the command's own process is not what is checked; the script runs in its
child as always).

The scripts are the textbook file (engine/textbook/microgpt.py) with one slip typed into it, the slips
learners make re-typing microgpt: each is found at step 1, in its part, with both values. Few steps
(`--steps 2`) keep every run within a second or two.
"""

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
from check_helpers import TINY, variant
from cli_helpers import ENTRY, assert_one_line_error, eventually, in_process
from conftest import REFERENCE_NAMES
from test_hostile_paths import READ_KINDS, hostile

from microgpt_engine import Config, Trainer
from microgpt_tui.checker.script import ScriptError, read

# (old text of the textbook, new text): what a learner typed differently.
SLIPS = {
    "a missing rmsnorm": [("    x = rmsnorm(x)  # not redundant", "    # not redundant")],
    "1 - beta1 ** step": [("m[i] / (1 - beta1 ** (step + 1))", "m[i] / (1 - beta1**step)")],
    "a softmax without the max": [
        (
            "    max_val = max(val.data for val in logits)\n    exps = [(val - max_val).exp() for val in logits]",
            "    exps = [val.exp() for val in logits]",
        )
    ],
    "the schedule one step ahead": [
        ("lr_t = learning_rate * (1 - step / num_steps)", "lr_t = learning_rate * (1 - (step + 1) / num_steps)")
    ],
    "a wrong derivative of **": [("(k * self.data ** (k - 1),)", "(k * self.data**k,)")],
}


def check(script, *args, data=None):
    return in_process("check", str(script), "--data", str(data or REFERENCE_NAMES), *args, cwd=script.parent)


def verdict(result):
    """The checker's own lines (not the script's, which follow "│ ")."""
    return [line for line in result.stdout.splitlines() if not line.startswith("│")]


@pytest.fixture
def reference(reference_docs):
    """The reference data, present (skips otherwise), and microgpt's loss at step 1 on it."""
    return Trainer(reference_docs, Config()).step().loss


def test_a_missing_rmsnorm_is_found_in_the_forward_pass_at_the_first_position(reference, tmp_path):
    result = check(variant(tmp_path, "slip.py", SLIPS["a missing rmsnorm"]), "--steps", "2")
    assert result.returncode == 1, result.stderr
    lines = verdict(result)
    assert lines[1].startswith("slip.py differs from microgpt at step 1, in the forward pass: its gpt, run on ")
    assert "position 1 (after '◆'" in lines[1]
    assert re.fullmatch(r"  yours:    -?\d\.\d+(e-?\d+)?", lines[2]) and lines[3].startswith("  microgpt: ")
    assert lines[2].split()[-1] != lines[3].split()[-1]
    assert lines[4].startswith("  The loss at step 1: ") and lines[4].endswith(f"here, {reference!r} in microgpt.")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()  # (the checkout's, not the install's)
    assert lines[2] in readme and lines[3] in readme  # the README's example is this very run


def test_the_bias_correction_from_step_0_raises_in_adam_and_shows_the_scripts_traceback(reference, tmp_path):
    result = check(variant(tmp_path, "slip.py", SLIPS["1 - beta1 ** step"]), "--steps", "2")
    assert_one_line_error(result, 2, "slip.py raised ZeroDivisionError at line ")
    assert "during step 1, in Adam (the update): m_hat = m[i] / (1 - beta1 ** step)" in result.stderr
    assert "│   File " in result.stdout and "│ ZeroDivisionError: float division by zero" in result.stdout
    assert "microgpt_tui" not in result.stdout  # the script's frames only, none of the checker's


def test_a_softmax_without_the_max_differs_only_by_rounding_in_the_gradients(reference, tmp_path):
    result = check(variant(tmp_path, "slip.py", SLIPS["a softmax without the max"]), "--steps", "2")
    assert result.returncode == 1, result.stderr
    lines = verdict(result)
    # The loss is microgpt's to the last bit on these names: what differs is the graph backward walks.
    assert lines[1].startswith(
        "slip.py differs from microgpt at step 1 only by float rounding, first in backward: the gradient of "
    )
    assert lines[4].startswith("  Only the last digits differ: the same maths computed in another order")
    theirs, ours = float(lines[2].split()[-1]), float(lines[3].split()[-1])
    assert theirs != ours and abs(theirs - ours) < 1e-12 * abs(ours)


def test_a_schedule_one_step_ahead_is_found_in_the_update_with_its_learning_rate(reference, tmp_path):
    result = check(variant(tmp_path, "slip.py", SLIPS["the schedule one step ahead"]), "--steps", "2")
    assert result.returncode == 1, result.stderr
    lines = verdict(result)
    assert lines[1].startswith("slip.py differs from microgpt at step 1, in Adam (the update of the weights)")
    assert "its lr_t is 0.00999 where microgpt's is 0.01 at step 1" in lines[4]  # the printed losses agree


def test_a_wrong_derivative_is_found_in_backward_with_the_loss_still_microgpts(reference, tmp_path):
    result = check(variant(tmp_path, "slip.py", SLIPS["a wrong derivative of **"]), "--steps", "2")
    assert result.returncode == 1, result.stderr
    lines = verdict(result)
    assert lines[1].startswith("slip.py differs from microgpt at step 1, in backward: the gradient of ")
    assert lines[4].startswith("  The loss agreed to the last bit")


def test_after_every_step_the_samples_are_checked_too(tmp_path):
    data = tmp_path / "names.txt"
    data.write_text("\n".join(TINY) + "\n")
    # Two samples of at most 8 characters (block_size 8, which the checker reads from the file too).
    short = [("for sample_idx in range(20):", "for sample_idx in range(2):"), ("block_size = 16", "block_size = 8")]
    result = check(variant(tmp_path, "microgpt.py", short, steps=2), data=data)
    assert result.returncode == 0, result.stderr
    assert verdict(result)[2].startswith("and its 2 samples: ")
    hot = [("[logit / temperature for logit in logits]", "[logit * temperature for logit in logits]")]
    result = check(variant(tmp_path, "slip.py", short + hot, steps=2), data=data)
    assert result.returncode == 1, result.stderr
    assert verdict(result)[1].startswith("slip.py differs from microgpt, in sampling: sample 1 is another name")


BAD = {
    "missing": (None, [], "missing.py: no such file"),
    "not python": ("this is not python (\n", [], "not.py: not Python: "),
    "nothing": ("print('hello')\n", [], "printed nothing recognisable as microgpt's output"),
    "no step": ("print('num docs: 11')\nprint('step 1 of 1000: 3.36')\n", [], "printed no step line of microgpt's"),
    "time": ("print('num docs: 11')\nwhile True:\n    pass\n", ["--time-limit", "1"], "ran past the time limit of 1 s"),
    "memory": (
        "x = bytearray(400 * 1024 * 1024)\n",
        ["--memory-limit", "200"],
        "ran out of its memory limit of 200 MB",
    ),
    "network": (
        "import urllib.request\nurllib.request.urlopen('https://example.com/names.txt')\n",
        [],
        "tried to reach the network",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_what_cannot_be_checked_is_one_line_and_exit_2(case, tmp_path):
    text, args, message = BAD[case]
    script = tmp_path / ("missing.py" if text is None else "not.py" if case == "not python" else "script.py")
    if text is not None:
        script.write_text(text)
    data = tmp_path / "names.txt"
    data.write_text("\n".join(TINY) + "\n")
    result = check(script, *args, data=data)
    assert_one_line_error(result, 2, message)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_a_kill_ends_the_script_and_everything_it_started(sig, tmp_path):
    script = tmp_path / "sleeper.py"
    script.write_text(
        "import os, subprocess, time\n"
        "child = subprocess.Popen(['sleep', '60'])\n"
        "print('pids', os.getpid(), child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    data = tmp_path / "names.txt"
    data.write_text("\n".join(TINY) + "\n")
    proc = subprocess.Popen(
        [*ENTRY, "check", str(script), "--data", str(data)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    pids = []
    for line in proc.stdout:
        if line.startswith("│ pids"):
            pids = [int(p) for p in line.split()[2:]]
            break
    proc.send_signal(sig)
    assert proc.wait(timeout=30) == 128 + sig
    assert proc.stderr.read().strip() == f"microgpt-tui: {'interrupted' if sig == signal.SIGINT else 'terminated'}"

    def gone(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return open(f"/proc/{pid}/stat").read().split()[2] == "Z"  # ended, not yet reaped by init

    assert len(pids) == 2
    for pid in pids:
        eventually(lambda pid=pid: gone(pid), f"process {pid} to end")


def test_what_the_checker_computes_and_the_check_command_import_no_textual():
    code = (
        "import sys, microgpt_tui.cli.check, microgpt_tui.checker.curves, microgpt_tui.checker.harness; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    result = subprocess.run([*ENTRY[:1], "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("kind", READ_KINDS)
def test_the_script_file_answers_every_hostile_path_in_one_line(tmp_path, kind):
    """FILE.py is read as every file a user names (--data goes through the loader `train` uses, tested there)."""
    path, message = hostile(tmp_path, kind)
    with pytest.raises(ScriptError, match=message) as error:
        read(path)
    assert "\n" not in str(error.value)
