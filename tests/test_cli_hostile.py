"""The command line under the hostile re-test: numbers of thousands of digits, and messages that quote what
the user typed (a file name holding ESC must not write to the terminal on its way into an error)."""

import json

from cli_helpers import assert_one_line_error, cli, refused

from microgpt_engine import Config, Trainer, save_checkpoint

TINY = ["--n-embd", "8", "--n-head", "2"]


def test_a_size_or_a_count_of_thousands_of_digits_is_one_line_not_a_traceback():
    huge = "9" * 4000  # int() still reads it; the size check's float arithmetic overflowed
    for flag in ("--n-layer", "--block-size", "--steps", "--seed"):
        run = cli if flag == "--n-layer" else refused  # (one real process; the others run main(argv) in-process)
        result = run("train", flag, huge, "--steps", "1", *TINY) if flag != "--steps" else run("train", flag, huge)
        assert_one_line_error(result, 2, "got a number of 4,000 digits")


def test_a_checkpoint_whose_config_holds_a_huge_count_is_refused(tmp_path):
    path = tmp_path / "x.json"
    save_checkpoint(Trainer(["emma", "ava"], Config(steps=3, n_embd=8, n_head=2)), path)
    state = json.loads(path.read_text())
    state["config"]["steps"] = 10**400
    path.write_text(json.dumps(state))
    assert_one_line_error(cli("sample", "--load", str(path)), 2, "steps must be at most 1,000,000,000,000,000")


def test_an_error_quoting_a_file_name_escapes_its_control_characters(tmp_path):
    for args in (
        ["train", "--data", str(tmp_path / "no\x1b]0;pwned\x07.txt")],
        ["sample", "--load", str(tmp_path / "no\x1b[2J.json")],
        ["train", "--steps", "1", *TINY, "--save", str(tmp_path / "gone\x9b2J" / "x.json")],
    ):
        result = (cli if args[0] == "sample" else refused)(*args)  # (one real process, as above)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert not {ch for ch in result.stderr if not ch.isprintable() and ch != "\n"}, result.stderr
        assert "␛" in result.stderr or "\\x9b" in result.stderr
