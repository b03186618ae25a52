"""Shared fixtures: small data, the reference copy in ../shared when present, someone else's checkpoint."""

import os
import shutil
import subprocess
import sys
import tempfile
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


# -- the claim tests' runs (tests/claim_runs.py): made once a session, shared by test_claims_*.py ------------


@pytest.fixture(scope="session")
def bundled_names():
    """The bundled names."""
    from microgpt_data import bundled_names_path, load_documents

    return load_documents(bundled_names_path())


@pytest.fixture(scope="session")
def reference_names():
    """microgpt's reference list, when present."""
    if not REFERENCE_NAMES.exists():
        pytest.skip(f"reference data not present at {REFERENCE_NAMES}")
    from microgpt_data import load_documents

    return load_documents(REFERENCE_NAMES)


@pytest.fixture(scope="session")
def bundled_run(bundled_names):
    """The default model's 1,000 steps on the bundled names, watched parameter by parameter."""
    from claim_runs import observe

    from microgpt_engine import Config

    return observe("bundled", bundled_names, Config())


@pytest.fixture(scope="session")
def reference_run(reference_names):
    """The same on microgpt's reference list."""
    from claim_runs import observe

    from microgpt_engine import Config

    return observe("reference", reference_names, Config())


@pytest.fixture(scope="session", params=["bundled", "reference"])
def default_run(request):
    """The default run on each data set (the reference list only where it is present)."""
    return request.getfixturevalue(f"{request.param}_run")


# -- the language (process-wide: the catalog and Textual's bindings) ----------------------------------------------


@pytest.fixture
def english_after():
    """The test may switch the language: English again afterwards, the key bindings' words too."""
    yield
    from microgpt_tui import language
    from microgpt_tui.switching import translate_bindings

    language.set_language("en")
    translate_bindings([])


@pytest.fixture
def in_chinese(tmp_path, english_after):
    """The test in 中文 (English again afterwards); tmp_path's state file says the input method's first-launch
    note was already shown (it would cover the status line; tests/test_language_zh.py tests it)."""
    from microgpt_tui import language, user_state

    language.set_language("zh")
    user_state.save(tmp_path / "state.json", ime_noted=True)


# -- the app's first frame, in a test process ------------------------------------------------------------------


@pytest.fixture
def real_first_frame():
    """Ask for it to test microgpt_tui/long_lived.py itself: the app's first frame collects the whole process."""


@pytest.fixture(autouse=True)
def first_frame_collects_the_young_only(request, monkeypatch):
    """At its first frame the app collects the whole process, then freezes what is alive (long_lived.settle).
    In the app's own process that walks ~80,000 objects once; in a test process it walks the whole session's
    heap (every module, fixture and earlier app) at every app's start, ~0.2 s an app. Here the first frame
    collects the young generations only, then freezes: older garbage is frozen with the rest until the app
    ends (unsettle), unseen by gc.get_objects (what the memory tests count) as what is alive is either way."""
    if "real_first_frame" in request.fixturenames:
        return
    import gc

    from microgpt_tui import long_lived

    def settle() -> None:
        gc.collect(1)
        gc.freeze()

    monkeypatch.setattr(long_lived, "settle", settle)


# -- the collector in a test process ---------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """A full collection walks every object the test process holds between two apps (its modules, collected
    tests and fixtures: ~100 ms each; in four Pilot files, 4.95 s of their 35 s of CPU). Every 40th collection of
    the middle generation may start one instead of every 10th (0.56 s in those files); the cost is memory: the
    largest process of the whole suite peaks at ~0.9 GB instead of ~0.5 GB. The app's own process keeps
    Python's defaults."""
    import gc

    gc.set_threshold(700, 10, 40)
    if not hasattr(config, "workerinput"):  # (pytest-xdist's workers inherit the controller's environment)
        compiled_once(config)


def compiled_once(config: pytest.Config) -> None:
    """Where Python may not write bytecode (PYTHONDONTWRITEBYTECODE), every interpreter the tests start (each
    worker, the CLI, an app in a terminal, a served session) compiled what it imports again: each worker's
    collection 4.8 s of CPU instead of 1.7, each app's imports 0.67 s instead of 0.40. For this session they
    may write it, into a temporary folder outside the source tree (PYTHONPYCACHEPREFIX: the sources, the
    standard library and the environment stay untouched), and one interpreter fills it before the workers
    start; the folder goes with the session."""
    if not sys.dont_write_bytecode or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    prefix = tempfile.mkdtemp(prefix="microgpt-tui-tests-bytecode-")
    config.add_cleanup(lambda: shutil.rmtree(prefix, ignore_errors=True))
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    folders = [str(REPO / name) for name in ("engine", "data", "microgpt_tui", "tests")]
    fill = (
        f"import compileall; [compileall.compile_dir(f, quiet=2) for f in {folders!r}]; "
        "import microgpt_tui.app, microgpt_tui.cli.main, textual.pilot, pytest, xdist, pytest_asyncio"
    )
    subprocess.run([sys.executable, "-c", fill], cwd=REPO, check=False)


# -- both cores (pytest-xdist) ------------------------------------------------------------------------------------

CLAIM_RUNS = {"bundled_run", "reference_run", "default_run"}


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: three workers for two cores. A Pilot test sleeps while it waits for an idle CPU (Textual's Pilot:
    20 ms or more, twice a key); a third worker fills those sleeps (the whole suite on two quiet cores: 233 s with
    two workers, 173 s with three)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores * 3 // 2)


@pytest.hookimpl(tryfirst=True)  # (before pytest-xdist's own, which reads the groups into the tests' ids)
def pytest_collection_modifyitems(items):
    """Tests that share what a fixture made once go to one worker (`--dist loadgroup`), which makes it once: the
    1,000-step claim runs (session-wide), and each module's own module-scoped fixtures (one group per module and
    parameter: two workers would each build it)."""
    for item in items:
        if CLAIM_RUNS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("claim_runs"))
        elif group := shared_within_module(item):
            item.add_marker(pytest.mark.xdist_group(group))


def shared_within_module(item: pytest.Item) -> str | None:
    """`module[param…]` when `item` uses a module-scoped fixture of its own module, else None."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    module = item.nodeid.split("::")[0]
    params = getattr(getattr(item, "callspec", None), "params", {})
    shared = [
        name for name, defs in info.name2fixturedefs.items() if defs[-1].scope == "module" and defs[-1].baseid == module
    ]
    if not shared:
        return None
    return module + "".join(f"[{params[name]}]" for name in sorted(shared) if name in params)
