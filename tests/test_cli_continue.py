"""Continuing a finished checkpoint from the command line: --steps beyond its own adds steps, on a stated schedule."""

import csv

from cli_helpers import cli, in_process

SMALL = ["--n-embd", "8", "--n-head", "2", "--block-size", "8", "--samples", "0", "--plain"]


def test_more_steps_than_a_finished_checkpoint_continue_it_on_the_redrawn_linear_decay(tmp_path):
    names, ckpt, log = tmp_path / "names.txt", tmp_path / "ck.json", tmp_path / "log.csv"
    names.write_text("emma\nolivia\nava\nisabella\nsophia\nmia\n")
    assert in_process("train", "--data", str(names), "--steps", "5", *SMALL, "--save", str(ckpt)).returncode == 0
    result = cli("train", "--data", str(names), "--load", str(ckpt), "--steps", "8", *SMALL[6:], "--log", str(log))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("step")]
    assert [line.split("|")[0].strip() for line in lines] == [
        "step    6 /    8",
        "step    7 /    8",
        "step    8 /    8",
    ]
    rows = list(csv.DictReader(log.open()))
    lrs = [float(row["lr"]) for row in rows]
    assert lrs == [0.01 * (1 - t / 8) for t in (5, 6, 7)]  # step t uses lr x (1 - t/steps): 0 after the last


def test_fewer_steps_than_a_checkpoint_has_done_are_still_refused(tmp_path):
    names, ckpt = tmp_path / "names.txt", tmp_path / "ck.json"
    names.write_text("emma\nolivia\nava\n")
    assert in_process("train", "--data", str(names), "--steps", "5", *SMALL, "--save", str(ckpt)).returncode == 0
    result = cli("train", "--data", str(names), "--load", str(ckpt), "--steps", "3", *SMALL[6:])
    assert result.returncode == 2 and "--steps 3 conflicts with the checkpoint's steps 5" in result.stderr


def test_help_says_what_the_schedule_does_when_continuing():
    out = " ".join(in_process("train", "--help").stdout.split())
    assert "more steps than the checkpoint's continue it" in out and "decay to 0 at the new last step" in out
