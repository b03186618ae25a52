"""Checkpoint fields that loaded though no save writes them: version `true` (== 1 in Python), a data count
below 1, a fingerprint that is not a SHA-256, an all-zero RNG state (a Mersenne Twister that draws only 0)."""

import json

import pytest
from cli_helpers import assert_one_line_error, cli, refused

from microgpt_engine import CheckpointError, Config, Trainer, load_checkpoint, save_checkpoint

DAMAGE = {
    "version true": (lambda s: s.update(version=True), "version True is not supported"),
    "data count -5": (lambda s: s["data"].update(count=-5), "data fingerprint is malformed"),
    "data count 0": (lambda s: s["data"].update(count=0), "data fingerprint is malformed"),
    "bad hash": (lambda s: s["data"].update(sha256="not a hash"), "data fingerprint is malformed"),
    "zero rng": (lambda s: s["rng"][1].__setitem__(slice(0, 624), [0] * 624), "RNG state is malformed"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_field_no_save_writes_is_refused_by_load_train_and_sample(tmp_path, damage):
    path = tmp_path / "c.json"
    save_checkpoint(Trainer(["emma", "ava"], Config(steps=3, n_embd=8, n_head=2)), path)
    state = json.loads(path.read_text())
    change, message = DAMAGE[damage]
    change(state)
    path.write_text(json.dumps(state))
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path)
    run = cli if damage == next(iter(DAMAGE)) else refused  # (one real process; the rest main(argv) in-process)
    assert_one_line_error(run("sample", "--load", str(path)), 2, message)
