"""Tests for the app's pure Rich renderables: drawn with a plain Console, no app."""

import re

import pytest
from rich.console import Console

from microgpt_tui.core.labels import number_or_dash
from microgpt_tui.features.panels.param_table import ParamTable, gauge, scale, sparkline
from microgpt_tui.features.panels.status_bar import Status, status_text
from microgpt_tui.renderables.colors import cell_style, ramp
from microgpt_tui.renderables.heatmap import AttentionHeatmap, weight_text
from microgpt_tui.renderables.prob_bars import ProbabilityBars, bar


def draw(renderable, width=60):
    console = Console(width=width, record=True, color_system="truecolor", force_terminal=True)
    console.print(renderable)
    return console.export_text(styles=False)


def lower_triangle(n):
    """Uniform causal attention: query q spreads 1/(q+1) over keys 0..q."""
    return [[1 / (q + 1)] * (q + 1) for q in range(n)]


LABELS = ["◆", "e", "m", "m", "a"]


def test_heatmap_labels_rows_and_columns_with_the_characters():
    lines = draw(AttentionHeatmap(LABELS, [lower_triangle(5)])).splitlines()
    assert lines[0].split() == LABELS
    assert [line.split()[0].lstrip("▸") for line in lines[1:6]] == LABELS


def test_heatmap_shows_weights_in_wide_cells_and_masks_the_future():
    lines = draw(AttentionHeatmap(LABELS, [lower_triangle(5)]), width=60).splitlines()
    assert "1.0" in lines[1]  # BOS attends only to itself
    assert lines[1].count("·") == 4  # the four future keys
    assert lines[2].count(".50") == 2
    assert lines[5].count(".20") == 5


def test_heatmap_marks_the_selected_row():
    lines = draw(AttentionHeatmap(LABELS, [lower_triangle(5)], selected=2)).splitlines()
    assert lines[3].lstrip().startswith("▸m")
    assert "◂" in lines[3]
    assert sum("▸" in line for line in lines) == 1


def test_heatmap_narrow_drops_the_numbers_but_keeps_one_cell_per_weight():
    heatmap = AttentionHeatmap(LABELS, [lower_triangle(5)])
    assert heatmap.cell_width(12) < 3
    lines = draw(heatmap, width=12).splitlines()
    assert not re.search(r"\.\d\d", "\n".join(lines))
    assert lines[0].replace(" ", "") == "".join(LABELS)


def test_heatmap_all_heads_side_by_side_with_titles():
    heads = [lower_triangle(5)] * 4
    text = draw(AttentionHeatmap(LABELS, heads, titles=[f"h{i}" for i in range(4)]), width=80)
    first, second = text.splitlines()[:2]
    assert first.split() == ["h0", "h1", "h2", "h3"]
    assert second.replace(" ", "") == "".join(LABELS) * 4


def test_heatmap_window_keeps_the_selected_row_visible():
    n = 16
    labels = ["◆"] + list("abcdefghijklmno")
    lines = draw(AttentionHeatmap(labels, [lower_triangle(n)], selected=14, max_rows=6)).splitlines()
    assert len(lines) == 6
    assert any(line.lstrip().startswith("▸n") for line in lines)


def test_heatmap_shows_a_space_as_a_visible_symbol():
    lines = draw(AttentionHeatmap(["◆", " "], [lower_triangle(2)])).splitlines()
    assert "␣" in lines[0]


def test_heatmap_without_data_says_so():
    assert "no document" in draw(AttentionHeatmap([], []))


def test_weight_text_formats_and_drops_digits_where_neighbours_would_run_together():
    assert weight_text(0.523, 4) == ".52 "
    assert weight_text(0.999, 4) == "1.0 "
    assert weight_text(0.523, 3) == "   "  # '.55.45' would read as one number: shading only
    assert weight_text(0.5, 2) == "  "


def test_heatmap_cells_never_run_together_for_long_names_at_any_width():
    labels = list("◆abcdefghijklmno")
    matrix = [[1 / (q + 1)] * (q + 1) for q in range(len(labels))]
    for width in range(30, 120, 7):
        for line in draw(AttentionHeatmap(labels, [matrix], selected=3), width=width).splitlines()[1:]:
            numbers = [token for token in line.split() if any(c.isdigit() for c in token)]
            assert all(re.fullmatch(r"\.\d\d|1\.0", token) for token in numbers), (width, line)


