"""Cases of the hostile re-audit that failed through the real app, under Pilot: blown-up numbers read as numbers."""

import re

from app_helpers import make_app, panel, widget_text

from microgpt_tui.features.embeddings.screen import EmbeddingScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)


async def test_a_huge_lr_reads_in_the_status_line_as_an_exponent_and_the_map_shows_dashes_not_nan():
    app = make_app(config={**TINY, "lr": 1e154})  # `microgpt-tui --lr 1e154`: the first update blows up
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        status = panel(app, "#status")
        assert "lr 1.00e+154" in status and not re.search(r"\d{20}", status)  # (before: 155 digits, cropped)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EmbeddingScreen)
        title = widget_text(app.screen.query_one("#embeddings-title"))
        assert "across —" in title and "(together —)" in title and "nan" not in title
