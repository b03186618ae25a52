"""Data of 10,000 distinct characters: the embedding map (e) never opened (15 minutes at 100% CPU: each
token past a full grid searched every cell), and each repaint of the token panel measured every label
again for each column count it tried (10 million cell_len calls, 5 s a step, keys waiting 10 s)."""

import random

from rich.console import Console

from microgpt_tui.features.embeddings import scatter
from microgpt_tui.features.embeddings.scatter import TokenScatter
from microgpt_tui.renderables import prob_bars
from microgpt_tui.renderables.prob_bars import ProbabilityBars

TOKENS = 10_000
WIDTH, HEIGHT = 78, 18


def chars(n):
    return [chr(0x4E00 + i) for i in range(n)]


def render(renderable, width=WIDTH):
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def test_the_embedding_map_of_10000_tokens_searches_each_crowded_cell_once_and_says_what_it_left_out(monkeypatch):
    searches = []
    real = scatter.nearest_free
    monkeypatch.setattr(scatter, "nearest_free", lambda *a, **k: searches.append(1) or real(*a, **k))
    rng = random.Random(1)
    points = [(label, rng.gauss(0, 1), rng.gauss(0, 1)) for label in chars(TOKENS)]
    drawn = TokenScatter(points, height=HEIGHT)
    text = render(drawn)
    assert len(searches) <= 2 * 2 * WIDTH * HEIGHT  # (two layouts: the second one row shorter for the note)
    assert TOKENS - WIDTH * HEIGHT <= drawn.crowded < TOKENS
    assert f"{drawn.crowded:,} tokens with no free cell near their place: not drawn" in text


def test_the_default_map_draws_every_token_as_before():
    rng = random.Random(2)
    points = [(label, rng.gauss(0, 1), rng.gauss(0, 1)) for label in "abcdefghijklmnopqrstuvwxyz"]
    text = render(TokenScatter(points, height=HEIGHT))
    assert all(label in text for label in "abcdefghijklmnopqrstuvwxyz") and "not drawn" not in text


def test_the_token_panel_measures_each_of_10000_labels_once(monkeypatch):
    calls = []
    real = prob_bars.cell_len
    monkeypatch.setattr(prob_bars, "cell_len", lambda text: calls.append(1) or real(text))
    probs = [1 / (TOKENS + 1)] * (TOKENS + 1)
    render(ProbabilityBars(chars(TOKENS) + ["◆"], probs, height=12), width=60)
    assert len(calls) <= 2 * (TOKENS + 1)
