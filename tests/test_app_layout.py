"""The layout at every terminal size: nothing cut at 80x24, every column at 100x30 and 120x40, growth at 200x60."""

import re

import pytest
from app_helpers import make_app, panel
from quick_steps import stepped
from rich.cells import cell_len
from textual.geometry import Region

CORE = ("matrix", "shape", "std", "|grad|", "log upd", "-5", "upd", " 0 ", "|g| trend")


def titles(text):
    """The border title and subtitle of a panel's text."""
    lines = text.splitlines()
    return lines[0], lines[-1]


async def test_at_80x24_titles_headers_and_rows_are_whole_and_distinct():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await stepped(pilot, 3)
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
    """One session at 200x60 (two steps, then a): the attention heatmap of one head, then the grid of all heads
    (the checks below, each once a test of its own), and the parameter table and the token panel."""
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await stepped(pilot, 2)
        single = panel(app, "#attention")
        assert any(c.isdigit() for line in single.splitlines()[2:-1] for c in line)  # cells wide enough for weights
        the_attention_heatmap_fills_its_panel_with_bigger_cells(app)
        await pilot.press("a")
        await pilot.pause()
        all_heads_grow_into_a_grid_of_tall_cells_with_their_weights(app)
        heads = panel(app, "#attention")
        assert heads.count("head 0") == 1 and "head 3" in heads
        first_block = next(i for i, line in enumerate(heads.splitlines()) if "head 0" in line)
        third = next(i for i, line in enumerate(heads.splitlines()) if "head 2" in line)
        assert third > first_block  # a grid: heads 2 and 3 under 0 and 1, with wider cells
        header = panel(app, "#params").splitlines()[1]
        assert "mean" in header and "lr/std" in header  # the extras fill the width
        assert app.main.query_one("#tokens").size.width > 30


async def test_at_200x60_the_parameter_table_uses_its_width_without_a_gap_before_the_trend():
    """The gauge and the sparkline grow to fill the panel; the sparkline starts right after the gauge
    (it used to sit at the right of a 24-cell column, leaving some 20 empty cells after 5 steps)."""
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await stepped(pilot, 5)
        await pilot.pause()
        lines = [line[2:-2] for line in panel(app, "#params").splitlines()]  # inside the border and padding
        header, rule, rows = lines[1], lines[2], lines[3:12]
        room = len(header)
        for column in ("matrix", "shape", "mean", "std", "|grad|", "log upd", "lr/std", "-5", "upd", "|g| trend"):
            assert column in header, (column, header)
        assert len(rule.rstrip()) >= room - 2, (len(rule.rstrip()), room)  # the table is as wide as the panel
        trend = header.index("|g| trend")
        assert header[trend - 2] == "0"  # the gauge's right end marked where its last cell is
        for row in rows:
            gauge = re.search(r"[·●]+", row)
            spark = re.search(r"[▁▂▃▄▅▆▇█]+", row)
            assert gauge and spark and gauge.end() - gauge.start() >= 30, row
            assert spark.start() - gauge.end() <= 2 and spark.start() == trend, row  # no gap between them
            assert len(spark.group()) == 5  # one bar a step


async def test_at_80x24_the_footer_shows_whole_keys_and_the_note_ends_at_a_word():
    from textual.widgets._footer import FooterKey

    from microgpt_tui.widgets.footer import KeysFooter

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await stepped(pilot, 5)
        await pilot.press("right")
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
    from microgpt_tui.features.panels.status_bar import crop_words

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
        await stepped(pilot, 5)
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


def shading(widget):
    """Per line of the widget as drawn: the columns whose background is not the panel's (the heatmap's cells)."""
    size = widget.outer_size
    strips = widget.render_lines(Region(0, 0, size.width, size.height))
    blank = next(iter(strips[0])).style.bgcolor  # the border's background is the panel's
    lines = []
    for strip in strips:
        x, shaded = 0, set()
        for segment in strip:
            width = cell_len(segment.text)
            if segment.style is not None and segment.style.bgcolor not in (None, blank):
                shaded.update(range(x, x + width))
            x += width
        lines.append(shaded)
    return lines