def test_all_heads_wrap_into_a_grid_of_blocks():
    labels = list("◆emma")
    heads = [lower_triangle(5)] * 4
    grid = AttentionHeatmap(labels, heads, [f"head {h}" for h in range(4)], selected=0, per_row=2)
    text = draw(grid, width=60)
    assert grid.height() == len(text.splitlines()) == 2 * (5 + 2) + 1
    assert "head 0" in text.splitlines()[0] and "head 1" in text.splitlines()[0]
    assert "head 2" in text.splitlines()[8]


def test_ramp_runs_from_dark_to_bright_and_text_stays_readable():
    dark, bright = ramp(0.0), ramp(1.0)
    assert sum(dark) < sum(bright)
    assert ramp(-1) == dark and ramp(2) == bright
    assert cell_style(0.0).color.get_truecolor().red == 255  # white on dark
    assert cell_style(1.0).color.get_truecolor().red == 0  # black on bright


VOCAB = ["a", "b", "c", "◆"]
PROBS = [0.1, 0.6, 0.05, 0.25]


def percents(text):
    return [float(x) for x in re.findall(r"(\d+(?:\.\d)?)%", text)]


def test_bars_are_sorted_by_probability_and_sum_to_100():
    text = draw(ProbabilityBars(VOCAB, PROBS), width=40)
    order = [line.split()[0].lstrip("▸") for line in text.splitlines()]
    assert order == ["b", "◆", "a", "c"]
    assert sum(percents(text)) == pytest.approx(100, abs=0.2)


def test_bars_mark_the_chosen_token():
    text = draw(ProbabilityBars(VOCAB, PROBS, marked=2), width=40)
    marked = [line for line in text.splitlines() if "▸" in line]
    assert len(marked) == 1 and marked[0].lstrip().startswith("▸c")


def test_bars_flow_into_columns_when_rows_are_short():
    probs = [1 / 27] * 27
    labels = [chr(ord("a") + i) for i in range(26)] + ["◆"]
    text = draw(ProbabilityBars(labels, probs, height=14), width=40)
    assert len(text.splitlines()) == 14
    assert sorted(re.findall(r"▸?([a-z◆]) ", text)) == sorted(labels)


def test_bar_lengths_in_eighths():
    assert bar(1.0, 4) == "████"
    assert bar(0.0, 4) == "    "
    assert bar(0.5, 3) == "█▌ "


ROWS = [
    dict(
        name="wte", shape="27×16", mean=0.001, std=0.08, grad_norm=1.2, log_ratio=-3.1, healthy=True, trend=[1.0, 2.0]
    ),
    dict(
        name="layer0.mlp_fc2",
        shape="16×64",
        mean=-0.002,
        std=0.09,
        grad_norm=0.2,
        log_ratio=-1.5,
        healthy=False,
        trend=[],
    ),
]


def test_param_table_has_a_row_per_matrix_and_a_total():
    text = draw(ParamTable(ROWS, 4192, 1.5), width=100)
    assert "27×16" in text and "layer0.mlp_fc2" in text
    assert "total 4,192" in text
    for header in ("shape", "mean", "std", "|grad|", "log upd", "lr/std", "|g| trend"):
        assert header in text


def test_param_table_drops_optional_columns_when_narrow_and_never_cuts_a_header():
    for width in (31, 44, 60, 80):
        text = draw(ParamTable(ROWS, 4192, 1.5), width=width)
        header = text.splitlines()[0].split()
        assert all(
            h in ("matrix", "shape", "mean", "std", "|grad|", "log", "upd", "lr/std", "-5", "0", "|g|", "trend")
            for h in header
        ), header
        assert "log upd" in text and "std" in text
        assert max(len(line) for line in text.splitlines()[:-1]) <= width
    narrow = draw(ParamTable(ROWS, 4192, 1.5), width=31)
    assert "trend" not in narrow and "mean" not in narrow
    assert "L0.mlp_fc2" in narrow  # the name shortened, not cut


