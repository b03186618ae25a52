"""Checkpoints: exact resume, atomic writes, and a clear refusal for every bad file."""

import json
import os

import pytest

from microgpt_engine import CheckpointError, Config, Sampler, Trainer, load_checkpoint, save_checkpoint


@pytest.fixture
def stepped_trainer(small_docs):
    trainer = Trainer(small_docs, Config(steps=12, n_embd=8, n_head=2, seed=7))
    for _ in range(4):
        trainer.step()
    return trainer


def test_save_load_continue_equals_an_uninterrupted_run(small_docs, tmp_path):
    config = Config(steps=12, n_embd=8, n_head=2, seed=7)
    straight = Trainer(small_docs, config)
    interrupted = Trainer(small_docs, config)
    for _ in range(5):
        straight.step()
        interrupted.step()
    save_checkpoint(interrupted, tmp_path / "ck.json")
    resumed = load_checkpoint(tmp_path / "ck.json").restore(small_docs)
    assert [straight.step().loss for _ in range(7)] == [resumed.step().loss for _ in range(7)]
    assert straight.model.weights == resumed.model.weights
    # The RNG continues too: the same samples afterwards.
    a = Sampler(straight.model, straight.tokenizer, straight.rng).run()
    b = Sampler(resumed.model, resumed.tokenizer, resumed.rng).run()
    assert a == b


def test_checkpoint_is_plain_json_with_a_version(stepped_trainer, tmp_path):
    path = save_checkpoint(stepped_trainer, tmp_path / "ck.json")
    state = json.loads(path.read_text())
    assert state["version"] == 1 and state["step"] == 4
    assert list(state["weights"])[:3] == ["wte", "wpe", "lm_head"]


def test_failed_save_leaves_the_previous_file_intact(stepped_trainer, tmp_path, monkeypatch):
    path = save_checkpoint(stepped_trainer, tmp_path / "ck.json")
    before = path.read_bytes()
    stepped_trainer.step()

    opened = os.fdopen

    class FillsUp:
        """The temp file, on a disk that fills up part of the way through the write."""

        def __init__(self, *args, **kwargs):
            self.file = opened(*args, **kwargs)

        def write(self, text):
            self.file.write(text[:40])  # part of the file...
            raise OSError(28, "No space left on device")  # ...then the disk fills up

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    monkeypatch.setattr("microgpt_engine.paths.os.fdopen", FillsUp)
    with pytest.raises(CheckpointError, match="no space left on the device"):
        save_checkpoint(stepped_trainer, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["ck.json"]  # no temp file left behind


def corrupt(state, how):
    if how == "version":
        state["version"] = 99
    elif how == "wrong shape":
        state["weights"]["wte"] = state["weights"]["wte"][:-1]
    elif how == "not an object":
        return [1, 2, 3]
    elif how == "adam length":
        state["adam"]["m"] = state["adam"]["m"][:10]
    elif how == "bad config":
        state["config"]["n_head"] = 3
    elif how == "rng":
        state["rng"] = [3, [1, 2], None]
    elif how == "huge config":
        state["config"]["n_embd"] = 100000
        state["config"]["n_head"] = 1
    elif how == "string weight":
        state["weights"]["wpe"][0][0] = "1.0"
    return state


@pytest.mark.parametrize(
    "how, message",
    [
        ("version", "format version 99 is not supported"),
        ("wrong shape", "wte does not have"),
        ("not an object", "format marker"),
        ("adam length", "Adam m is not"),
        ("bad config", "must be divisible"),
        ("rng", "RNG state"),
        ("huge config", "GB per training step"),
        ("string weight", "wpe rows are not"),
    ],
)
def test_malformed_checkpoint_is_refused_with_a_clear_message(stepped_trainer, tmp_path, how, message):
    path = save_checkpoint(stepped_trainer, tmp_path / "ck.json")
    path.write_text(json.dumps(corrupt(json.loads(path.read_text()), how)))
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path)


def test_truncated_missing_and_nan_checkpoints_are_refused(stepped_trainer, tmp_path):
    path = save_checkpoint(stepped_trainer, tmp_path / "ck.json")
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(CheckpointError, match="truncated"):
        load_checkpoint(path)
    state = json.loads(text)
    state["weights"]["wte"][0][0] = "NAN_HERE"
    path.write_text(json.dumps(state).replace('"NAN_HERE"', "NaN"))  # Python's json would accept NaN
    with pytest.raises(CheckpointError, match="NaN is not a finite number"):
        load_checkpoint(path)
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        load_checkpoint(tmp_path / "missing.json")


def test_checkpoint_for_other_data_is_refused_on_restore(stepped_trainer, tmp_path):
    path = save_checkpoint(stepped_trainer, tmp_path / "ck.json")
    with pytest.raises(CheckpointError, match="vocabulary"):
        load_checkpoint(path).restore(["xyz", "QQQ"])


def test_saving_into_a_missing_directory_is_a_clear_error(stepped_trainer, tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        save_checkpoint(stepped_trainer, tmp_path / "nope" / "ck.json")
