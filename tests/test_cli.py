"""The command line as a user runs it: a subprocess, exit codes, stdout and stderr (the help texts and a
checkpoint to start from come from main(argv) in-process: what they check is the text, not the process)."""

import json

import pytest
from cli_helpers import cli, in_process

SMALL = ["--steps", "3", "--n-embd", "8", "--n-head", "2", "--block-size", "8"]


@pytest.fixture
def names(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("emma\nolivia\nava\nisabella\nsophia\nmia\n")
    return path


def test_train_prints_one_line_per_step_then_samples(names):
    result = cli("train", "--data", str(names), *SMALL, "--samples", "4")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("step    1 /    3 | loss ")
    assert lines[2].startswith("step    3 /    3 | loss ")
    assert sum(line.startswith("sample ") for line in lines) == 4


def test_train_default_run_starts_at_the_uniform_loss():
    result = cli("train", "--steps", "1", "--samples", "0")
    assert result.returncode == 0, result.stderr
    loss = float(result.stdout.split("loss")[1])
    assert 3.2 < loss < 3.5  # ~ln(27): the untrained model guesses uniformly


def test_save_then_sample_continues_the_rng(names, tmp_path):
    ckpt = tmp_path / "ck.json"
    first = cli("train", "--data", str(names), *SMALL, "--samples", "3", "--save", str(ckpt))
    assert first.returncode == 0, first.stderr
    assert json.loads(ckpt.read_text())["step"] == 3
    sampled = cli("sample", "--load", str(ckpt), "-n", "3")
    assert sampled.returncode == 0, sampled.stderr
    # The checkpoint was written before sampling, so sampling from it repeats those names.
    trained_names = [line for line in first.stdout.splitlines() if line.startswith("sample")]
    assert [line for line in sampled.stdout.splitlines() if line.startswith("sample")] == trained_names


def test_log_writes_a_csv_row_per_step(names, tmp_path):
    log = tmp_path / "log.csv"
    result = cli("train", "--data", str(names), *SMALL, "--samples", "0", "--log", str(log))
    assert result.returncode == 0, result.stderr
    rows = log.read_text().splitlines()
    assert rows[0].startswith("step,doc,loss,lr") and len(rows) == 4


def test_diverging_learning_rate_exits_3_with_a_message(names):
    result = cli("train", "--data", str(names), "--lr", "100", "--steps", "30")
    assert result.returncode == 3
    assert "diverged" in result.stderr and "Traceback" not in result.stderr


def test_conflicting_option_with_a_checkpoint_is_refused(names, tmp_path):
    ckpt = tmp_path / "ck.json"
    assert in_process("train", "--data", str(names), *SMALL, "--samples", "0", "--save", str(ckpt)).returncode == 0
    result = cli("train", "--data", str(names), "--load", str(ckpt), "--n-embd", "16")
    assert result.returncode == 2 and "conflicts with the checkpoint's n_embd 8" in result.stderr


def test_no_command_without_a_terminal_explains_instead_of_hanging():
    result = cli()
    assert result.returncode == 2 and "needs a terminal" in result.stderr


def test_help_documents_every_command_and_option():
    out = in_process("--help").stdout + in_process("train", "--help").stdout + in_process("sample", "--help").stdout
    for word in [
        "train",
        "sample",
        "--data",
        "--steps",
        "--seed",
        "--lr",
        "--n-embd",
        "--n-head",
        "--n-layer",
        "--block-size",
        "--save",
        "--load",
        "--plain",
        "--temperature",
        "-n",
    ]:
        assert word in out
