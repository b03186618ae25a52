"""Every option and dialog that takes a path, against every kind of path the system can refuse.

The cases are generated: each path option of each command (and the settings' data file, the runs
screen's save and load) meets each hostile path (empty, missing, a directory, a FIFO, a dangling link,
a link loop, a name too long, a file where a folder should be, a device, a symbolic link to write
through). Each ends in one line and exit code 2 (a message in the app), never a traceback, and nothing
is written or followed. Each kind of path goes to a real `microgpt-tui` process once per test (the options
taking turns); the other options run `main(argv)` in this interpreter (`refused`), the same code.
"""

import asyncio
import os

import pytest
from cli_helpers import assert_one_line_error, cli, refused
from lab_helpers import begun_lab

from microgpt_engine import Config, Trainer, paths, save_checkpoint
from microgpt_tui.features.recording import format as rec

TINY = ["--steps", "1", "--n-embd", "8", "--n-head", "2", "--block-size", "8"]
# (command words, option) for every option that reads a file, and every one that writes one.
READ_OPTIONS = [([], "--data"), ([], "--load"), (["train"], "--data"), (["train"], "--load"), (["sample"], "--load")]
READ_OPTIONS += [(["serve"], "--data"), (["serve"], "--load"), (["play"], "--data")]
READ_OPTIONS += [(["export"], "RECORDING"), (["export"], "--data"), (["export"], "--load")]  # (RECORDING: positional)
WRITE_OPTIONS = [([], "--save"), (["train"], "--save"), (["train"], "--log"), (["serve"], "--save"), ([], "--record")]
WRITE_OPTIONS += [(["export"], "--cast"), (["export"], "--svg"), (["export"], "--loss")]


def hostile(tmp_path, kind):
    """A path of `kind`, made in `tmp_path`; what the one line must say about it."""
    file = tmp_path / "file.txt"
    file.write_text("emma\n")
    made = {
        "empty": ("", "is empty"),
        "missing": (tmp_path / "missing.json", "no such"),
        "directory": (tmp_path, "directory"),
        "fifo": (tmp_path / "fifo", "not a regular file"),
        "dangling link": (tmp_path / "dangling", "no such"),
        "link loop": (tmp_path / "loop", "symbolic links"),
        "name too long": (tmp_path / ("x" * 300), "too long"),
        "a file as folder": (file / "x.json", "a file, not a directory"),
        "device": ("/dev/null", "not a regular file"),
    }
    path, message = made[kind]
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dangling link":
        os.symlink(tmp_path / "nowhere", path)
    elif kind == "link loop":
        os.symlink(tmp_path / "loop", path)
    return str(path), message


READ_KINDS = ["empty", "missing", "directory", "fifo", "dangling link", "link loop", "name too long"]
READ_KINDS += ["a file as folder", "device"]
# What a write refuses, and the words: a link of any kind is never written through or replaced.
WRITE_KINDS = {
    "empty": "is empty",
    "directory": "it is a directory",
    "fifo": "not a regular file",
    "dangling link": "symbolic link",
    "link loop": "symbolic link",
    "name too long": "too long",
    "a file as folder": "is a file, not a directory",
    "device": "not a regular file",
    "missing folder": "does not exist",
    "link to a file": "symbolic link",
}


def real_process(kinds, options):
    """(option, kind) pairs run as a real process: each kind once, the options taking turns."""
    return {
        (" ".join([*options[i % len(options)][0], options[i % len(options)][1]]), kind) for i, kind in enumerate(kinds)
    }


def snapshot(folder):
    """Every name in `folder` and what it is (a link's target, a file's bytes): to see nothing changed."""
    seen = {}
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if os.path.islink(path):
            seen[entry] = ("link", os.readlink(path))
        elif os.path.isfile(path):
            with open(path, "rb") as f:
                seen[entry] = ("file", f.read())
        else:
            seen[entry] = ("other", None)
    return seen


def needs(command, option, tmp_path, good, recording=None):
    """The rest of a command line that would work, so that only the path under test can fail."""
    if command == ["sample"]:
        return [] if option == "--load" else ["--load", good]
    if command == ["play"]:
        return [good.replace(".json", ".jsonl")]  # (a recording on other data: only --data can fail first)
    if command == ["export"]:  # (an output that would be new: it must not be written either)
        out = str(tmp_path.parent / f"{tmp_path.name}.out")
        return {"RECORDING": ["--cast", out], "--data": [recording, "--cast", out], "--load": ["--loss", out]}.get(
            option, [recording]
        )
    return TINY


