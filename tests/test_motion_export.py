"""`microgpt-tui export` (issue 25): a recording replayed without a terminal, written as an asciicast that asciinema
reads back, an animated SVG of as many frames as asked, and the run's loss curve as an animation; exports never
replace a file, and bad input is one line."""

import json

import pytest
from app_helpers import DOCS, make_app, press_sent, until
from cli_helpers import assert_one_line_error, cli, in_process, refused
from recording_helpers import shown
from test_motion import read_cast

import microgpt_data
from microgpt_engine import Config, Trainer, save_checkpoint
from microgpt_tui.features.recording import format as rec

E = rec.Event
# Three steps, a sample drawn three characters in (the timer's ticks), back to training, time travel, an ablation.
EVENTS = [
    E(0.5, "key", "space", " "),
    E(1.0, "key", "space", " "),
    E(1.5, "key", "space", " "),
    E(2.0, "key", "s", "s"),
    E(2.35, "tick", "sample"),
    E(2.7, "tick", "sample"),
    E(3.05, "tick", "sample"),
    E(4.0, "key", "escape"),
    E(5.0, "key", "comma", ","),
    E(6.0, "key", "z", "z"),
]


def write_recording(path, events=EVENTS, data=None):
    data = data or rec.identify(microgpt_data.bundled_names_path(), bundled=True)
    header = rec.Header(Config(n_embd=8, n_head=2, steps=50), "fused", data, (80, 24), "test")
    return rec.write(path, header, events)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    return write_recording(tmp_path_factory.mktemp("recording") / "lesson.jsonl")


async def test_export_writes_a_recorded_sessions_screens_as_a_cast_asciinema_reads_an_svg_and_its_loss(tmp_path):
    """A session recorded under Pilot (steps, a run and its pause, a sample, time travel, an ablation), exported by
    the command: asciinema shows every screen seen before each key, in order; the SVG holds the frames asked."""
    app = make_app(tmp_path, steps=40, config={"n_embd": 8, "n_head": 2})
    lab, screens = app.lab, []
    lab.recording.path = tmp_path / "lesson.jsonl"  # (as --record FILE would say)
    async with app.run_test(size=(80, 24)) as pilot:

        async def press(*keys):
            for key in keys:
                if not lab.training:  # (while it trains, steps keep coming between this look and the key)
                    screens.append(await shown(app))  # (every panel drawn from the state, no toasts)
                await press_sent(pilot, key)

        await press_sent(pilot, "ctrl+r")  # recording starts
        await press("space", "space", "r")
        await until(pilot, lambda: lab.stepping.latest is not None and lab.stepping.latest.step >= 8)
        await press("r")
        await until(pilot, lambda: lab.mode == "paused")
        await press("s")
        await until(pilot, lambda: not lab.drawing.auto)
        await press("comma", "z")
        await until(pilot, lambda: not lab.travel.moving)
        await press("u", "ctrl+r")  # ctrl+r stops: the file is written
    data = tmp_path / "names.txt"  # (the app's 200 names, as a file: what the recording names by size and sha256)
    data.write_text("".join(doc + "\n" for doc in DOCS))
    source = tmp_path / "lesson.jsonl"
    cast, svg, loss = tmp_path / "lesson.cast", tmp_path / "lesson.svg", tmp_path / "loss.svg"
    result = cli("export", source, "--data", data, "--cast", cast, "--svg", svg, "--frames", "4", "--loss", loss)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("exported in ") and "4 frames" in result.stderr, result.stderr
    head = json.loads(cast.read_text().splitlines()[0])
    assert (head["version"], head["width"], head["height"]) == (2, 80, 24)
    played = read_cast(cast)  # asciinema's own reading
    at = 0
    for n, screen in enumerate(screens, 1):  # every recorded screen's rows, in the recorded order
        rows = [row for row in screen.splitlines() if row.strip()]
        assert rows[0] in played[at:], f"recorded screen {n} is not in the cast after the one before it"
        at = played.index(rows[0], at)
        for row in rows:
            assert row in played, f"row {row!r} of recorded screen {n} is not in the cast"
    assert svg.read_text().count('<g class="frame"') == 4
    steps = lab.trainer.step_count
    assert loss.read_text().count('<g class="frame"') == 4 and f"the loss over {steps:,} steps" in result.stderr


def test_export_never_replaces_a_file_nor_writes_over_its_inputs(tmp_path, recording):
    there = tmp_path / "there.cast"
    there.write_text("keep me")
    result = cli("export", str(recording), "--cast", there)
    assert_one_line_error(result, 2, "a file is already there")
    assert there.read_text() == "keep me"
    # (one real process a test; the others run main(argv) in this interpreter: they refuse, the same code)
    result = refused("export", str(recording), "--svg", str(tmp_path / "a.svg"), "--loss", str(tmp_path / "a.svg"))
    assert_one_line_error(result, 2, "is the same file as --svg")
    assert_one_line_error(refused("export", str(recording)), 2, "nothing to export")
    assert list(tmp_path.iterdir()) == [there]


def test_export_refuses_other_data_and_a_hostile_recording_in_one_line(tmp_path, recording):
    mine = tmp_path / "mine.txt"
    mine.write_text("emma\nava\n")
    other = write_recording(tmp_path / "other.jsonl", data=rec.identify(mine))
    out = tmp_path / "out.cast"
    assert_one_line_error(cli("export", str(other), "--cast", out), 2, "give that file with --data")
    mine.write_text("emma\nzoe\n")  # the same name, other names in it
    assert_one_line_error(refused("export", str(other), "--cast", str(out), "--data", str(mine)), 2, "is not the data")
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(recording.read_text().splitlines()[:-1]) + "\n")  # its end line lost
    assert_one_line_error(refused("export", str(cut), "--cast", str(out)), 2, "cut short")
    assert not out.exists()


def test_export_draws_a_saved_runs_loss_curve_without_training(tmp_path, small_docs):
    from microgpt_engine.insight.history import RunHistory

    trainer = Trainer(small_docs, Config(n_embd=8, n_head=2, steps=20))
    history = RunHistory(trainer.model.shapes)
    for _ in range(6):
        history.append(trainer.step())
    ckpt = tmp_path / "run.json"
    save_checkpoint(trainer, ckpt, extra={"history": history.to_json(), "run": {"name": "my run"}})
    result = in_process(
        "export", "--load", str(ckpt), "--loss", str(tmp_path / "loss.svg"), "--frames", "6", may_train=False
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "loss.svg").read_text()
    assert text.count('<g class="frame"') == 6 and "my run" in text
    assert f"loss {history.loss(6):.4f}" in text
    bare = tmp_path / "bare.json"
    save_checkpoint(trainer, bare)
    result = cli("export", "--load", bare, "--loss", tmp_path / "x.svg")  # (the real command, once a test)
    assert_one_line_error(result, 2, "carries no loss curve")
