"""Recordings and codes through the real command: every bad one is one line and exit 2, nothing run or written;
a code in a served page's URL opens that screen in the browser tab."""

import json

import aiohttp
import pytest
from cli_helpers import assert_one_line_error, cli, refused
from test_serve_guard import Served, screen_showing

from microgpt_engine import Config
from microgpt_tui.cli.main import main
from microgpt_tui.features.recording import codes
from microgpt_tui.features.recording import format as rec

TINY = Config(n_embd=8, n_head=2, steps=5)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A good recording on a small data file (its header names the file by size and hash)."""
    folder = tmp_path_factory.mktemp("made")
    data = folder / "names.txt"
    data.write_text("emma\nolivia\nava\nmia\n")
    header = rec.Header(TINY, "fused", rec.identify(data), (80, 24), "test")
    path = rec.write(folder / "good.jsonl", header, [rec.Event(0.1, "key", "space", " ")])
    return folder, data, path


def variant(made, tmp_path, edit):
    """The good recording with one line edited: `edit(lines) -> lines`."""
    lines = made[2].read_text().splitlines()
    path = tmp_path / "edited.jsonl"
    path.write_text("\n".join(edit(lines)) + "\n")
    return str(path)


def with_header(**fields):
    def edit(lines):
        header = json.loads(lines[0]) | fields
        return [json.dumps(header), *lines[1:]]

    return edit


HOSTILE = {
    "truncated": (lambda lines: lines[:-1], "cut short"),
    "damaged": (lambda lines: [lines[0], lines[1][:9], lines[2]], "not a JSON line"),
    "newer": (with_header(version=2), "newer than this app reads"),
    "a key that is a command": (lambda lines: [lines[0], '{"t":0,"key":"$(touch pwned)"}', lines[2]], "key name"),
    "a model too large": (with_header(settings=TINY.to_dict() | {"n_embd": 4096, "n_head": 4}), "GB per training step"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_bad_recording_is_one_line_and_nothing_happens(made, tmp_path, kind, capsys, monkeypatch):
    """(The command's own main, in this process: a subprocess each costs 0.4 s; the test below runs one.)"""
    edit, words = HOSTILE[kind]
    path = variant(made, tmp_path, edit)
    monkeypatch.chdir(tmp_path)
    assert main(["play", path, "--data", str(made[1])]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edited.jsonl"]


def test_a_recording_on_other_data_refuses_unless_its_file_is_given(made, tmp_path):
    folder, data, path = made
    truncated = variant(made, tmp_path, HOSTILE["truncated"][0])
    # (one real process a test, the last; the others run main(argv) in this interpreter, the same code)
    assert_one_line_error(refused("play", truncated, "--data", str(data), cwd=tmp_path), 2, "cut short")
    result = refused("play", str(path), cwd=tmp_path)
    assert_one_line_error(result, 2, f"{path} was recorded on other data, names.txt (20 bytes, sha256")
    other = tmp_path / "names.txt"
    other.write_text("emma\nolivia\nava\nmib\n")
    result = refused("play", str(path), "--data", str(other), cwd=tmp_path)
    assert_one_line_error(result, 2, f"{other} is not the data {path} was recorded on")
    result = cli("play", str(path), "--data", str(data), cwd=tmp_path, timeout=60)  # the right file: on to the app
    assert_one_line_error(result, 2, "the app needs a terminal")


def test_bad_codes_and_codes_on_other_data_are_one_line(made, tmp_path):
    folder, data, _ = made
    assert_one_line_error(cli("--open", "mg1_s5_cffff", cwd=tmp_path), 2, "its check does not match")
    on_data = codes.ScreenCode(TINY, data=codes.DataRef("names.txt", 20, rec.identify(data).sha256[:12]), step=3)
    # (one real process a test; the others run main(argv) in this interpreter, the same code)
    result = refused("--open", on_data.text(), cwd=tmp_path)
    assert_one_line_error(result, 2, "this code needs the data file names.txt (20 bytes, sha256")
    result = refused("--open", on_data.text(), "--data", str(made[2]), cwd=tmp_path)
    assert_one_line_error(result, 2, "is not the data this code needs")
    assert_one_line_error(refused("--open", on_data.text(), "--seed", "3", cwd=tmp_path), 2, "drop --seed")
    assert list(tmp_path.iterdir()) == []


async def test_a_code_in_the_served_pages_url_opens_its_screen_in_that_tab(tmp_path):
    served = Served(tmp_path)
    try:
        data = rec.identify(tmp_path / "names.txt")
        code = codes.ScreenCode(TINY, data=codes.DataRef(data.name, data.size, data.sha256[:12]), step=3).text()
        status, page = served.get(f"/?token={served.token}&code=mg1_s3_c0000")
        assert status == 400 and "its check does not match" in page
        status, page = served.get(f"/?token={served.token}&code={codes.ScreenCode(step=3).text()}")
        assert status == 400 and "made on the bundled names" in page
        status, page = served.get(f"/?token={served.token}&code={code}")
        assert status == 200 and f'/ws/{served.token}/{code}"' in page
        origin = f"http://localhost:{served.port}"
        url = f"ws://localhost:{served.port}/ws/{served.token}/{code}?width=80&height=24"
        async with aiohttp.ClientSession() as session, session.ws_connect(url, headers={"Origin": origin}) as ws:
            await screen_showing(ws, "step 3/5")  # trained to the code's step (the server's own settings: steps 1000)
    finally:
        served.stop()


def test_what_a_replay_writes_goes_to_its_own_folder(made, tmp_path):
    """Saves, exports (beside the checkpoint), the runs screen's files, its own recording, the tour's memory and
    the recovery checkpoint: all in the replay's folder; the recording names no file of the user's to write."""
    import argparse

    from microgpt_engine import Trainer
    from microgpt_tui.cli.recording import replay_app

    folder, data, path = made
    recording = rec.read(path)
    args = argparse.Namespace(file=str(path), speed=1.0, seek_key=None, seek_step=None)
    docs = data.read_text().split()
    app = replay_app(recording, Trainer(docs, recording.header.config), docs, "names.txt", tmp_path, args)
    lab = app.lab
    assert lab.session.save_path.parent == tmp_path and lab.experiments.confined_to == tmp_path
    assert lab.recording.path == tmp_path / "good.jsonl" and lab.touring._state_path.parent == tmp_path
