"""The layout at every terminal size: nothing cut at 80x24, every column at 100x30 and 120x40, growth at 200x60."""

import re

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


async def test_at_80x24_the_footer_shows_whole_keys_and_the_note_ends_at_a_word():
    from textual.widgets._footer import FooterKey

    from microgpt_tui.widgets.footer import KeysFooter

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["space"] * 5, "right")
        await pilot.pause()
        footer = app.main.query_one(KeysFooter)
        line = app.screen._compositor.render_strips()[-1].text.rstrip()  # the bottom row as drawn
        keys = list(footer.children)
        shown = [key for key in keys if key.display]
        assert 0 < len(shown) < len(keys)  # 80 columns: some keys drop, the first ones stay
        assert [key.key for key in keys[: len(shown)]] == [key.key for key in shown]  # in order, none skipped
        assert all(isinstance(key, FooterKey) for key in shown)
        labels = [f"{key.key_display} {key.description}" for key in shown]
        assert line == " ".join(labels)  # each shown key whole, nothing after the last one
        assert len(line) <= 80 and line.endswith(labels[-1])
        hidden = keys[len(shown)]
        assert len(line) + 1 + len(f"{hidden.key_display} {hidden.description}") > 80  # the next did not fit
        note = panel(app, "#status").splitlines()[1].strip()
        full = app.lab.status_note()
        assert full.startswith(note.removesuffix("…").rstrip())
        if note.endswith("…"):
            cut = len(note) - 1
            assert full[cut] in " ·:,;—-" or full[cut - 1] in " ·:,;—-"  # the crop fell between words
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        await pilot.pause()
        assert all(key.display for key in footer.children)  # a wide terminal shows every key again


def test_a_long_note_is_cropped_after_a_whole_word():
    from microgpt_tui.widgets.status_bar import crop_words

    assert crop_words("short note", 20) == "short note"
    assert crop_words("step 5 · more likely a +0.6", 16) == "step 5 · more…"
    assert crop_words("step 5 · more likely a +0.6", 10) == "step 5…"  # no dangling separator
    assert crop_words("supercalifragilistic", 8) == "superca…"  # one long word: cut, marked
    assert all(len(crop_words("a bb ccc dddd eeeee", w)) <= w for w in range(2, 20))


def bar_fields(text):
    """Each bar row of the token panel: (label, the bar's field between label and percentage, its filled cells)."""
    rows = []
    for line in text.splitlines():
        for cell in line.strip("│").split(" │ "):
            match = re.match(r"^ ?[▸ ](\S) ([ █▉▊▋▌▍▎▏│]+)(\d+(?:\.\d)?%)\s*$", cell)
            if match:
                field = match.group(2)
                rows.append((match.group(1), field, len(field.rstrip().replace("│", "█"))))
    return rows


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_on_small_terminals_the_next_token_bars_keep_a_readable_length(size):
    """The bars flow into two columns only if each bar keeps 8 cells; else the unlikely tail gives way to `+N more`."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*["space"] * 5)
        await pilot.pause()
        text = panel(app, "#tokens")
        rows = bar_fields(text)
        assert len(rows) >= 10, text
        assert max(filled for _, _, filled in rows) >= 8, text  # the most likely bar is long enough to read
        assert all(len(field) >= 8 for _, field, _ in rows), text  # every bar has room for its length
        if len(rows) < 27:
            assert f"+{27 - len(rows)} more" in text, text
        marked = [line for line in text.splitlines() if "▸" in line]
        assert marked, text  # the actual next character is always among the rows shown
