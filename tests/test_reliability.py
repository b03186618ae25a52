"""Every way to feed microgpt-tui something wrong, through the real command line.

Each case ends in one line on stderr and a known exit code: never a traceback,
never a clobbered file. The same table is in the README's troubleshooting section.
The first case of each table, and each case of its own, runs the real command; the rest of a table runs
`main(argv)` in this interpreter (cli_helpers' `refused` and `in_process`), the same code.
"""

import json
import os
import subprocess
import sys

import pytest
from cli_helpers import assert_one_line_error, cli, in_process, refused

TINY = ["--steps", "2", "--n-embd", "8", "--n-head", "2", "--block-size", "8", "--samples", "1"]


# --- 1. the data file -------------------------------------------------------------------------


def make_data(tmp_path, kind):
    path = tmp_path / "data.txt"
    if kind == "missing":
        return path
    if kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank lines":
        path.write_text("\n   \n\t\n\n")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    return path


DATA_ERRORS = [
    ("missing", "no such file"),
    ("directory", "is a directory"),
    ("empty", "no documents"),
    ("blank lines", "no documents"),
    ("binary", "not UTF-8"),
]


@pytest.mark.parametrize("kind, message", DATA_ERRORS, ids=[k for k, _ in DATA_ERRORS])
def test_unusable_data_file_is_one_line_naming_the_file(tmp_path, kind, message):
    path = make_data(tmp_path, kind)
    run = cli if kind == DATA_ERRORS[0][0] else refused
    result = run("train", "--data", str(path), *TINY)
    assert_one_line_error(result, 2, message)
    assert str(path) in result.stderr