@pytest.mark.parametrize("width", [100, 112, 128, 160, 200])
def test_a_wide_param_table_shares_its_room_between_the_gauge_and_the_trend(width):
    """Spare room goes to the gauge and the sparkline (up to 31 and 40 cells), so a wide table has no gap
    between them and ends near the edge; the gauge's header marks its ends; every column is drawn."""
    rows = [dict(r, trend=[1.0, 2.0, 3.0], log_reference=-2.0) for r in ROWS]
    lines = draw(ParamTable(rows, 4192, 1.5), width=width).splitlines()
    header, rule, first = lines[0], lines[1], lines[2]
    for column in ("matrix", "shape", "mean", "std", "|grad|", "log upd", "lr/std", "|g| trend"):
        assert column in header, (width, header)
    assert len(rule) == min(width, 128)  # 128: a 31-cell gauge and a 40-cell trend fill it; wider stays 128
    start = header.index("-5")
    end = header.index("|g| trend") - 1  # the gauge's last cell + 1 (one space between columns)
    assert header[end - 1] == "0" and "upd" in header[start:end]
    gauge_cells = first[start:end]
    assert set(gauge_cells) <= {"·", "●"} and len(gauge_cells) == (21 if width == 100 else 31)
    assert first[end + 1 : end + 4] == "▃▆█"  # the sparkline starts right after the gauge: no gap


def test_param_table_before_any_step_shows_dashes():
    rows = [dict(ROWS[0], grad_norm=None, log_ratio=None, healthy=False, trend=[])]
    assert "—" in draw(ParamTable(rows, 4192), width=100)


def test_gauge_puts_the_marker_on_the_log_scale_and_shades_the_adam_band():
    assert gauge(-5.0, 9).plain.index("●") == 0
    assert gauge(0.0, 9).plain.index("●") == 8  # (any width)
    assert "●" not in gauge(None, 9).plain
    shaded = [i for i, span in enumerate(gauge(None, 11, reference=-2.0).spans) if span.style]
    assert shaded and all(scale(-3.0, 11) <= s.start <= scale(-2.0, 11) for s in gauge(None, 11, -2.0).spans if s.style)


def test_sparkline_scales_to_the_largest_recent_value():
    assert sparkline([0.0, 1.0], 4) == "▁█  "  # (starting at the left, next to the gauge)
    assert len(sparkline(list(range(20)), 5)) == 5


def test_number_or_dash_formats_a_known_number_and_dashes_a_missing_one():
    assert number_or_dash(2.34567, ".3f") == "2.346"
    assert number_or_dash(3e-4, ".2e") == "3.00e-04"
    assert number_or_dash(12345, ",") == "12,345"
    assert number_or_dash(0.0, ".3f") == "0.000"  # zero is a number, not a missing one
    assert number_or_dash(None, ".3f") == "—"


def test_status_line_dashes_figures_not_known_before_the_first_step():
    before = status_text(Status(total=1000))[0].plain.splitlines()[0].split()
    assert before[:8] == ["step", "0/1,000", "loss", "—", "ema", "—", "lr", "—"]
    after = status_text(Status(step=3, total=1000, loss=3.2961, ema=3.30049, lr=0.01))[0].plain.split()
    assert after[:8] == ["step", "3/1,000", "loss", "3.296", "ema", "3.300", "lr", "0.0100"]
    small_lr = status_text(Status(lr=2.5e-4, rate=None, mode="training"))[0].plain.split()
    assert small_lr[small_lr.index("lr") + 1 : small_lr.index("lr") + 4] == ["2.50e-04", "—", "steps/s"]


def test_the_parameter_tables_update_mode_drops_its_last_columns_when_narrow():
    from rich.console import Console

    from microgpt_tui.features.panels.param_table import ParamTable

    row = {
        "name": "wte",
        "shape": "27×16",
        "log_ratio": -2.9,
        "healthy": True,
        "update_norm": 0.077,
        "update_max": -0.0094,
        "m_mean_abs": 0.007,
        "v_mean_sqrt": 0.01,
    }
    wide, narrow = (Console(width=w, record=True) for w in (80, 32))
    for console in (wide, narrow):
        console.print(ParamTable([row], 432, 1.0, mode="update"))
    wide_text, narrow_text = wide.export_text(), narrow.export_text()
    assert "log upd" in wide_text and "-9.4e-03" in wide_text and "0.077" in wide_text
    assert "|Δ|" in narrow_text and "log upd" not in narrow_text and max(map(len, narrow_text.splitlines())) <= 32