def row_heights(lines):
    """The heights of the runs of consecutive lines that have shaded cells starting at the grid's first column."""
    first = min(min(line) for line in lines if line)
    runs, height = [], 0
    for line in lines:
        if first in line:
            height += 1
        elif height:
            runs.append(height)
            height = 0
    return runs + ([height] if height else [])


def the_attention_heatmap_fills_its_panel_with_bigger_cells(app):
    """The grid uses >= 90% of the panel's width and each query row more than one line (the right third was empty)."""
    widget = app.main.query_one("#attention")
    lines = shading(widget)
    content = widget.content_region.x - widget.region.x
    used = max(max(line) for line in lines if line) + 1 - content  # up to the last shaded column
    assert used + 2 >= 0.9 * widget.content_size.width, (used, widget.content_size)  # (+2: the ◂ marker)
    text = panel(app, "#attention").splitlines()
    labelled = [i for i, line in enumerate(text) if re.match(r"^│ [▸ ]\S  ", line)]
    assert len(labelled) == len(widget.sequence.labels) and all(b - a > 1 for a, b in zip(labelled, labelled[1:])), text
    heights = row_heights(lines)
    assert len(heights) == 1 and heights[0] > len(labelled)  # one triangle of shading, taller than a line a row
    assert len(re.findall(r"\.\d\d", text[labelled[-1]])) == len(labelled)  # every weight of the last row


def all_heads_grow_into_a_grid_of_tall_cells_with_their_weights(app):
    widget = app.main.query_one("#attention")
    text = panel(app, "#attention").splitlines()
    assert "head 0" in text[1] and "head 1" in text[1] and any("head 2" in line for line in text[2:])
    labelled = [i for i, line in enumerate(text) if re.match(r"^│ [▸ ]\S  ", line)]
    first_block = [i for i in labelled if i < next(j for j, line in enumerate(text) if "head 2" in line)]
    assert all(b - a > 1 for a, b in zip(first_block, first_block[1:])), text  # taller rows
    assert all(len(re.findall(r"\.\d\d|1\.0", text[i])) == 2 * (k + 1) for k, i in enumerate(first_block))
    lines = shading(widget)
    content = widget.content_region.x - widget.region.x
    used = max(max(line) for line in lines if line) + 1 - content
    assert used + 2 >= 0.9 * widget.content_size.width, (used, widget.content_size)


