"""The recording format: what is written reads back the same, and every damaged or hostile file is one line."""

import json

import pytest

from microgpt_engine import Config
from microgpt_tui.features.recording import format as rec


def header(**settings):
    data = rec.DataIdentity("names.txt", 12, "0" * 64, bundled=True)
    return rec.Header(Config(**settings), "fused", data, (80, 24), "test")


EVENTS = (
    rec.Event(0.5, "key", "space", " "),
    rec.Event(0.75, "key", "ctrl+x"),
    rec.Event(1.0, "steps", 12),
    rec.Event(1.25, "job", 3),
    rec.Event(1.5, "tick", "sample"),
    rec.Event(2.0, "resize", (100, 30)),
    rec.Event(2.0, "paste", "émma\tx"),
    rec.Event(2.5, "mouse", ("down", 12, 7, 1, 5)),
    rec.Event(3.0, "mark", "start"),
)


def test_a_recording_reads_back_as_written(tmp_path):
    path = rec.write(tmp_path / "session.jsonl", header(seed=7, lr=0.02), EVENTS)
    got = rec.read(path)
    assert got.header == header(seed=7, lr=0.02)
    assert got.events == EVENTS
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["version"] == rec.VERSION
    assert json.loads(lines[-1]) == {"t": 3.0, "end": len(EVENTS)}
    assert [e.value for e in got.keys] == ["space", "ctrl+x", (100, 30), "émma\tx", ("down", 12, 7, 1, 5)]


GOOD = rec.dumps(header(), EVENTS)
FIRST, *REST = GOOD.splitlines()


def edited(first=FIRST, rest=None):
    return "\n".join([first, *(REST if rest is None else rest)]) + "\n"


HOSTILE = {
    "empty": ("", "empty"),
    "not json": ("hello\n", "not a JSON line"),
    "binary": (b"\xff\xfe\x00", "not UTF-8"),
    "deep brackets": ("[" * 100_000, "not a JSON line"),
    "a list": ("[1, 2]\n", "not a JSON object"),
    "another format": (edited(FIRST.replace(rec.FORMAT, "asciicast")), "not a microgpt-tui recording"),
    "newer version": (edited(FIRST.replace('"version":1', '"version":99')), "newer than this app reads"),
    "version text": (edited(FIRST.replace('"version":1', '"version":"1"')), "version must be"),
    "truncated": (edited(rest=REST[:-1]), "cut short"),
    "cut mid-line": (GOOD[: GOOD.rindex('{"t"') + 5], "not a JSON line"),
    "wrong count": (edited(rest=[*REST[:-2], REST[-1]]), "the end line counts"),
    "after the end": (edited(rest=[*REST, REST[0]]), "more after the end line"),
    "time backwards": (edited(rest=[REST[2], REST[0], *REST[3:]]), "earlier than the line before"),
    "nan time": (edited(rest=['{"t":NaN,"key":"a"}', *REST]), "not a JSON line"),
    "huge int": (edited(FIRST.replace('"seed":42', '"seed":' + "9" * 5000)), "not a JSON line"),
    "seed too large": (edited(FIRST.replace('"seed":42', '"seed":' + "9" * 30)), "seed"),
    "bad setting": (edited(FIRST.replace('"n_head":4', '"n_head":5')), "divisible"),
    "unknown setting": (edited(FIRST.replace('"seed":42', '"seed":42,"evil":1')), "unknown config fields"),
    "bad engine": (edited(FIRST.replace('"fused"', '"os.system"')), "engine must be"),
    "a path as data name": (edited(FIRST.replace('"names.txt"', '"../../etc/passwd"')), "data name"),
    "bad sha": (edited(FIRST.replace("0" * 64, "z" * 64)), "sha256"),
    "key with a shell": (edited(rest=['{"t":0,"key":"$(rm -rf ~)"}', *REST]), "not a key name"),
    "two kinds": (edited(rest=['{"t":0,"key":"a","steps":3}', *REST]), "one of"),
    "unknown field": (edited(rest=['{"t":0,"key":"a","exec":"x"}', *REST]), "unknown field"),
    "long char": (edited(rest=['{"t":0,"key":"a","char":"ab"}', *REST]), "one character"),
    "huge paste": (edited(rest=['{"t":0,"paste":"' + "a" * 20_000 + '"}', *REST]), "a paste must be"),
    "huge terminal": (edited(FIRST.replace("[80,24]", "[80,100000]")), "rows"),
    "negative steps": (edited(rest=['{"t":0,"steps":-1}', *REST]), "steps must be"),
    "unknown timer": (edited(rest=['{"t":0,"tick":"bomb"}', *REST]), "unknown timer"),
    "a mouse drag": (edited(rest=['{"t":0,"mouse":["drag",1,1,1,0]}', *REST]), "a mouse event must be"),
    "a mouse far off": (edited(rest=['{"t":0,"mouse":["up",1,99999,1,0]}', *REST]), "row must be"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_damaged_or_hostile_recording_is_one_line(tmp_path, kind):
    text, words = HOSTILE[kind]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(rec.RecordingError) as caught:
        rec.read(path)
    message = str(caught.value)
    assert words in message and str(path) in message
    assert "\n" not in message and len(message) < 300


def test_a_file_too_large_is_refused_unread(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("wb") as f:
        f.truncate(rec.MAX_BYTES + 1)  # (sparse: nothing to read, its size says it all)
    with pytest.raises(rec.RecordingError, match="not a recording this app wrote"):
        rec.read(path)


def test_the_data_identity_is_the_files_bytes(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("emma\nolivia\n")
    b.write_text("emma\nolivia\n")
    assert rec.identify(a).sha256 == rec.identify(b).sha256 and rec.identify(a).size == 12
    b.write_text("emma\nolivib\n")
    assert rec.identify(a).sha256 != rec.identify(b).sha256
    assert rec.identify(a).name == "a.txt" and "12 bytes" in rec.identify(a).describe()