def test_unreadable_data_file_is_one_line(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("emma\n")
    path.chmod(0)
    if os.geteuid() != 0:
        result = cli("train", "--data", str(path), *TINY)
    else:  # root reads through chmod 000: make the read itself fail the way it would
        code = (
            "import pathlib, sys\n"
            "real_open = pathlib.Path.open\n"
            f"def denied(self, *a, **k):\n"
            f"    if str(self) == {str(path)!r}: raise PermissionError(13, 'Permission denied', str(self))\n"
            "    return real_open(self, *a, **k)\n"
            "pathlib.Path.open = denied\n"
            "from microgpt_tui.cli.main import main\n"
            f"sys.exit(main(['train', '--data', {str(path)!r}]))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert_one_line_error(result, 2, "permission denied")


def test_fifo_as_data_is_refused_instead_of_hanging(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    assert_one_line_error(cli("train", "--data", str(path), *TINY), 2, "not a regular file")


@pytest.mark.parametrize(
    "text",
    ["Emma\nOLIVIA\nZoë\nJosé\n", "emma 🙂\nava 🎉\n", "x" * 1_000_000 + "\n"],
    ids=["uppercase and accents", "emoji", "one 1 MB line"],
)
def test_any_characters_are_valid_documents_and_train(tmp_path, text):
    path = tmp_path / "data.txt"
    path.write_text(text, encoding="utf-8")
    run = cli if text.startswith("Emma") else in_process
    result = run("train", "--data", str(path), *TINY)
    assert result.returncode == 0, result.stderr
    assert "step    2 /    2 | loss" in result.stdout


# --- 2. hyperparameters -----------------------------------------------------------------------

HYPERPARAMETERS = [
    (["--n-embd", "10", "--n-head", "4"], "n_embd (10) must be divisible by n_head (4)"),
    (["--n-embd", "0"], "n_embd must be a positive whole number"),
    (["--n-layer", "-1"], "n_layer must be a positive whole number"),
    (["--n-head", "0"], "n_head must be a positive whole number"),
    (["--block-size", "1"], "block_size must be at least 2"),
    (["--steps", "0"], "steps must be a positive whole number"),
    (["--lr", "0"], "lr must be greater than 0"),
    (["--lr", "-0.5"], "lr must be greater than 0"),
    (["--temperature", "0"], "temperature must be greater than 0"),
    (["--steps", "ten"], "steps must be a whole number, got 'ten'"),
    (["--lr", "fast"], "lr must be a number, got 'fast'"),
    (["--lr", "inf"], "lr must be a finite number, got 'inf'"),
    (["--n-embd", "100000", "--n-head", "1"], "GB per training step"),
    (["--block-size", "5000"], "GB per training step"),
    (["--temperature", "1e-320"], "too small to divide by"),
]


@pytest.mark.parametrize("args, message", HYPERPARAMETERS, ids=[" ".join(a) for a, _ in HYPERPARAMETERS])
def test_bad_hyperparameter_is_one_line_and_exit_2(args, message):
    run = cli if args == HYPERPARAMETERS[0][0] else refused
    assert_one_line_error(run("train", *args), 2, message)


@pytest.mark.parametrize("args, message", HYPERPARAMETERS[:3], ids=[" ".join(a) for a, _ in HYPERPARAMETERS[:3]])
def test_the_app_refuses_bad_hyperparameters_before_opening(args, message):
    run = cli if args == HYPERPARAMETERS[0][0] else refused
    assert_one_line_error(run(*args), 2, message)


# --- 3. checkpoints ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_checkpoint(tmp_path_factory):
    directory = tmp_path_factory.mktemp("ck")
    data = directory / "names.txt"
    data.write_text("emma\nolivia\nava\nmia\n")
    path = directory / "good.json"
    result = in_process("train", "--data", str(data), *TINY, "--save", str(path))
    assert result.returncode == 0, result.stderr
    return path, data


def broken(good, tmp_path, kind):
    path = tmp_path / f"{kind.replace(' ', '_')}.json"
    text = good.read_text()
    state = json.loads(text)
    if kind == "truncated":
        path.write_text(text[: len(text) // 3])
    elif kind == "wrong shape":
        state["weights"]["lm_head"] = [[0.0]]
        path.write_text(json.dumps(state))
    elif kind == "other version":
        state["version"] = 2
        path.write_text(json.dumps(state))
    elif kind == "not json":
        path.write_bytes(b"\x80\x81 not json")
    elif kind == "json list":
        path.write_text("[1, 2, 3]")
    elif kind == "huge integer weight":
        state["weights"]["wte"][0][0] = 10**400
        path.write_text(json.dumps(state))
    elif kind == "huge integer lr":
        state["config"]["lr"] = 10**400
        path.write_text(json.dumps(state))
    elif kind == "deeply nested":
        path.write_text("[" * 200_000)
    elif kind == "fifo":
        os.mkfifo(path)
    return path


CHECKPOINT_ERRORS = [
    ("truncated", "truncated"),
    ("wrong shape", "lm_head does not have"),
    ("other version", "format version 2 is not supported"),
    ("not json", "not a checkpoint"),
    ("json list", "not a valid checkpoint"),
    ("huge integer weight", "wte rows are not"),
    ("huge integer lr", "lr is too large"),
    ("deeply nested", "not a valid checkpoint"),
    ("fifo", "not a regular file"),
]


@pytest.mark.parametrize("kind, message", CHECKPOINT_ERRORS, ids=[k for k, _ in CHECKPOINT_ERRORS])
def test_bad_checkpoint_is_one_line_for_train_and_sample(good_checkpoint, tmp_path, kind, message):
    good, data = good_checkpoint
    path = broken(good, tmp_path, kind)
    run = cli if kind == CHECKPOINT_ERRORS[0][0] else refused
    assert_one_line_error(run("train", "--data", str(data), "--load", str(path)), 2, message)
    assert_one_line_error(run("sample", "--load", str(path)), 2, message)


def test_missing_checkpoint_is_one_line(tmp_path):
    assert_one_line_error(refused("sample", "--load", str(tmp_path / "nope.json")), 2, "no such checkpoint")


def test_checkpoint_for_other_data_is_refused(good_checkpoint, tmp_path):
    good, _ = good_checkpoint
    other = tmp_path / "other.txt"
    other.write_text("Zoë\nJOSÉ\n")
    assert_one_line_error(refused("train", "--data", str(other), "--load", str(good)), 2, "does not match the data")


def test_checkpoint_with_conflicting_config_is_refused(good_checkpoint):
    good, data = good_checkpoint
    result = refused("train", "--data", str(data), "--load", str(good), "--n-layer", "2")
    assert_one_line_error(result, 2, "--n-layer 2 conflicts with the checkpoint's n_layer 1")


@pytest.mark.parametrize(
    "where, message",
    [("missing dir/ck.json", "does not exist"), ("/proc/ck.json", "not writable")],
    ids=["directory missing", "directory not writable"],
)
def test_unwritable_save_path_is_refused_before_training(tmp_path, where, message):
    target = where if where.startswith("/") else str(tmp_path / where)
    result = (refused if where.startswith("/") else cli)("train", *TINY, "--save", target)
    assert_one_line_error(result, 2, message)
    assert "step" not in result.stdout  # refused before any training


@pytest.mark.parametrize(
    "args, message",
    [
        (["--log", "{data}"], "--log {data} is the same file as --data"),
        (["--save", "{data}"], "--save {data} is the same file as --data"),
        (["--save", "/dev/null"], "not a regular file"),
    ],
    ids=["log over data", "save over data", "save over a device"],
)
def test_outputs_never_overwrite_inputs_or_devices(good_checkpoint, args, message):
    _, data = good_checkpoint
    before = data.read_bytes()
    run = cli if args[0] == "--log" else refused
    args = [a.format(data=data) for a in args]
    assert_one_line_error(run("train", "--data", str(data), *TINY, *args), 2, message.format(data=data))
    assert data.read_bytes() == before


def test_options_before_the_subcommand_are_kept(tmp_path):
    data = tmp_path / "names.txt"
    data.write_text("emma\nava\n")
    result = in_process(
        "--steps", "2", "--n-embd", "8", "--n-head", "2", "train", "--data", str(data), "--samples", "0"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("step    2 /    2")


def test_existing_checkpoint_survives_a_refused_run(good_checkpoint, tmp_path):
    good, data = good_checkpoint
    before = good.read_bytes()
    result = refused("train", "--data", str(data), "--load", str(good), "--save", str(good), "--lr", "0.5")
    assert result.returncode == 2  # conflicting lr: nothing trained, nothing written
    assert good.read_bytes() == before


# --- 4. numbers -------------------------------------------------------------------------------


def reject_non_finite(name):
    raise AssertionError(f"the checkpoint holds {name}")


def test_diverging_run_exits_3_and_saves_the_last_finite_state(tmp_path):
    data = tmp_path / "names.txt"
    data.write_text("emma\nolivia\nava\nmia\nisabella\n")
    ckpt = tmp_path / "ck.json"
    result = cli("train", "--data", str(data), "--lr", "100", "--steps", "50", "--save", str(ckpt))
    assert result.returncode == 3
    assert "diverged at step" in result.stderr and "Traceback" not in result.stderr
    state = json.loads(ckpt.read_text(), parse_constant=reject_non_finite)  # every saved number is finite
    assert 0 < state["step"] < 50
    sampled = in_process("sample", "--load", str(ckpt), "-n", "2")
    assert sampled.returncode == 0, sampled.stderr
