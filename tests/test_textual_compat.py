"""The Textual work-arounds: each bug is still there without its work-around (so an upgrade that fixes one is
noticed), each work-around mends it, and a version or a Textual it was not written for is left untouched.

Every case runs in a fresh interpreter: the app tests in this process have patched the classes already.
The reproductions are the ones written in textual_compat.py's docstring, run as they stand there.
"""

import re
import subprocess
import sys
import textwrap

import pytest

from microgpt_tui import textual_compat

BUGS = {1: "styles cache", 2: "writer thread", 3: "plotext plot", 4: "control characters", 5: "palette page"}


def reproduction(number: int) -> str:
    """The code under bug `number` in textual_compat's docstring (its indented block)."""
    doc = textual_compat.__doc__
    assert doc is not None
    section = re.split(r"^(\d)\. ", doc, flags=re.MULTILINE)
    text = section[section.index(str(number)) + 1]
    block = "\n".join(line for line in text.splitlines() if line.startswith("       "))
    return textwrap.dedent(block)


def run(code: str) -> str:
    """`code` in a fresh interpreter: its last line of output (a failure or a hang fails the test)."""
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the reproduction hung (has upstream changed what it reproduces?)")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("number", BUGS, ids=BUGS.values())
def test_the_bug_is_still_there_in_the_installed_release_without_its_work_around(number):
    """If this fails after an upgrade, upstream fixed the bug: drop its work-around (textual_compat.py)."""
    assert run(reproduction(number)) == "True"


@pytest.mark.parametrize("number", [1, 3, 4, 5], ids=[BUGS[1], BUGS[3], BUGS[4], BUGS[5]])
def test_the_work_around_mends_the_reproduction(number):
    """(The writer thread's is proved on a real pty: test_app_stops, the terminal that went away.)"""
    patched = "from microgpt_tui.textual_compat import patch_textual\npatch_textual()\n" + reproduction(number)
    assert run(patched) == "False"


# What each work-around replaces, by its class and attribute.
REPLACED = """
from textual._styles_cache import StylesCache
from textual.drivers._writer_thread import WriterThread
from textual.strip import Strip
from textual.widgets import OptionList
from textual_plotext import PlotextPlot
PLACES = (StylesCache, "get_inner_outer"), (WriterThread, "__init__"), (PlotextPlot, "on_mount"), (Strip, "render")
PLACES += ((OptionList, "_move_page"),)
def replaced():
    return [cls.__dict__[name] for cls, name in PLACES]
before = replaced()
from microgpt_tui.textual_compat import patch_textual
"""


def test_the_installed_releases_get_every_work_around_once():
    code = REPLACED + (
        "applied = patch_textual()\n"
        "changed = [a is not b for a, b in zip(before, replaced())]\n"
        "print(len(applied), changed, patch_textual())\n"
    )
    assert run(code) == "5 [True, True, True, True, True] []"  # applied again: nothing


@pytest.mark.parametrize(
    "textual, plotext, changed",
    [
        ((9, 0, 0), (1, 0, 1), [False, False, True, False, False]),
        ((8, 1, 9), (1, 0, 1), [False, False, True, False, False]),
        ((8, 2, 8), (2, 0), [True, True, False, True, True]),
        (None, None, [False, False, False, False, False]),
    ],
    ids=["textual 9", "textual 8.1", "plotext 2", "unreadable"],
)
def test_a_release_outside_the_range_written_for_is_left_untouched(textual, plotext, changed):
    """Textual 9 or 8.1, textual-plotext 2, a version that cannot be read: only the other package's are applied."""
    versions = {"textual": textual, "textual-plotext": plotext}
    code = REPLACED + (f"patch_textual({versions!r}.get)\nprint([a is not b for a, b in zip(before, replaced())])\n")
    assert run(code) == str(changed)


# Textual 8.x as a later release might have it: the cache no longer an lru_cache, the writer's module
# renamed, the plot's theme hook gone, a Strip that keeps its text elsewhere.
RENAMED = """
import sys
StylesCache.get_inner_outer = lambda self, base, background: (base, background)
sys.modules["textual.drivers._writer_thread"] = None
del PlotextPlot._register_theme
Strip.__slots__ = ["_segments"]
del OptionList._index_to_line
before = replaced()
"""


def test_what_a_release_renamed_or_fixed_is_left_as_it_is_silently():
    code = (
        REPLACED
        + RENAMED
        + ("applied = patch_textual()\nprint(applied, [a is b for a, b in zip(before, replaced())])\n")
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr  # nothing raised, nothing logged
    assert result.stdout.strip() == "[] [True, True, True, True, True]"


def test_versions_are_read_from_the_installed_packages():
    assert textual_compat.installed_version("textual")[:2] == (8, 2)
    assert textual_compat.installed_version("no-such-package-here") is None
