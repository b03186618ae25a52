"""The engine and the data loader stand alone: standard library only, no UI."""

import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[1] / "engine"

CHECK = """
import importlib, pkgutil, sys
before = set(sys.modules)  # whatever site-packages' .pth hooks loaded at start-up
import microgpt_engine, microgpt_engine.insight, microgpt_data
for package in (microgpt_engine, microgpt_engine.insight):
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
ours = {"microgpt_engine", "microgpt_data"}
new = {m.split(".")[0] for m in set(sys.modules) - before}
foreign = sorted(new - set(sys.stdlib_module_names) - ours)
print(" ".join(foreign))
"""

ALGORITHM_IMPORTS_INSIGHT = """
import sys
import microgpt_engine
for name in ("train", "sample", "checkpoint", "model", "ops", "tape", "value", "optim"):
    __import__(f"microgpt_engine.{name}")
print(any(m.startswith("microgpt_engine.insight") for m in sys.modules))
"""


def test_every_engine_module_imports_only_the_standard_library():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert result.stdout.split() == [], f"third-party modules imported: {result.stdout}"


def test_the_algorithm_never_imports_the_analyses():
    result = subprocess.run(
        [sys.executable, "-c", ALGORITHM_IMPORTS_INSIGHT], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_engine_modules_exist_to_be_checked():
    names = {p.stem for p in ENGINE.glob("*.py")}
    assert {"value", "tape", "ops", "model", "optim", "train", "sample", "checkpoint"} <= names
    assert {"history", "timetravel", "graph"} <= {p.stem for p in (ENGINE / "insight").glob("*.py")}


def test_no_generic_top_level_engine_package_is_installed():
    """The engine installs as microgpt_engine: a package named `engine` would collide with others."""
    code = (
        "import importlib.util, os, sys; "
        "sys.path = [p for p in sys.path if p and os.path.abspath(p) != os.getcwd()]; "
        "print(importlib.util.find_spec('engine') is None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ENGINE.parent.parent
    )
    assert result.stdout.strip() == "True"


def test_every_package_folder_is_in_the_install_list():
    """pyproject lists the packages by hand (engine/ installs under another name); a folder missing from the
    list works in an editable install and is absent from a real one (CI's, a user's)."""
    tomllib = pytest.importorskip("tomllib")  # (Python 3.11+)

    root = ENGINE.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(root).parts) for p in (root / "microgpt_tui").rglob("__init__.py")}
    folders |= {".".join(("microgpt_engine", *p.parent.relative_to(ENGINE).parts)) for p in ENGINE.rglob("__init__.py")}
    assert folders - listed == set()
