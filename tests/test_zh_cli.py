"""Every command in 中文 (`--lang zh`): its --help, a normal run on tiny data, each kind of refusal, and check's
verdict, with no English sentence left (tests/untranslated.py), every error one line, the exit codes unchanged.

In process where tests/cli_helpers.py allows (`in_process`): the language is set again by each command."""

import http.client
import re
import signal

import pytest
from check_helpers import TINY, variant
from cli_helpers import in_process

from microgpt_tui import language
from microgpt_tui.cli.help_format import NO_LINE_START, cells
from tests.untranslated import english_runs

# What stays English on purpose: the header lines of microgpt's output, which the checker quotes as the script
# printed them (microgpt's step and sample lines, "step    1 / 2 | loss 3.3", hold no three words in a row).
KEPT = ("num docs", "vocab size", "num params")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """No saved language, an English locale, 80 columns; English again afterwards."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    yield
    language.set_language("en")


def zh(*args, cwd=None, may_train=True):
    return in_process("--lang", "zh", *args, cwd=cwd, may_train=may_train)


def untranslated(text: str) -> list[str]:
    return english_runs(text, KEPT)


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("\n".join(TINY) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [[], ["train"], ["sample"], ["serve"], ["check"], ["play"], ["export"]])
def test_every_commands_help_is_chinese(command):
    result = zh(*command, "--help")
    assert result.returncode == 0 and "用法：" in result.stdout and "\n选项：\n" in result.stdout
    assert untranslated(result.stdout) == []
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.lstrip()[:1] in NO_LINE_START] == []  # (no line opens with "。")
    assert max(cells(line) for line in lines[1:]) <= 80


def test_train_then_sample_then_export_in_chinese(tmp_path, data):
    ckpt, log = tmp_path / "ckpt.json", tmp_path / "log.csv"
    small = ("--data", str(data), "--steps", "3", "--n-embd", "8", "--n-head", "2", "--block-size", "8")
    trained = zh(*small, "train", "--plain", "--samples", "2", "--save", str(ckpt), "--log", str(log))
    assert trained.returncode == 0, trained.stderr
    assert "step    3 /    3 | loss " in trained.stdout and "推理" in trained.stdout  # (microgpt's own step line)
    assert trained.stderr == f"已把第 3 步保存到 {ckpt}\n"
    sampled = zh("sample", "--load", str(ckpt), "-n", "2")
    assert sampled.returncode == 0 and sampled.stdout.count("sample ") == 2
    done = zh(*small, "--load", str(ckpt), "train", "--plain")  # (at its last step already)
    assert done.returncode == 0 and "已经在第 3 / 3 步" in done.stderr
    exported = zh("export", "--load", str(ckpt), "--loss", str(tmp_path / "loss.svg"))
    assert exported.returncode == 2 and "不带损失 (loss) 曲线" in exported.stderr  # (saved by train: no curve)
    for result in (trained, sampled, done, exported):
        assert untranslated(result.stdout + result.stderr) == []


def refusals(tmp_path, data):
    """(arguments, what the one line says) for each kind: a bad path, a bad value, a missing or wrong file. (What a
    share code or a recording itself says is features/recording's words, tested with them.)"""
    missing = tmp_path / "missing"
    not_utf8 = tmp_path / "latin1.txt"
    not_utf8.write_bytes(b"caf\xe9\n")
    not_json = tmp_path / "broken.json"
    not_json.write_text("{", encoding="utf-8")
    script = tmp_path / "broken.py"
    script.write_text("def (:\n", encoding="utf-8")
    return [
        (["--data", str(missing / "names.txt"), "train"], "没有这个文件"),
        (["--data", str(not_utf8), "train"], "不是 UTF-8 文本"),
        (["--data", str(data), "train", "--save", str(missing / "c.json")], "不存在"),
        (["--data", str(data), "train", "--save", str(tmp_path)], "是一个目录"),
        (["--steps", "x", "train"], "必须是整数"),
        (["--lr", "-1", "train"], "lr"),
        (["--data", str(data), "--n-embd", "10", "--n-head", "4", "train"], "整除"),
        (["--data", str(data), "--n-embd", "1024", "--block-size", "64", "train"], "GB"),
        (["--data", str(data), "--dataset", "copy", "train"], "只给出其中一个"),
        (["sample", "--load", str(missing / "c.json")], "没有这个检查点"),
        (["sample", "--load", str(not_json)], "不是检查点"),
        (["sample", "--load", str(tmp_path)], "是目录"),
        (["sample"], "缺少以下参数"),
        (["train", "--bogus"], "无法识别"),
        (["train", "--plain=3"], "不接受值的选项"),
        (["--engine", "foo", "train"], "无效的选择"),
        (["--record", str(tmp_path / "r.json"), "train"], "是应用本身的选项"),
        (["check", str(missing / "x.py")], "没有这个文件"),
        (["check", str(script)], "不是 Python"),
        (["--lr", "0.1", "check", str(script)], "check 从脚本本身读取设置"),
        (["check", str(script), "--compare", "--steps", "2"], "--steps 不适用"),
        (["play", str(missing / "r.json")], "没有这个文件"),
        (["export", str(missing / "r.json")], "没有要导出的"),
        (["export", "--load", str(not_json), "--loss", str(tmp_path / "o.svg")], "不是检查点"),
        (["export", "--load", str(not_json), "--cast", str(tmp_path / "o.cast")], "--cast 和 --svg"),
        (["export", str(missing / "r.json"), "--svg", str(data)], "已经有一个文件"),
        (["serve", "--port", "0"], "--port"),
    ]


def test_every_refusal_is_one_chinese_line_with_the_english_exit_code(tmp_path, data):
    for args, says in refusals(tmp_path, data):
        result = zh(*args, cwd=tmp_path, may_train=False)
        english = in_process("--lang", "en", *args, cwd=tmp_path, may_train=False)
        assert (result.returncode, english.returncode) == (2, 2), (args, result.stderr, english.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, (args, result.stderr)
        assert result.stderr.startswith("microgpt-tui：错误：") and says in result.stderr, (args, result.stderr)
        assert untranslated(result.stderr) == [], (args, result.stderr)


NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?")  # (1,000 one number; "16," a number and a comma)


def test_a_checked_slip_has_a_chinese_verdict_with_the_english_verdicts_figures(tmp_path, data):
    ahead = [("lr_t = learning_rate * (1 - step / num_steps)", "lr_t = learning_rate * (1 - (step + 1) / num_steps)")]
    script = variant(tmp_path, "slip.py", ahead, steps=2)
    said = {}
    for lang in ("en", "zh"):
        result = in_process("--lang", lang, "check", str(script), "--data", str(data), cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        said[lang] = [line for line in result.stdout.splitlines() if not line.startswith("│")][:-1]  # (not the time)
    assert said["zh"][1].startswith("slip.py 在第 1 步与 microgpt 不同，在优化器 Adam（权重 (weights) 的更新）")
    assert said["zh"][2].startswith("  你的：     ") and said["zh"][3].startswith("  microgpt：")
    assert untranslated("\n".join(said["zh"])) == []
    assert len(said["zh"]) == len(said["en"])
    for en, zh_line in zip(said["en"], said["zh"]):
        assert sorted(NUMBER.findall(zh_line)) == sorted(NUMBER.findall(en)), (en, zh_line)


def test_check_compare_reports_in_chinese_with_its_table_aligned_by_cells(tmp_path):
    from test_check_compare import GELU

    data = tmp_path / "names.txt"
    data.write_text("\n".join(TINY[:6]) + "\n", encoding="utf-8")
    script = variant(tmp_path, "gelu.py", GELU, steps=2)
    result = zh("check", str(script), "--compare", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("│")]
    assert "gelu.py 对照 microgpt，各 2 步（平均损失 (loss)，越低越好）：" in lines
    assert untranslated("\n".join(lines)) == []
    table = [line for line in lines if re.match(r"  \S.* +\d\.\d{4} +\d\.\d{4}", line)]  # (the rows of losses)
    ends = {cells(line[: line.index(".") + 5]) for line in table}  # (each row's first loss ends in one column)
    assert len(table) == 4 and len(ends) == 1, table  # 1-1, 2-2, the last 2 and the held-out names


def test_the_apps_recovery_on_a_signal_is_said_in_chinese(tmp_path, monkeypatch, capsys):
    import signal

    from test_crash_recovery import session

    from microgpt_tui.cli.launch import ended

    language.set_language("zh")
    app = session(tmp_path, tmp_path / "ckpt.json")
    assert ended(app, signal.SIGTERM) == 128 + signal.SIGTERM
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 2 and said[0].startswith("microgpt-tui：应用被 SIGTERM 停止；它未保存的 2 步已保存在 ")
    assert "（3 步，未保存）已保留在 " in said[1]
    assert untranslated("\n".join(said)) == []


def test_recordings_and_codes_in_chinese_play_refuses_export_writes(tmp_path, data):
    from microgpt_engine import Config
    from microgpt_tui.features.recording import codes
    from microgpt_tui.features.recording import format as rec

    small = Config(n_embd=8, n_head=2, steps=5)
    header = rec.Header(small, "fused", rec.identify(data), (80, 24), "test")
    recording = str(rec.write(tmp_path / "good.jsonl", header, [rec.Event(0.1, "key", "space", " ")]))
    code = codes.ScreenCode(small, data=codes.DataRef("names.txt", data.stat().st_size, rec.identify(data).sha256[:12]))
    other = tmp_path / "other.txt"
    other.write_text("emma\n", encoding="utf-8")
    for args, says in [
        (["play", recording], "是在另一份数据"),
        (["play", recording, "--data", str(other)], "不是录制"),
        (["play", recording, "--data", str(data)], "本应用需要终端"),
        (["--open", code.text()], "这个代码需要数据文件"),
        (["--open", code.text(), "--data", str(data), "--seed", "3"], "去掉 --seed"),
        (["--open", code.text(), "--data", str(other)], "不是这个代码需要的数据"),
        (["export", recording, "--data", str(data), "--cast", str(tmp_path / "a.cast"), "--load", recording], "只导出"),
    ]:
        result = zh(*args, cwd=tmp_path, may_train=False)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and says in result.stderr, (args, result)
        assert untranslated(result.stderr) == [], result.stderr
    exported = zh("export", recording, "--data", str(data), "--cast", str(tmp_path / "a.cast"), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr.startswith("导出用了 ") and "回放了 1 个输入" in exported.stderr
    assert untranslated(exported.stderr) == [], exported.stderr


def test_serve_says_where_and_its_pages_refuse_in_chinese(tmp_path, data):
    import subprocess

    from cli_helpers import ENTRY, eventually
    from test_serve_guard import free_port

    port = free_port()
    argv = [*ENTRY, "--lang", "zh", "serve", "--data", str(data), "--n-embd", "8", "--n-head", "2", "--port", str(port)]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        first, second = server.stdout.readline(), server.stdout.readline()
        assert first.startswith(f"microgpt-tui 服务地址：http://localhost:{port}/?token="), first
        assert second == "同时最多 3 个会话；按 Ctrl+C 退出\n", second
        answers: list[str] = []

        def answered() -> bool:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", "/", headers={"Host": f"localhost:{port}"})  # (no token)
                answers.append(conn.getresponse().read().decode())
                return True
            except OSError:
                return False

        eventually(answered, "the server to answer", timeout=30)
        assert "microgpt-tui：需要令牌" in answers[0] and untranslated(answers[0]) == []
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def engine_errors(tmp_path):
    """Errors the engine and the data loader raise for real (their English is what engine_errors.py reads back)."""
    import json

    import microgpt_data
    from microgpt_engine import Config, Trainer, load_checkpoint, save_checkpoint

    def raised(call):
        try:
            call()
        except Exception as e:  # (each call below raises; the test wants the error itself)
            return e
        raise AssertionError(f"{call} raised nothing")

    good = tmp_path / "good.json"
    save_checkpoint(Trainer(TINY, Config(n_embd=8, n_head=2, steps=3)), good)
    state = json.loads(good.read_text())

    def edited(name, **fields):
        path = tmp_path / name
        path.write_text(json.dumps(state | fields))
        return path

    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    return [
        raised(lambda: Config(n_embd=0).validate()),
        raised(lambda: Config(n_layer=-1).validate()),
        raised(lambda: Config(seed=10**30).validate()),
        raised(lambda: Config(block_size=1).validate()),
        raised(lambda: Config(beta1=1.0).validate()),
        raised(lambda: Config(temperature=1e-320).validate()),
        raised(lambda: microgpt_data.load_documents(empty)),
        raised(lambda: load_checkpoint(edited("old.json", version=0))),
        raised(lambda: load_checkpoint(edited("config.json", config=state["config"] | {"n_head": 3}))),
        raised(lambda: load_checkpoint(edited("fields.json", config=state["config"] | {"colour": 1}))),
        raised(lambda: load_checkpoint(edited("step.json", step=99))),
        raised(lambda: load_checkpoint(edited("adam.json", adam=state["adam"] | {"t": 2}))),
        raised(lambda: load_checkpoint(edited("rng.json", rng=[3, [0], None]))),
        raised(lambda: load_checkpoint(good).restore(["zz"])),
    ]


def test_the_engines_own_error_sentences_are_said_in_chinese(tmp_path):
    from microgpt_tui.engine_errors import said

    errors = engine_errors(tmp_path)
    language.set_language("zh")
    for error in errors:
        line = said(error)
        assert line != str(error) and untranslated(line) == [], (str(error), line)
        assert sorted(NUMBER.findall(line)) == sorted(NUMBER.findall(str(error))), (str(error), line)
    language.set_language("en")
    assert [said(error) for error in errors] == [str(error) for error in errors]  # (English: the engine's own line)
