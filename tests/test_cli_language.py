"""The commands in 中文: --lang, else the app's last choice, else the locale; help and one-line errors."""

import pytest

from microgpt_tui import language, user_state
from microgpt_tui.cli.help_format import cells
from microgpt_tui.cli.main import main
from microgpt_tui.cli.options import build_parser

LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A user with no saved state and an English locale; English again afterwards."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "80")
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    yield tmp_path
    language.set_language("en")


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as ended:
        main([*argv, "--help"])
    assert ended.value.code == 0
    return capsys.readouterr().out


def test_lang_zh_help_is_chinese_and_fits_80_columns(home, capsys):
    shown = help_text(capsys, "--lang", "zh")
    assert "用法：" in shown and "显示此帮助信息并退出" in shown and "数据与模型" in shown
    language.set_language("en")
    english = [action.help[:24] for action in build_parser()._actions if action.help]
    assert len(english) >= 15 and [start for start in english if start in shown] == []  # (no option left English)
    assert max(cells(line) for line in shown.splitlines()[1:]) <= 80  # (the usage line's indent is argparse's)


def test_errors_follow_the_locale_and_stay_one_line(home, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["--steps", "x"]) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "steps 必须是整数，得到的是 'x'" in said and "错误" in said


def test_the_apps_choice_beats_the_locale_and_lang_beats_both(home, capsys, monkeypatch):
    user_state.save(user_state.default_path(), language="zh")
    assert main(["--lr", "inf"]) == 2
    assert "lr 必须是有限的数" in capsys.readouterr().err
    assert main(["--lang", "en", "--lr", "inf"]) == 2
    assert "lr must be a finite number, got 'inf'" in capsys.readouterr().err


def test_path_errors_are_said_in_chinese_with_their_own_words_translated(home, capsys):
    missing = home / "no-such-folder" / "ckpt.json"
    assert main(["--lang", "zh", "train", "--save", str(missing)]) == 2
    said = capsys.readouterr().err
    assert said == f"microgpt-tui：错误：无法写入 {missing}：目录 {missing.parent} 不存在\n"
    assert main(["--lang", "zh", "--data", " "]) == 2
    assert "参数 --data：该值为空：请给出一个文件名" in capsys.readouterr().err  # ("the value": a word of its own)
    assert main(["--lang", "en", "train", "--save", str(missing)]) == 2
    assert f"cannot write {missing}: directory {missing.parent} does not exist" in capsys.readouterr().err
