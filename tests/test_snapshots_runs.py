"""Snapshots of the experiment views: the loss plot with three runs, the runs screen (fixed seed, 120x40)."""

from app_helpers import make_app, until
from quick_steps import start_run, stepped

SIZE = (120, 40)


async def three_runs(pilot):
    """Three short runs at lr 0.01, 0.03 and 0.1, eight steps each (single steps: no timing involved). What is
    drawn is the end: a run starts through the intent the settings' enter and the new-run dialog's y end in,
    without opening them (tests/test_app_runs.py types into them)."""
    app = pilot.app
    for lr in (None, 0.03, 0.1):
        if lr is not None:
            start_run(app, lr=lr)
        await stepped(pilot, 8)  # (space's intent; drawn once)
        await app.workers.wait_for_complete()  # (the run's held-out loss, measured at its end)
    await pilot.pause()


def test_loss_plot_with_three_runs(snap_compare):
    assert snap_compare(make_app(steps=8), run_before=three_runs, terminal_size=SIZE)


def test_runs_screen(snap_compare):
    async def run_before(pilot):
        await three_runs(pilot)
        await pilot.press("w")
        await pilot.app.workers.wait_for_complete()  # (each run's held-out loss)
        await pilot.pause()

    assert snap_compare(make_app(steps=8), run_before=run_before, terminal_size=SIZE)


def test_two_runs_compared(snap_compare):
    async def run_before(pilot):
        await three_runs(pilot)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("c")  # the live run 2 against run 0
        await pilot.app.workers.wait_for_complete()  # (their held-out losses)
        await pilot.pause()

    assert snap_compare(make_app(steps=8), run_before=run_before, terminal_size=SIZE)


def test_settings_screen_with_a_bad_value(snap_compare):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("o")
        await pilot.pause()
        field = pilot.app.screen.query_one("#set-n_embd")
        field.focus()
        field.value = ""
        await pilot.press("1", "0")
        await pilot.pause()

    assert snap_compare(make_app(steps=8), run_before=run_before, terminal_size=SIZE)


def test_settings_screen_browsing_the_current_folder(snap_compare, tmp_path, monkeypatch):
    here = tmp_path / "pets"
    here.mkdir()
    for name, text in (("pets.txt", "rex\nfido\n"), ("notes.md", "# notes\n"), ("empty.txt", "")):
        (here / name).write_text(text)
    (here / "more").mkdir()
    monkeypatch.chdir(here)

    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("o")
        await pilot.pause()
        await pilot.click("#browse")
        tree = pilot.app.screen.query_one("#set-tree")
        await until(pilot, lambda: len(tree.root.children) == 4)
        await pilot.press("down", "down", "down")  # the cursor on pets.txt
        await pilot.pause()

    assert snap_compare(make_app(steps=8), run_before=run_before, terminal_size=SIZE)
