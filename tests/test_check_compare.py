"""`microgpt-tui check --compare`: an intended change (GELU) trained to its end beside microgpt, then opened in
the app's runs screen (w, l, c) as two runs side by side. One small run (3 steps on 6 names) serves both tests."""

import pytest
from app_helpers import make_app, wait_until, widget_text
from check_helpers import TINY, variant
from cli_helpers import assert_one_line_error, in_process, refused
from textual.widgets import DataTable, Input

from microgpt_engine import Config, Trainer
from microgpt_tui.checker.curves import differences, earlier_output
from microgpt_tui.features.runs.compare_screen import RunsCompareScreen

GELU = [
    (
        "        x = [xi.relu() for xi in x]",
        "        x = [0.5 * xi * (1 + (0.7978845608 * (xi + 0.044715 * xi**3)).tanh()) for xi in x]",
    ),
    (
        "    def relu(self) -> Value:",
        "    def tanh(self) -> Value:\n        t = math.tanh(self.data)\n"
        "        return Value(t, (self,), (1 - t * t,))\n\n    def relu(self) -> Value:",
    ),
    ("for sample_idx in range(20):", "for sample_idx in range(3):"),
]
STEPS = 3
DOCS = TINY[:6]


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    data = folder / "names.txt"
    data.write_text("\n".join(DOCS) + "\n")
    script = variant(folder, "gelu.py", GELU, steps=STEPS)
    result = in_process("check", str(script), "--compare", "--data", str(data), cwd=folder)
    return result, folder


def test_compare_trains_both_to_the_end_and_sets_the_curves_and_held_out_losses_side_by_side(compared):
    result, folder = compared
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("│")]
    ours = Trainer(DOCS, Config(steps=STEPS))
    losses = [ours.step().loss for _ in range(STEPS)]
    assert f"gelu.py against microgpt, {STEPS} steps each (mean loss, lower is better):" in lines
    assert "  its settings: the same as microgpt" in lines  # (its num_steps is the length both train for)
    rows = {
        line.split()[0]: line.split()[1:] for line in lines if line.startswith("  ") and line.split()[0][0].isdigit()
    }
    assert [float(rows[f"{k}-{k}"][1]) for k in range(1, STEPS + 1)] == [round(x, 4) for x in losses]  # microgpt's
    assert rows["1-1"][0] != rows["1-1"][1]  # GELU changes the first loss already
    held = next(line for line in lines if line.startswith("  held-out ("))
    assert held.startswith(f"  held-out ({len(DOCS) - STEPS} names)")  # the names neither run trained on
    assert earlier_output(folder / "gelu-microgpt.json") and earlier_output(folder / "gelu-yours.json")  # replaceable
    assert lines[-1] == (
        f"open them side by side: microgpt-tui --data {folder / 'names.txt'} --load gelu-microgpt.json, "
        "then w, l gelu-yours.json (enter), c"
    )


async def test_the_two_kept_runs_open_side_by_side_in_the_runs_screen(compared, monkeypatch):
    result, folder = compared
    monkeypatch.chdir(folder)
    app = make_app(folder, steps=STEPS, docs=DOCS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        for name in ("gelu-microgpt.json", "gelu-yours.json"):
            await pilot.press("l")
            field = app.screen.query_one("#runs-input", Input)
            field.value = ""
            await pilot.press(*name, "enter")
            await wait_until(pilot, lambda: any(run.name in ("microgpt", "gelu.py") for run in app.lab.book.runs))
        await wait_until(pilot, lambda: len(app.lab.book.runs) == 3)
        book = app.lab.book
        assert book.current.name == "microgpt" and book.runs[-1].name == "gelu.py"
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=2)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, RunsCompareScreen))
        await wait_until(pilot, lambda: "…" not in widget_text(app.screen.query_one("#runs-compare-summary")))
        summary = widget_text(app.screen.query_one("#runs-compare-summary"))
        assert "microgpt" in summary and "gelu.py" in summary
        assert "held-out" in summary


def test_compare_never_replaces_a_file_it_did_not_write(tmp_path):
    (tmp_path / "gelu-yours.json").write_text("my notes")
    script = variant(tmp_path, "gelu.py", GELU, steps=STEPS)
    result = in_process("check", str(script), "--compare", cwd=tmp_path)
    assert_one_line_error(result, 2, "gelu-yours.json exists and is no earlier check's output")
    assert (tmp_path / "gelu-yours.json").read_text() == "my notes"


def test_compare_names_the_settings_a_script_changed_against_microgpts_own():
    # microgpt's run keeps microgpt's settings (only its length is the script's): another lr is the change compared.
    assert differences(Config(lr=0.02, steps=5), Config(steps=5)) == "lr 0.02 (microgpt 0.01)"
    assert differences(Config(n_embd=32, n_head=8), Config()) == "n_embd 32 (microgpt 16), n_head 8 (microgpt 4)"


@pytest.mark.parametrize("command", [["sample", "--load"], ["train", "--load"]])
def test_a_scripts_run_given_where_a_checkpoint_goes_says_where_it_opens(compared, command):
    result, folder = compared
    assert_one_line_error(
        refused(*command, "gelu-yours.json", cwd=folder),
        2,
        "gelu-yours.json is a script's run (check --compare), not a checkpoint: the app's runs screen loads it (w, l)",
    )
