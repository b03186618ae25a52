"""Shared fixtures: small data, the reference copy in ../shared when present."""

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
