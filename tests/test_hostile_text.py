"""The data cannot write to the terminal: every character that does not print shows escaped, everywhere.

A data line holding `\\x1b]0;pwned\\x07` retitled the terminal while the app ran,
and headless samples printed raw ESC, BEL and NUL. Checked through the command
line's `main` (what it prints; no process is the subject), under Pilot, and on
the renderables whose columns wide characters used to push out of line.
"""

import csv

import pytest
from app_helpers import make_app, press_sent, settled, widget_text
from cli_helpers import in_process
from rich.cells import cell_len
from rich.console import Console

from microgpt_engine.printable import printable
from microgpt_tui.core.labels import visible, visible_text
from microgpt_tui.renderables.prob_bars import ProbabilityBars

HOSTILE = ["\x1b]0;pwned\x07", "a\x00b\x7f", "\u202eevil", "字字", "e\u0301mma", "emma", "ava", "mia"]


def unprintable(text: str) -> set[str]:
    return {ch for ch in text if not ch.isprintable() and ch != "\n"}


def test_every_character_that_does_not_print_becomes_visible_and_printable_ones_stay():
    assert printable("\x1b]0;pwned\x07") == "␛]0;pwned␇"
    assert printable("a\x00b\x7f\x85") == "a␀b␡\\x85"
    assert printable("\u202eevil\u200b") == "\\u202eevil\\u200b"
    assert printable("字 e\u0301mma ✓") == "字 e\u0301mma ✓"  # wide, combining, symbols: unchanged
    assert visible(" ") == "␣" and visible("\x1b") == "␛" and visible("\u0301") == "◌\u0301"
    assert cell_len(visible("\u0301")) == 1  # a lone combining mark still takes its own cell
    # (each code point's text has no character but a newline that does not print: unprintable's test, in C calls)
    assert all(
        visible_text(chr(c)).replace("\n", "").isprintable() for c in range(0x110000) if not 0xD800 <= c < 0xE000
    )


def test_a_next_token_row_with_a_wide_character_keeps_its_percentage():
    labels = ["◆", "a", "字", "b"]
    console = Console(width=30, record=True, color_system=None)
    console.print(ProbabilityBars(labels, [0.1, 0.2, 0.6, 0.1]))
    lines = console.export_text().splitlines()
    assert len(lines) == 4
    assert all(line.rstrip().endswith("%") and cell_len(line) <= 30 for line in lines), lines
    assert len({cell_len(line.rstrip()) for line in lines}) == 1  # the % column lines up


@pytest.fixture
def hostile_data(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text("\n".join(HOSTILE) + "\n", encoding="utf-8")
    return path


def test_headless_samples_and_the_csv_log_print_no_control_characters(hostile_data, tmp_path):
    log = tmp_path / "log.csv"
    args = ["--n-embd", "8", "--n-head", "2", "--steps", "30", "--lr", "0.05", "--temperature", "3"]
    result = in_process("train", "--data", str(hostile_data), *args, "--samples", "60", "--log", str(log))
    assert result.returncode == 0, result.stderr
    assert not unprintable(result.stdout) and not unprintable(result.stderr)
    samples = "".join(line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("sample"))
    assert {"␛", "␇"} & set(samples) or "\\u202e" in samples  # the data's controls do come out, escaped
    rows = list(csv.reader(log.open(encoding="utf-8")))
    assert not unprintable("".join(",".join(row) for row in rows))
    assert "␛]0;pwned␇" in {row[1] for row in rows[1:]}


async def test_the_app_shows_the_datas_control_characters_escaped(tmp_path):
    app = make_app(tmp_path, docs=HOSTILE * 5, steps=200, config={"n_embd": 8, "n_head": 2, "temperature": 3.0})
    app.lab.session.dataset_name = "bad\x1b[2Jname.txt"
    async with app.run_test(size=(120, 40)) as pilot:
        shown = []
        # (keys handled, then the step or the sample settled: what pilot.press waits for, without its waits for
        # an idle CPU after each of the 53 keys; the screens read are the same)
        for _ in range(12):
            await press_sent(pilot, "space")
            await settled(pilot)
            shown.append(widget_text(app.main.query_one("#tokens")))
        await press_sent(pilot, "s", *["n"] * 40)
        await settled(pilot)
        screen = "\n".join(widget_text(w) for w in app.main.query("#status, #samples, #tokens, #attention"))
        shown.append(screen)
    text = "\n".join(shown)
    assert not unprintable(text), unprintable(text)
    assert "␛" in text and "bad␛[2Jname.txt" in text