def test_overflowing_bars_flow_into_columns_split_by_a_rule_that_read_down_by_rank():
    probs = [(27 - i) / 378 for i in range(27)]
    labels = [chr(ord("a") + i) for i in range(26)] + ["◆"]
    lines = draw(ProbabilityBars(labels, probs, height=14), width=40).splitlines()
    assert all(" │ " in line for line in lines[:13])
    left = [line.split(" │ ")[0].split()[0] for line in lines]
    right = [line.split(" │ ")[1].split()[0] for line in lines[:13]]
    assert left == labels[:14] and right == labels[14:]  # down the first column, then down the second


def test_every_node_kind_the_tape_makes_is_explained_in_one_line():
    import re as _re
    from pathlib import Path

    from microgpt_tui.texts import NODE_KINDS, node_kind

    source = (Path(__file__).resolve().parents[1] / "engine" / "ops.py").read_text()
    made = set(_re.findall(r'(?:node|nodes|leaf)\([^)]*?"([^"]+)"', source)) | {"param", "const"}
    assert made and made <= set(NODE_KINDS), made - set(NODE_KINDS)
    assert all("\n" not in line and line for line in NODE_KINDS.values())
    assert node_kind("+", "logit[a]@pos2") == NODE_KINDS["logit"]
    assert node_kind("dot", "lm_head[2]·x@pos1") == NODE_KINDS["dot"]


def test_forward_strip_numbers_keep_a_blank_column_at_every_cell_width():
    from microgpt_tui.features.forward.strips import signed_text, unit_text

    for width in range(1, 9):
        for value in (-12.3, -1.25, -0.456, 0.0, 0.07, 0.994, 0.999, 3.3, 42.0):
            for text in (signed_text(value, width), unit_text(abs(value) % 1, width)):
                assert len(text) == width and (not text.strip() or len(text.strip()) < width), (width, value, text)


@pytest.mark.parametrize("width, height", [(24, 16), (24, 22), (28, 14), (40, 14), (60, 10)])
def test_bars_keep_their_length_and_the_marked_token_when_the_tail_gives_way(width, height):
    from microgpt_tui.renderables.prob_bars import MIN_BAR

    probs = [(27 - i) / 378 for i in range(27)]
    labels = [chr(ord("a") + i) for i in range(26)] + ["◆"]
    bars = ProbabilityBars(labels, probs, marked=25, height=height)
    ncols, rows, col_width = bars.columns(width)
    assert bars.bar_width(col_width) >= MIN_BAR
    lines = draw(bars, width=width).splitlines()
    assert len(lines) == height and max(map(len, lines)) <= width
    shown = re.findall(r"[▸ ]([a-z◆]) ", "\n".join(lines))
    if ncols * rows < 27:
        assert "z" in shown  # the marked token (rank 26) replaced the last of the top ones
        assert f"+{27 - len(shown)} more" in lines[-1 if ncols == 1 else (ncols * rows - 1) % rows]
        assert shown[: len(shown) - 1] == labels[: len(shown) - 1]
    else:
        assert sorted(shown) == sorted(labels)


