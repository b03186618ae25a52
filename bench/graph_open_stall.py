"""The UI thread's longest stall while g opens the plain engine's graph: built on a worker vs on the UI thread.

The real app (headless, `--engine plain`, the bundled names). Each round takes one step (a fresh graph),
then opens its graph view one of two ways, taking turns so that both see the same load:

- worker: g as the app does it now (the view is built on a worker thread, the screen opens when it lands);
- UI thread: the same view built on the event loop, then opened (what g did before).

The stall is measured as in ui_stalls.py: a task on the event loop asks to wake every 5 ms and records
how late it woke. Both ways include pushing and drawing the screen; only where the build runs differs.

    python bench/graph_open_stall.py [--rounds 7]
"""

import argparse
import asyncio
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from app_helpers import make_app, until  # noqa: E402
from ui_stalls import SIZE, Stalls, ms  # noqa: E402

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Trainer  # noqa: E402
from microgpt_tui.core.views import Change
from microgpt_tui.features.graph import opening
from microgpt_tui.features.graph.screen import GraphScreen


async def measure(rounds: int) -> tuple[list[float], list[float], list[float], list[float], list[int]]:
    app = make_app(None, trainer_class=partial(Trainer, engine="plain"), docs=load_documents(bundled_names_path()))
    worker, on_ui, worker_open, on_ui_open, nodes = [], [], [], [], []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        lab = app.lab
        for k in range(2 * rounds):
            step = lab.trainer.step_count
            await pilot.press("space")
            await until(pilot, lambda step=step: lab.trainer.step_count == step + 1, 60)
            await pilot.pause()
            with Stalls() as watch:
                t = time.perf_counter()
                if k % 2 == 0:
                    await pilot.press("g")
                else:  # what g did before: the view built on the UI thread
                    seq, pos = lab.sequence, lab.selection.position
                    app.apply(Change(ask=opening.graph_open(lab.trainer, seq, pos, lab.vocab_labels)))
                await until(pilot, lambda: isinstance(app.screen, GraphScreen), 60)
                await pilot.pause()
                took = time.perf_counter() - t
            (worker if k % 2 == 0 else on_ui).append(watch.worst)
            (worker_open if k % 2 == 0 else on_ui_open).append(took)
            nodes.append(len(app.screen.graph))
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.main, 60)
    return worker, on_ui, worker_open, on_ui_open, nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of each way (default 7)")
    args = parser.parse_args()
    worker, on_ui, worker_open, on_ui_open, nodes = asyncio.run(measure(args.rounds))
    print(f"g on the plain engine, {args.rounds} rounds each, graphs of {statistics.median(nodes):,.0f} nodes (median)")
    print("                       longest UI stall (median, worst)    g to screen open (median)")
    for name, stalls, opened in (("worker (now)", worker, worker_open), ("UI thread (before)", on_ui, on_ui_open)):
        print(
            f"  {name:<20} {ms(statistics.median(stalls)):>10} ({ms(max(stalls))}){ms(statistics.median(opened)):>26}"
        )
    ratio = statistics.median(on_ui) / max(statistics.median(worker), 1e-9)
    print(f"the UI thread stalls {ratio:.1f}x less with the build on the worker (medians)")


if __name__ == "__main__":
    main()
