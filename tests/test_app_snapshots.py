"""Snapshot tests of the app's views: fixed seed, 200 names, 120x40, no timings shown.

Regenerate after an intended change with `pytest tests/test_app_snapshots.py --snapshot-update`
and look at the SVGs (tests/__snapshots__/) before committing them.
"""

from app_helpers import make_app

SIZE = (120, 40)


async def settle(pilot):
    """Wait for the baselines worker, so the loss plot's reference lines are drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_after_five_steps(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "right", "right")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_sampling_view_three_characters_in(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "s", "n", "n")

    assert snap_compare(make_app(sample_interval=3600), run_before=run_before, terminal_size=SIZE)


def test_all_heads_view(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("space", "a")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_help_screen(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_too_small_terminal_message(snap_compare):
    assert snap_compare(make_app(), run_before=settle, terminal_size=(79, 23))


def test_forward_pass_view(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "right", "right", "v", "down", "down", "down")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_matrix_heatmap_view(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("space", "space", "m", "m", "g", "n")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_main_screen_at_the_minimum_80x24(snap_compare):
    """Whole titles and headers, distinct matrix names, the status line without an ellipsis."""

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "right")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(80, 24))


def test_main_screen_at_100x30_keeps_every_parameter_column(snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "right")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(100, 30))


def test_all_heads_on_a_large_200x60_terminal_grow_into_a_grid(snap_compare):
    """The panels grow: the heads in a grid of wider cells with their weights, the table's gauge and trend."""

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "a")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(200, 60))


def test_main_screen_at_200x60_sizes_the_heatmap_to_its_panel(snap_compare):
    """One head at 200x60: cells as wide as the panel allows and several lines a row, with their weights."""

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press(*["space"] * 5, "right")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(200, 60))


def test_matrix_heatmap_at_200x60_fills_the_screen(snap_compare):
    """`m` at 200x60: wte's 16 columns share the width, two lines a row."""

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("space", "space", "m")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=(200, 60))


def test_light_theme_keeps_the_contrast_of_the_dark_one(snap_compare):
    """A dark gold mean line and labels on the plot's own background, not yellow on grey in black boxes."""

    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press(*["space"] * 5)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)
