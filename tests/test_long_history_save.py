"""What the app saves, it loads: a run of 50,000 steps saved with the runs screen's save (`w s`) was
written whole (97 MB, "saved") and then refused on loading ("far more values than any model has")."""

import asyncio
import dataclasses
import json

from lab_helpers import begun_lab

from microgpt_engine.checkpoint import MAX_BYTES

STEPS = 50_000


def lengthen(lab, steps):
    """The live run's history as if it had trained `steps` steps (the first record repeated; the trainer
    and Adam moved to that step), without the minutes 50,000 real steps take."""
    record = dataclasses.replace(lab.trainer.step())  # (one copy renumbered: append keeps its numbers, not it)
    history = lab.history
    for step in range(history.now + 1, steps + 1):
        record.step = step
        history.append(record)
    lab.trainer.step_count = lab.trainer.optimizer.t = steps
    lab.trainer.config = dataclasses.replace(lab.trainer.config, steps=steps + 10)


def test_a_50000_step_run_saved_from_the_runs_screen_loads_back(tmp_path, small_docs):
    lab = begun_lab(small_docs, tmp_path)
    lengthen(lab, STEPS)
    path = tmp_path / "long.json"
    note = asyncio.run(lab.experiments.save_run(0, str(path))).note
    assert note.startswith("saved run 0 (step 50,000, its loss curve of "), note
    assert path.stat().st_size <= MAX_BYTES
    kept = len(json.loads(path.read_text())["history"]["loss"])  # (load_run below loads it as a checkpoint)
    assert f"its loss curve of {kept:,} steps" in note
    change = asyncio.run(lab.experiments.load_run(str(path)))
    assert change.note.startswith("loaded run 0 at step 50,000 with its loss curve of"), change.note
    assert lab.history.now == STEPS and lab.history.holds(STEPS) and lab.history.holds(STEPS - 1000)
