"""What a new user tripped over on the command line: --version, and samples that are names of the data."""

import re

from cli_helpers import cli, in_process

from microgpt_data import load_documents
from microgpt_tui.cli.options import installed_version


def test_version_prints_the_installed_version():
    result = cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"microgpt-tui {installed_version()}" and installed_version() != "unknown"


def test_train_marks_the_samples_that_are_names_of_the_data_and_never_calls_them_new(tmp_path):
    data = tmp_path / "few.txt"
    data.write_text("ann\nanna\nan\nna\nnan\n")
    # A small model: the default one's 300 steps drew only names of the data (the unmarked case went unchecked).
    small = ["--steps", "100", "--n-embd", "8", "--n-head", "2"]
    result = cli("train", "--data", str(data), *small, "--samples", "30", "--plain", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "hallucinated" not in result.stdout and "new" not in result.stdout.split("---")[1]
    docs = set(load_documents(data))
    samples = re.findall(r"^sample +\d+: (\S*)( +\(in the data\))?$", result.stdout, re.M)
    assert len(samples) == 30
    for name, mark in samples:
        assert bool(mark) == (name in docs), name
    assert any(mark for _, mark in samples)  # (100 steps on five names draw some of them again)
    assert not all(mark for _, mark in samples)  # and some names the data does not hold


def test_sample_from_a_checkpoint_says_it_did_not_check_the_names(tmp_path):
    ckpt = tmp_path / "ckpt.json"
    assert in_process("train", "--steps", "3", "--samples", "0", "--plain", "--save", str(ckpt)).returncode == 0
    result = cli("sample", "--load", str(ckpt), "-n", "3")
    assert result.returncode == 0, result.stderr
    assert "hallucinated" not in result.stdout and "not checked against any data" in result.stdout
