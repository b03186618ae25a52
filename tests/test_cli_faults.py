"""Headless runs under faults, through the real command: a closed or full stdout, signals, a failing log.

Whatever happens to the run's outputs or the process, the training is saved and
the run ends with one line (or quietly, for a closed pipe) and an exit code that says so.
"""

import json
import os
import resource
import signal
import subprocess
import sys

import pytest
from cli_helpers import ENTRY, assert_one_line_error, cli, eventually, in_process, refused

TINY = ["--n-embd", "8", "--n-head", "2", "--block-size", "8"]


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("emma\nolivia\nava\nmia\nisabella\n")
    return path


def saved_step(path) -> int:
    return json.loads(path.read_text())["step"]


@pytest.mark.parametrize("command", ["train", "sample"])
def test_a_closed_pipe_saves_and_ends_quietly(data, tmp_path, command):
    """`train --save x.json | head -1` and `sample | head -1`: the save happens, no traceback, exit 141."""
    ckpt = tmp_path / "x.json"
    if command == "sample":
        assert in_process("train", "--data", str(data), *TINY, "--steps", "3", "--save", str(ckpt)).returncode == 0
        args = ["sample", "--load", str(ckpt), "-n", "5000"]
    else:
        args = ["train", "--data", str(data), *TINY, "--steps", "5000", "--save", str(ckpt)]
    proc = subprocess.Popen([*ENTRY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline()  # what `head -1` reads, then it closes the pipe
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err and "error" not in err
    assert 1 <= saved_step(ckpt) < 5000


def test_a_full_stdout_saves_then_says_so_in_one_line(data, tmp_path):
    ckpt = tmp_path / "x.json"
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*ENTRY, "train", "--data", str(data), *TINY, "--steps", "30", "--save", str(ckpt)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 74
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert lines[-1] == "microgpt-tui: error: cannot write to stdout: No space left on device"
    assert lines[0].startswith("saved step 1 to") and saved_step(ckpt) == 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_stop_signal_during_training_saves_like_ctrl_c(data, tmp_path, sig):
    ckpt = tmp_path / "x.json"
    args = ["train", "--data", str(data), *TINY, "--steps", "100000", "--save", str(ckpt)]
    proc = subprocess.Popen([*ENTRY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("step    1")
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"microgpt-tui: {'interrupted' if sig == signal.SIGINT else 'terminated'}"
    assert saved_step(ckpt) >= 1


def test_sigterm_during_the_save_finishes_it_and_leaves_no_temp_file(data, tmp_path):
    """The signal lands inside the save of a 28 MB checkpoint: while its temp file is written and synced (tens of
    milliseconds, after the encoding; the test looks every 2 ms)."""
    ckpt = tmp_path / "big.json"
    args = ["train", "--data", str(data), "--n-embd", "96", "--n-layer", "4", "--steps", "1", "--save", str(ckpt)]
    proc = subprocess.Popen([*ENTRY, *args, "--samples", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    eventually(
        lambda: any(p.name.endswith(".tmp") for p in tmp_path.iterdir()) or proc.poll() is not None,
        "the save under way",
        timeout=120,
        every=0.002,  # (the temp file lives for tens of milliseconds)
    )
    assert proc.poll() is None, "the save was never seen under way"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json", "names.txt"]  # no hidden .big.json.*.tmp
    assert saved_step(ckpt) == 1


def small_file_limit(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_log_whose_final_flush_fails_is_reported_with_a_nonzero_exit(data, tmp_path):
    """3 rows fit the write buffer, so only the flush at the end meets the 'full disk' (a 300-byte file limit)."""
    log = tmp_path / "log.csv"
    result = subprocess.run(
        [*ENTRY, "train", "--data", str(data), *TINY, "--steps", "3", "--log", str(log), "--samples", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_file_limit(300),
    )
    assert_one_line_error(result, 74, f"cannot write the log {log}: File too large")
    assert 0 < os.path.getsize(log) <= 300


def test_a_log_that_fills_the_disk_mid_run_names_the_file_in_its_one_line_error(data, tmp_path):
    """A 20 KB file limit: a flush of the write buffer fails while training, not only at the end."""
    log = tmp_path / "log.csv"
    result = subprocess.run(
        [*ENTRY, "train", "--data", str(data), *TINY, "--steps", "300", "--log", str(log), "--samples", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_file_limit(20_000),
    )
    assert_one_line_error(result, 74, f"cannot write the log {log}: File too large")


@pytest.mark.parametrize("target", ["--data", "--load", "--save"])
def test_a_hard_link_to_an_input_is_the_same_file(data, tmp_path, target):
    """`ln data.txt alias.csv; train --data data.txt --log alias.csv` must not write CSV over the data."""
    ckpt = tmp_path / "ck.json"
    assert in_process("train", "--data", str(data), *TINY, "--steps", "2", "--save", str(ckpt)).returncode == 0
    original = {"--data": data, "--load": ckpt, "--save": ckpt}[target]
    alias = tmp_path / "alias.csv"
    os.link(original, alias)
    before = original.read_bytes()
    extra = ["--load", str(ckpt)] if target == "--load" else ["--save", str(ckpt)] if target == "--save" else []
    run = cli if target == "--data" else refused  # (one real process; the others run main(argv) in-process)
    result = run("train", "--data", str(data), *extra, "--steps", "4", "--log", str(alias))
    assert_one_line_error(result, 2, f"--log {alias} is the same file as {target}")
    assert original.read_bytes() == before


def test_a_hard_link_to_the_data_as_save_is_refused(data, tmp_path):
    alias = tmp_path / "alias.json"
    os.link(data, alias)
    result = refused("train", "--data", str(data), *TINY, "--steps", "2", "--save", str(alias))
    assert_one_line_error(result, 2, f"--save {alias} is the same file as --data")


PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "result = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(result.stderr)\n"
)


@pytest.mark.parametrize("padding", ["{}", "[]", '"ab"', "1.5"])
def test_parsing_a_padded_checkpoint_costs_a_small_multiple_of_its_size(tmp_path, padding):
    """20 MB of `{}` used to peak at ~500 MB while parsing (a dict is ~64 bytes for 3 bytes of text)."""
    path = tmp_path / "padded.json"
    count = 20_000_000 // (len(padding) + 1)
    path.write_text('{"format":"microgpt-tui-checkpoint","version":1,"pad":[' + ",".join([padding] * count) + "]}")
    size_kb = path.stat().st_size // 1024
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *ENTRY, "sample", "--load", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    code, peak_kb = map(int, result.stdout.split())
    assert code == 2 and "not a valid checkpoint (far more" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert peak_kb < 3 * size_kb + 60_000, f"peak {peak_kb // 1024} MB for a {size_kb // 1024} MB file"
