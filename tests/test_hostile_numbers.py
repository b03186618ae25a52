"""Every number option of every command, and every settings field, against every extreme value.

Generated over the parser's own options (not a hand-picked list): each value (empty, not a number, inf,
nan, thousands of digits, other scripts' digits, negative) ends in exit code 2 and one line in every
command that takes it, and the settings dialog refuses it beside the field with the same words. Each value
goes to a real `microgpt-tui` process once (REAL_PROCESS, one command after another); the rest of the
grid runs `main(argv)` in this interpreter (`refused`), the same code without a quarter second's start.
"""

import re

import pytest
from cli_helpers import assert_one_line_error, cli, refused

from microgpt_engine import Config
from microgpt_tui.cli.options import build_parser
from microgpt_tui.features.runs.settings_form import FIELDS, check
from microgpt_tui.option_rules import RULES

EXTREMES = ["", "  ", "abc", "inf", "-inf", "nan", "1e999", "9" * 5000, "-" + "9" * 5000, "١٢", "-5"]
ACCEPTS_NEGATIVE = {"--seed"}  # a seed may be any whole number within the limit


def number_options():
    """(command words, flag) for every option whose value the parser reads through an option rule."""
    found = []
    parser = build_parser()
    commands = {"": parser, **parser._subparsers._group_actions[0].choices}  # type: ignore[union-attr]
    for name, sub in commands.items():
        for action in sub._actions:
            if getattr(action.type, "__name__", "") in RULES:
                found.append(([name] if name else [], action.option_strings[-1]))
    return found


OPTIONS = number_options()
CASES = [(c, f, v) for c, f in OPTIONS for v in EXTREMES if not (v == "-5" and f in ACCEPTS_NEGATIVE)]


def real_process_cases() -> set[tuple[str, str, str]]:
    """One case per extreme value run as a real process, the commands and their options taking turns."""
    commands = list(dict.fromkeys(" ".join(c) for c, _ in OPTIONS))
    chosen = set()
    for i, value in enumerate(EXTREMES):
        command = commands[i % len(commands)]
        flags = [f for c, f, v in CASES if " ".join(c) == command and v == value]
        flag = flags[i % len(flags)]
        chosen.add((command, flag, value))
    return chosen


REAL_PROCESS = real_process_cases()


def test_the_generated_list_holds_every_command_and_option():
    flags = {(" ".join(c), f) for c, f in OPTIONS}
    assert {("", "--steps"), ("train", "--samples"), ("sample", "--num"), ("sample", "--temperature")} <= flags
    assert {("serve", "--port"), ("serve", "--max-sessions"), ("serve", "--n-embd")} <= flags


def message_of(stderr: str) -> str:
    """The CLI's one line without its frame (`microgpt-tui: error: argument --x: … (see '…')`)."""
    line = stderr.strip().removeprefix("microgpt-tui: error: ")
    line = re.sub(r"^argument [-\w/]+: ", "", line)
    return re.sub(r" \(see '[^']*'\)$", "", line)


@pytest.mark.parametrize("command, flag, value", CASES, ids=[f"{' '.join(c)} {f} {v[:8]!r}" for c, f, v in CASES])
def test_every_number_option_refuses_every_extreme_in_one_line(tmp_path, command, flag, value):
    args = [*command, f"{flag}={value}"]  # (the = form: argparse reads a bare -inf as an option)
    if command == ["sample"]:
        args += ["--load", str(tmp_path / "none.json")]  # (the value is refused before the file is read)
    real = (" ".join(command), flag, value) in REAL_PROCESS
    result = cli(*args, cwd=tmp_path, timeout=60) if real else refused(*args, cwd=tmp_path)
    assert_one_line_error(result, 2, "")
    assert message_of(result.stderr)
    assert list(tmp_path.iterdir()) == []  # nothing written


FIELD_FLAGS = {name: "--" + name.replace("_", "-") for name in FIELDS}
DIALOG_CASES = [(n, v) for n in FIELDS for v in EXTREMES if not (v == "-5" and FIELD_FLAGS[n] in ACCEPTS_NEGATIVE)]


@pytest.mark.parametrize("field, value", DIALOG_CASES, ids=[f"{n} {v[:8]!r}" for n, v in DIALOG_CASES])
def test_the_settings_dialog_refuses_what_the_command_line_refuses_in_the_same_words(small_docs, field, value):
    choice, errors = check({field: value}, "fused", "current", "", Config(), small_docs, "small")
    assert choice is None
    cli_line = message_of(refused("train", f"{FIELD_FLAGS[field]}={value}").stderr)
    assert errors[field] == cli_line


def test_sample_checks_the_temperature_by_the_rule_train_follows(tmp_path):
    """`sample --temperature 1e-320` ended in exit 3 with (34, 'Numerical result out of range')."""
    from microgpt_engine import Trainer, save_checkpoint

    path = tmp_path / "c.json"
    save_checkpoint(Trainer(["emma", "ava"], Config(steps=1, n_embd=8, n_head=2)), path)
    train = ["train", "--steps", "1", "--n-embd", "8", "--n-head", "2"]
    for run, command in ((cli, ["sample", "--load", str(path)]), (refused, train)):
        result = run(*command, "--temperature", "1e-320")
        assert_one_line_error(result, 2, "temperature 1e-320 is too small to divide by")


def test_a_count_no_one_means_is_refused_not_drawn_forever(tmp_path):
    assert_one_line_error(
        refused("sample", "--load", str(tmp_path / "c.json"), "-n", "100000000000000000000"),
        2,
        "-n must be from 1 to 10,000",
    )
