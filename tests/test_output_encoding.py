"""Every command that prints, into an output whose encoding cannot show the data's characters.

`PYTHONIOENCODING=ascii`, a C locale or a Latin-1 terminal met `zoë` or `字` in a sample, a file name or a
note and ended in a UnicodeEncodeError traceback. Now what cannot be shown is escaped (`\\xeb`), the run
goes on and the checkpoint is saved.
"""

import os
import subprocess

import pytest
from cli_helpers import ENTRY, in_process

from microgpt_engine import load_checkpoint

TINY = ["--steps", "3", "--n-embd", "8", "--n-head", "2", "--block-size", "8"]
ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
}
CODEC = {"ascii": "ascii", "C locale": "ascii", "latin-1": "latin-1"}  # what the output must decode as


def env_of(name):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "PYTHONUTF8")}
    return {**env, **ENCODINGS[name]}


def no_traceback(result):
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr, result.stderr


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "zoë-字.txt"  # the name is printed too (errors, notes)
    path.write_text("zoë\nchloé\n字字\nrenée\n", encoding="utf-8")
    return path


# Every command that prints: each line of it (steps, samples, "saved", errors, notes) goes to the output.
COMMANDS = {
    "train": lambda d, t: ["train", "--data", str(d), *TINY, "--samples", "5", "--save", str(t / "x.json")],
    "train with a log": lambda d, t: ["train", "--data", str(d), *TINY, "--log", str(t / "é.csv")],
    "sample": lambda d, t: ["sample", "--load", str(t / "x.json"), "-n", "5"],
    "an error naming the file": lambda d, t: ["train", "--data", str(t / "nö-字.txt")],
    "the note about other data": lambda d, t: ["train", "--data", str(t / "other-é.txt"), "--load", str(t / "x.json")],
    "help": lambda d, t: ["train", "--help"],
    "export, naming its files": lambda d, t: ["export", str(t / "nö-字.jsonl"), "--cast", str(t / "é.cast")],
}
EXIT = {"an error naming the file": 2, "export, naming its files": 2}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_survives_an_output_that_cannot_encode_the_data(tmp_path, data, encoding, command):
    (tmp_path / "other-é.txt").write_text("zoë\nchloé\n字字\nrenée\nzoë\n", encoding="utf-8")
    if command in ("sample", "the note about other data"):
        # (the checkpoint they read, trained by main(argv) in-process: the encodings are the command's under test)
        saved = in_process("train", "--data", str(data), *TINY, "--samples", "0", "--save", str(tmp_path / "x.json"))
        assert saved.returncode == 0, saved.stderr
    ran = subprocess.run(
        [*ENTRY, *COMMANDS[command](data, tmp_path)],
        capture_output=True,
        env=env_of(encoding),
        cwd=tmp_path,
        timeout=120,
    )
    # Strictly in the output's own encoding: an unencodable character was escaped, not written raw.
    stdout, stderr = ran.stdout.decode(CODEC[encoding]), ran.stderr.decode(CODEC[encoding])
    result = subprocess.CompletedProcess(ran.args, ran.returncode, stdout, stderr)
    no_traceback(result)
    assert result.returncode == EXIT.get(command, 0), result.stderr
    if command == "train":
        assert load_checkpoint(tmp_path / "x.json").step == 3  # saved, after printing every sample
        assert result.stdout.count("sample ") == 5
        assert "\\x" in result.stdout or "\\u" in result.stdout or encoding == "latin-1"
    if command in ("an error naming the file", "export, naming its files"):
        assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr
    if command == "the note about other data":
        assert "was trained on other data" in result.stderr
