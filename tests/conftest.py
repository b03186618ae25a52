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