async def test_at_200x60_the_matrix_heatmap_fills_the_screen_with_taller_rows():
    """`m` on wte (27×16): the cells use >= 90% of their width and two lines a row (they stopped at 5 columns)."""
    from microgpt_tui.features.matrix.screen import MatrixScreen

    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await stepped(pilot, 2)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        widget = app.screen.query_one("#matrix-cells")
        lines = shading(widget)
        used = max(max(line) for line in lines if line) + 1 - (widget.content_region.x - widget.region.x)
        assert used >= 0.9 * widget.content_size.width, (used, widget.content_size)
        heights = set(row_heights(lines))
        text = [strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size))]
        labelled = [i for i, line in enumerate(text) if re.match(r"^\s+[a-z◆] ", line)]
        assert len(labelled) == 27 and {b - a for a, b in zip(labelled, labelled[1:])} == {2}, text
        assert heights == {27 * 2}  # one block of shading, two lines a row
        assert len(re.findall(r"[+-]\.\d\d", text[labelled[0]])) == 16  # every weight of a row, none run together


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_all_heads_on_a_small_terminal_show_whole_blocks_and_the_title_names_them(size):
    """Where four heads do not fit side by side even at one column a cell, the first ones show whole (a block cut
    at the edge hid its caption and its last keys) and the title says which."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await stepped(pilot, 5)
        await pilot.press("a")
        await pilot.pause()
        text = panel(app, "#attention").splitlines()
        doc = "".join(app.main.query_one("#attention").sequence.labels)
        captions = re.findall(r"head ?\d*", text[1])
        keys = text[2].strip("│ ").split()
        assert captions and all(re.fullmatch(r"head \d", c) for c in captions), text
        assert keys == [doc] * len(captions), text  # every block's keys whole
        top = text[0]
        if len(captions) < 4:
            assert f"heads 0-{len(captions) - 1} of 4" in top or (len(captions) == 1 and "head 0 of 4" in top), top
        else:
            assert "all" in top, top


def contrast(fg, bg):
    """WCAG contrast ratio of two rich colours (1 to 21)."""

    def luminance(color):
        channels = [c / 255 for c in color.get_truecolor()]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_next_token_panels_numbers_keep_their_contrast_on_either_theme(theme):
    """Every percentage, the marked letter and -log p read at >= 4.5:1 on the panel (light cyan 5.9% on pale grey
    read at about 1.5:1)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await stepped(pilot, 5)
        await pilot.pause()
        widget = app.main.query_one("#tokens")
        strips = widget.render_lines(Region(0, 0, *widget.outer_size))
        checked = 0
        for strip in strips[1:-1]:
            for segment in strip:
                text, style = segment.text.strip(), segment.style
                if style is None or style.color is None or style.bgcolor is None:
                    continue
                if re.search(r"\d%|-log p|\d\.\d\d", text):
                    assert contrast(style.color, style.bgcolor) >= 4.5, (theme, text, style)
                    checked += 1
        assert checked >= 27  # every percentage and the header's numbers


def faint_segments(widget, faint_allowed=False):
    """The coloured segments inside the widget's border that read below 4.5:1 on their background, and how many
    were checked. The masked future's dots are faint on purpose (in the dark theme too) when `faint_allowed`."""
    low, checked = [], 0
    for strip in widget.render_lines(Region(0, 0, *widget.outer_size)):
        for segment in strip:
            text, style = segment.text.strip(" │╭╮╰╯─"), segment.style
            if not text or style is None or style.color is None or style.bgcolor is None:
                continue
            if faint_allowed and set(text) <= {"·", " "}:
                continue
            checked += 1
            if contrast(style.color, style.bgcolor) < 4.5:
                low.append((text[:24], round(contrast(style.color, style.bgcolor), 2)))
    return low, checked


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_parameter_table_and_the_heatmaps_keep_their_contrast_on_either_theme(theme):
    """On the light theme the table's green log upd read at 1.4:1, the gauge's dots on its dark band at 1.7:1, the
    sparklines at 3:1, the all-heads captions at 1.6:1, the matrix view's column numbers at 3:1: now all >= 4.5:1."""
    from microgpt_tui.features.panels.param_panel import ParamPanel

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = theme
        await stepped(pilot, 5)
        await pilot.pause()
        params = app.main.query_one("#params", ParamPanel)
        low, checked = faint_segments(params)
        assert not low and checked >= 9 * 3, (theme, low, checked)  # every row's log upd, gauge and trend
        background = params.rich_style.bgcolor
        for style in (params.palette.healthy, params.palette.unhealthy, params.palette.muted):  # (and the unhealthy)
            assert contrast(style.color, background) >= 4.5, (theme, style)
        await pilot.press("a")
        await pilot.pause()
        attention = app.main.query_one("#attention")
        low, checked = faint_segments(attention, faint_allowed=True)
        assert not low and checked >= 20, (theme, low, checked)  # captions, weights and labels (runs merged)
        await pilot.press("m")
        await pilot.pause()
        for part in ("#matrix-title", "#matrix-cells", "#matrix-side"):
            low, checked = faint_segments(app.screen.query_one(part))
            assert not low and checked, (theme, part, low)
