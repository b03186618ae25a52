"""g keeps to the memory limit the size check promises, or says no: an n_embd 256, block 64 model (808k
parameters, which the check allows) froze the UI 63 s and peaked at 10.2 GB building its graph view (a
MemoryError crash under a 5 GB limit). bench/graph_memory.py measures the factor the estimate uses."""

import threading

from app_helpers import make_app, wait_until
from quick_pilot import keys

from microgpt_engine import Config
from microgpt_engine.config import MAX_STEP_BYTES
from microgpt_tui.features.graph import opening as inside
from microgpt_tui.features.graph.screen import GraphScreen

SIZE = (80, 24)
VOCAB = 27  # the bundled names' characters and the end token


def test_the_model_of_the_report_passes_the_size_check_but_its_graph_would_not_fit():
    config = Config(n_embd=256, block_size=64)
    config.check_size(VOCAB)  # allowed to train...
    assert config.step_bytes(VOCAB) * inside.GRAPH_FACTOR["fused"] > MAX_STEP_BYTES  # ...but g says no
    assert Config().step_bytes(VOCAB) * inside.GRAPH_FACTOR["plain"] * 8 < MAX_STEP_BYTES  # the default: yes


async def test_g_on_a_model_whose_graph_would_pass_the_limit_says_so_and_opens_nothing(monkeypatch):
    app = make_app(None, steps=5, config=dict(n_embd=8, n_head=2))
    monkeypatch.setattr(inside, "MAX_STEP_BYTES", 1024)  # (this tiny model's graph, as if it were 808k weights)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        await app.workers.wait_for_complete()
        await pilot.press("g")
        await pilot.pause()
        assert app.screen is app.main
        assert "would need about" in app.lab.event and "g shows the graph of a smaller model" in app.lab.event


async def test_a_large_fused_graph_is_built_off_the_ui_thread_then_opens(monkeypatch):
    app = make_app(None, steps=5, config=dict(n_embd=8, n_head=2))
    monkeypatch.setattr(inside, "GRAPH_ON_UI_THREAD", 0)  # (every fused graph counts as large)
    threads, build = [], inside.last_graph
    monkeypatch.setattr(
        inside, "last_graph", lambda trainer: threads.append(threading.current_thread()) or build(trainer)
    )
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        await app.workers.wait_for_complete()
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GraphScreen))
        assert threads and threading.main_thread() not in threads
