"""Shared fixtures: small data, the reference copy in ../shared when present, someone else's checkpoint."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE_NAMES = SHARED / "data" / "names.txt"
REFERENCE_FIGURES = SHARED / "reference"


@pytest.fixture
def small_docs():
    return ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn"]


@pytest.fixture
def reference_docs():
    if not REFERENCE_NAMES.exists():
        pytest.skip(f"reference data not present at {REFERENCE_NAMES}")
    import microgpt_data

    return microgpt_data.load_documents(REFERENCE_NAMES)  # the product's own loader


@pytest.fixture
def someones_checkpoint(tmp_path):
    """A 5-step checkpoint already in the folder (where the app saves), written by another run."""
    from microgpt_engine import Config, Trainer, save_checkpoint

    trainer = Trainer(["emma", "ava", "mia"], Config(steps=5, seed=1, n_embd=8, n_head=2))
    for _ in range(5):
        trainer.step()
    path = tmp_path / "ckpt.json"
    save_checkpoint(trainer, path)
    return path


@pytest.fixture(autouse=True, scope="session")
def quick_idle_polls():
    """Pilot's idle check polls every 2 ms instead of every 20 ms.

    After each key Pilot waits twice for the process to look idle (CPU time
    under a twentieth of wall time over one poll), and `pilot.pause()` once:
    with 20 ms polls a key costs ~65 ms however little it does. A finer poll
    keeps the same test (idle over one whole poll) and makes a key ~13 ms.
    Correctness never rests on it: `press` waits for the screen to handle
    every queued message, and tests wait for a worker's effect by its
    condition. If Textual renames these, Pilot keeps its own (slower) polls.
    """
    import textual._wait as wait

    if not hasattr(wait, "SLEEP_GRANULARITY") or not hasattr(wait, "SLEEP_IDLE"):
        yield
        return
    patch = pytest.MonkeyPatch()
    patch.setattr(wait, "SLEEP_GRANULARITY", 0.002)
    patch.setattr(wait, "SLEEP_IDLE", 0.002 / 20)
    yield
    patch.undo()
