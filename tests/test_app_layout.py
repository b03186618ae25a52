"""The layout at every terminal size: nothing cut at 80x24, every column at 100x30 and 120x40, growth at 200x60."""

import pytest
from app_helpers import make_app, panel

CORE = ("matrix", "shape", "std", "|grad|", "log upd", "-5 upd 0", "|g| trend")


def titles(text):
    """The border title and subtitle of a panel's text."""
    lines = text.splitlines()
    return lines[0], lines[-1]


async def test_at_80x24_titles_headers_and_rows_are_whole_and_distinct():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["space"] * 3)
        status = panel(app, "#status").splitlines()[0]
        assert "…" not in status and "names.txt" in status
        for pid in ("attention", "params", "samples", "tokens", "loss"):
            top, bottom = titles(panel(app, f"#{pid}"))
            assert "…" not in top and "…" not in bottom, (pid, top, bottom)
        params = panel(app, "#params").splitlines()
        header = params[1]
        assert "matrix" in header and "log upd" in header and "std" in header
        rows = [line.strip("│ ").split()[0] for line in params[3:12]]
        assert len(set(rows)) == 9 and "layer0.attn_wq" in rows or "L0.attn_wq" in rows
        assert "total 4,192" in params[12]
        assert "L0" in titles(panel(app, "#attention"))[0]


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
async def test_every_parameter_column_and_the_whole_legend_show(size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("space")
        await pilot.pause()
        header = panel(app, "#params").splitlines()[1]
        for column in CORE:
            assert column in header, (size, column, header)
        legend = titles(panel(app, "#loss"))[1]
        for entry in ("step", "mean", "uniform", "bigram"):
            assert entry in legend, (size, legend)


async def test_at_200x60_the_panels_grow():
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("space", "space")
        single = panel(app, "#attention")
        assert ".50" in single or any(c.isdigit() for c in single.splitlines()[3])  # cells wide enough for weights
        await pilot.press("a")
        heads = panel(app, "#attention")
        assert heads.count("head 0") == 1 and "head 3" in heads
        first_block = next(i for i, line in enumerate(heads.splitlines()) if "head 0" in line)
        third = next(i for i, line in enumerate(heads.splitlines()) if "head 2" in line)
        assert third > first_block  # a grid: heads 2 and 3 under 0 and 1, with wider cells
        header = panel(app, "#params").splitlines()[1]
        assert "mean" in header and "lr/std" in header  # the extras fill the width
        assert app.main.query_one("#tokens").size.width > 30