@pytest.mark.parametrize("width, rows", [(40, None), (60, 20), (92, 41), (124, 51), (200, 60)])
def test_heatmap_cells_share_the_width_and_rows_grow_with_the_height(width, rows):
    labels = list("◆taylor")
    heatmap = AttentionHeatmap(labels, [lower_triangle(7)], selected=2, max_cell=12, max_rows=rows, tall=True)
    lines = draw(heatmap, width=width).splitlines()
    widths = heatmap.widths(width)
    grid = heatmap.label_width + sum(widths) + 2
    assert grid <= width and (max(widths) == 12 or grid > width - len(labels))  # nothing left but a remainder
    assert max(widths) - min(widths) <= 1
    tall = heatmap.row_lines(width)
    assert len(lines) == heatmap.height(width) == 1 + len(labels) * tall
    assert rows is None or len(lines) <= rows
    assert tall == (1 if rows is None else max(1, min((rows - 1) // 7, min(widths) // 2, 3)))  # (at most 3 lines)
    labelled = [i for i, line in enumerate(lines) if re.match(r"^[▸ ]\S ", line)]
    assert [lines[i][1] for i in labelled] == labels and all(b - a == tall for a, b in zip(labelled, labelled[1:]))
    for line in lines[1:]:
        numbers = [token for token in line.split() if any(c.isdigit() for c in token)]
        assert all(re.fullmatch(r"\.\d\d|1\.0", token) for token in numbers), (width, line)


def test_grid_cells_spread_spare_columns_only_over_cells_wide_enough():
    from microgpt_tui.renderables.grid_cells import row_height, spread

    assert sum(spread(85, 9, 12)) == 85  # the grid fills its room
    assert set(spread(85, 9, 12)) == {9, 10}
    assert spread(200, 9, 12) == [12] * 9  # a short name stops at the widest cell
    assert spread(20, 7, 12) == [2] * 7  # narrow cells stay alike (no 2s beside 3s)
    assert spread(3, 7, 12) == [1] * 7
    assert row_height(None, 9, 10) == 1 and row_height(40, 9, 10) == 3 and row_height(40, 9, 4) == 2
    assert row_height(8, 9, 10) == 1


def matrix_view(rows, cols):
    from microgpt_tui.features.matrix.state import MatrixView

    cells = tuple(tuple(((r * cols + c) % 7 - 3) / 10 + 0.01 for c in range(cols)) for r in range(rows))
    return MatrixView(
        name="wte",
        kind="weights",
        step=1,
        cells=cells,
        row_labels=tuple(f"r{r}" for r in range(rows)),
        col_labels=tuple(str(c) for c in range(cols)),
        cursor=(1, 1),
        lo=-0.31,
        hi=0.31,
    )


@pytest.mark.parametrize("width, height", [(60, 20), (90, 30), (167, 57), (217, 67)])
@pytest.mark.parametrize("shape", [(27, 16), (16, 64), (64, 16)])
def test_matrix_heatmap_fills_its_room_and_grows_rows_where_they_fit(width, height, shape):
    from microgpt_tui.features.matrix.heatmap import MAX_CELL, MatrixHeatmap

    rows, cols = shape
    heatmap = MatrixHeatmap(matrix_view(rows, cols), max_rows=height)
    lines = draw(heatmap, width=width).splitlines()
    widths = heatmap.widths(width)
    assert len(lines) <= height and max(map(len, lines)) <= width
    used = heatmap.label_width + 1 + sum(widths)
    assert max(widths) == MAX_CELL or min(widths) < 4 or used >= width - cols  # only the remainder is left
    tall = heatmap.row_lines(width)
    assert tall == (1 if rows + 1 > height else max(1, min((height - 1) // rows, min(widths) // 2, 3)))
    labelled = [i for i, line in enumerate(lines) if re.match(r"^\s*r\d+ ", line)]
    assert all(b - a == tall for a, b in zip(labelled, labelled[1:]))
    for line in lines[1:]:
        numbers = [token for token in line.split()[1:] if any(c.isdigit() for c in token)]
        assert all(re.fullmatch(r"[+-]\.\d\d?|[+-]\d(\.\d)?", token) for token in numbers), (width, line)


def test_the_selected_rows_marker_stays_out_of_the_labels_reversed_box():
    """`▸` plain beside a reversed `◆`: in one reversed box the two drew as a single bow-tie shape in SVG exports."""
    console = Console(width=40)
    heatmap = AttentionHeatmap(LABELS, [lower_triangle(5)], selected=0)
    segments = list(heatmap.__rich_console__(console, console.options))
    at = next(i for i, s in enumerate(segments) if s.text == "▸")
    assert not segments[at].style.reverse
    assert segments[at + 1].text.strip() == "◆" and segments[at + 1].style.reverse


def test_heads_too_wide_for_one_row_show_the_first_ones_whole():
    labels = list("◆taylor")
    heads = [lower_triangle(7)] * 4
    heatmap = AttentionHeatmap(labels, heads, [f"head {h}" for h in range(4)], selected=0)
    for width, shown in ((23, 2), (33, 3), (36, 4), (80, 4)):
        assert heatmap.heads_shown(width) == shown
        lines = draw(heatmap, width=width).splitlines()
        assert re.findall(r"head \d", lines[0]) == [f"head {h}" for h in range(shown)]
        assert lines[1].replace(" ", "") == "".join(labels) * shown and max(map(len, lines)) <= width