def given(option, path):
    """The option and its path on a command line (a positional: the path alone)."""
    return [option, path] if option.startswith("-") else [path]


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    """A recording of one step on the bundled names, whose replay would work."""
    from test_motion_export import write_recording

    return str(write_recording(tmp_path_factory.mktemp("recording") / "good.jsonl"))


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "good.json"
    config = Config(steps=2, n_embd=8, n_head=2, block_size=8)
    save_checkpoint(Trainer(["emma", "ava"], config), path)
    identity = rec.DataIdentity("other.txt", 9, "0" * 64)
    rec.write(path.with_suffix(".jsonl"), rec.Header(config, "fused", identity, (80, 24)), [])  # (beside it)
    return str(path)


REAL_READS = real_process(READ_KINDS, READ_OPTIONS)
REAL_WRITES = real_process(list(WRITE_KINDS), WRITE_OPTIONS)


@pytest.mark.parametrize("kind", READ_KINDS)
@pytest.mark.parametrize("command, option", READ_OPTIONS, ids=[" ".join([*c, o]) for c, o in READ_OPTIONS])
def test_every_read_option_answers_every_hostile_path_in_one_line(tmp_path, good, recording, command, option, kind):
    path, message = hostile(tmp_path, kind)
    before = snapshot(tmp_path)
    run = cli if (" ".join([*command, option]), kind) in REAL_READS else refused
    result = run(*command, *needs(command, option, tmp_path, good, recording), *given(option, path), timeout=60)
    assert_one_line_error(result, 2, message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", READ_KINDS)
def test_play_answers_every_hostile_recording_path_in_one_line(tmp_path, kind):
    path, message = hostile(tmp_path, kind)
    before = snapshot(tmp_path)
    assert_one_line_error(cli("play", path, timeout=60), 2, message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", list(WRITE_KINDS))
@pytest.mark.parametrize("command, option", WRITE_OPTIONS, ids=[" ".join([*c, o]) for c, o in WRITE_OPTIONS])
def test_every_write_option_refuses_every_hostile_path_before_training(tmp_path, recording, command, option, kind):
    if kind == "missing folder":
        path = str(tmp_path / "gone" / "x.json")
    elif kind == "link to a file":
        path = str(tmp_path / "link.json")
        os.symlink(tmp_path / "elsewhere.json", path)  # a write would create elsewhere.json through it
    else:
        path, _ = hostile(tmp_path, kind)
    before = snapshot(tmp_path)
    run = cli if (" ".join([*command, option]), kind) in REAL_WRITES else refused
    result = run(*command, *needs(command, option, tmp_path, None, recording), option, path, timeout=60)
    assert_one_line_error(result, 2, WRITE_KINDS[kind])
    assert "step" not in result.stdout
    assert snapshot(tmp_path) == before


def test_a_save_over_a_file_keeps_its_owner_and_permissions(tmp_path):
    """What the app saves over stays the owner's: root saving into someone's file does not take it."""
    path = tmp_path / "theirs.json"
    path.write_text("{}")
    os.chmod(path, 0o640)
    if os.geteuid() == 0:
        os.chown(path, 1234, 5678)
    save_checkpoint(Trainer(["emma"], Config(steps=1, n_embd=8, n_head=2)), path)
    st = os.stat(path)
    assert st.st_mode & 0o777 == 0o640
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (1234, 5678)


def test_the_log_is_never_opened_through_a_link_made_after_the_check(tmp_path):
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    link = tmp_path / "log.csv"
    os.symlink(target, link)
    with pytest.raises(paths.PathError, match="symbolic link"):
        paths.open_for_writing(link)
    assert target.read_text() == "keep me"


def test_a_small_file_is_read_without_reserving_the_limit(tmp_path):
    """The data loader's 256 MB limit is a ceiling, not an allocation: under a 200 MB address-space limit
    `train` on a 17-byte file trains (it died with a MemoryError traceback)."""
    import resource
    import subprocess

    from cli_helpers import ENTRY

    data = tmp_path / "tiny.txt"
    data.write_text("emma\nava\nmia\nzoe\n")

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (200 * 1024**2, resource.RLIM_INFINITY))

    result = subprocess.run(
        [*ENTRY, "train", "--data", str(data), *TINY, "--samples", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
    )
    assert result.returncode == 0, result.stderr
    assert "step    1 /    1" in result.stdout


def test_a_sparse_file_over_the_limit_is_refused_unread(tmp_path):
    import microgpt_data

    big = tmp_path / "sparse.txt"
    with open(big, "wb") as f:
        f.truncate(2 * 1024**3)  # 2 GB of nothing on disk
    with pytest.raises(microgpt_data.DataError, match="more than"):
        microgpt_data.load_documents(big)


# --- the dialogs: the settings' data file, the runs screen's save and load -------------------------------

DIALOG_READ_KINDS = [k for k in READ_KINDS if k != "empty"] + ["nul"]


def dialog_path(tmp_path, kind):
    if kind == "nul":
        return str(tmp_path / "a\0b.txt"), "NUL"
    return hostile(tmp_path, kind)


@pytest.mark.parametrize("kind", DIALOG_READ_KINDS)
def test_the_settings_data_file_answers_every_hostile_path_beside_the_field(tmp_path, small_docs, kind):
    lab = begun_lab(small_docs, tmp_path)
    path, message = dialog_path(tmp_path, kind)
    choice, errors = lab.experiments.check_settings({}, "fused", "file", path)
    assert choice is None
    assert message.lower() in errors["dataset"].lower()


@pytest.mark.parametrize("kind", [*DIALOG_READ_KINDS, "empty"])
def test_the_runs_screen_load_answers_every_hostile_path_in_its_note(tmp_path, small_docs, kind):
    lab = begun_lab(small_docs, tmp_path)
    path, message = dialog_path(tmp_path, kind)
    note = asyncio.run(lab.experiments.load_run(path)).note
    assert note.startswith("could not load") and message.lower() in note.lower(), note


@pytest.mark.parametrize("kind", [*WRITE_KINDS, "nul"])
def test_the_runs_screen_save_refuses_every_hostile_path_and_writes_nothing(tmp_path, small_docs, kind):
    lab = begun_lab(small_docs, tmp_path)
    lab.trainer.step()
    if kind == "missing folder":
        path = str(tmp_path / "gone" / "x.json")
    elif kind == "link to a file":
        path = str(tmp_path / "link.json")
        os.symlink(tmp_path / "elsewhere.json", path)
    else:
        path, _ = dialog_path(tmp_path, kind)
    before = snapshot(tmp_path)
    note = asyncio.run(lab.experiments.save_run(0, path)).note
    assert note.startswith(("could not save", "not saved")), note
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("typed", ["../outside.json", "/tmp/outside.json", "~/outside.json", "link/x.json"])
def test_served_runs_screen_saves_and_loads_only_inside_the_session_folder(tmp_path, small_docs, typed):
    """Under `serve` a browser user names files relative to the session's folder and cannot leave it."""
    session = tmp_path / "session"
    session.mkdir()
    os.symlink(tmp_path, session / "link")  # a link out of the folder
    lab = begun_lab(small_docs, session)
    lab.experiments.confined_to = session
    lab.trainer.step()
    note = asyncio.run(lab.experiments.save_run(0, typed)).note
    assert "outside this session's folder" in note or "could not save" in note, note
    assert not (tmp_path / "outside.json").exists() and not (tmp_path / "x.json").exists()
    assert "outside this session's folder" in asyncio.run(lab.experiments.load_run("../session/../x.json")).note
    _, errors = lab.experiments.check_settings({}, "fused", "file", "/etc/hostname")
    assert "outside this session's folder" in errors["dataset"]
    inside = asyncio.run(lab.experiments.save_run(0, "mine.json")).note
    assert inside.startswith("saved") and (session / "mine.json").exists()


@pytest.mark.parametrize("kind", ["fifo", "directory", "link loop", "name too long", "device"])
def test_the_remembered_state_file_is_read_by_the_same_checks_and_never_blocks_the_start(tmp_path, kind):
    """The app reads its own state file (the tour's memory) at start: a FIFO there blocked it for ever."""
    import threading

    from microgpt_tui import user_state

    path, _ = hostile(tmp_path, kind)
    found = []
    reader = threading.Thread(target=lambda: found.append(user_state.load(path)), daemon=True)
    reader.start()
    reader.join(20)
    assert found == [{}]
