"""The engine and the data loader stand alone: standard library only, no UI."""

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "engine"

CHECK = """
import importlib, pkgutil, sys
before = set(sys.modules)  # whatever site-packages' .pth hooks loaded at start-up
import engine, microgpt_data
for info in pkgutil.iter_modules(engine.__path__):
    importlib.import_module(f"engine.{info.name}")
ours = {"engine", "microgpt_data"}
new = {m.split(".")[0] for m in set(sys.modules) - before}
foreign = sorted(new - set(sys.stdlib_module_names) - ours)
print(" ".join(foreign))
"""


def test_every_engine_module_imports_only_the_standard_library():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert result.stdout.split() == [], f"third-party modules imported: {result.stdout}"


def test_engine_modules_exist_to_be_checked():
    names = {p.stem for p in ENGINE.glob("*.py")}
    assert {"value", "tape", "ops", "model", "optim", "train", "sample", "checkpoint"} <= names
