"""Benchmark: how much of the main screen one sampled name redraws.

Samples one whole name in the app (s, then the app's timer reveals a
character per tick) and counts, from s to the name's end: the intents the app
applied, how many times the app asked each panel's view (`push_*`), how many
times a panel was handed a view that changed (`handed`; before the panels
compared views, every push handed one over), and how many times each panel's
widget drew itself (`render`). One sampled name should cost one
small update per character: the samples panel, the attention and token
panels and the status line, not the parameter table or the loss plot, whose
views do not change while a name is drawn.

    python bench/panel_redraws.py [--size 120x40] [--steps 20]

Counting wraps the app's and the widgets' own methods in this process only.
"""

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_tui.app import MicroGPTApp  # noqa: E402
from microgpt_tui.features.panels.attention_panel import AttentionPanel
from microgpt_tui.features.panels.loss_plot import LossPlot
from microgpt_tui.features.panels.param_panel import ParamPanel
from microgpt_tui.features.panels.status_bar import StatusBar
from microgpt_tui.features.panels.token_panel import TokenPanel
from microgpt_tui.features.sampling.samples_panel import SamplesPanel

PANELS = {
    "status": StatusBar,
    "attention": AttentionPanel,
    "tokens": TokenPanel,
    "samples": SamplesPanel,
    "params": ParamPanel,
    "loss": LossPlot,
}


def counting(counts: Counter, key: str, method):
    def counted(*args, **kwargs):
        counts[key] += 1
        return method(*args, **kwargs)

    return counted


async def one_name(size: tuple[int, int], steps: int) -> tuple[Counter, str]:
    docs = load_documents(bundled_names_path())
    app = MicroGPTApp(Trainer(docs, Config(seed=42)), dataset_name="names.txt", docs=docs, show_timing=False)
    app.sample_interval = 0.01  # (the timer's pace does not change what is drawn per character)
    counts: Counter = Counter()
    for name, cls in PANELS.items():
        cls.render = counting(counts, f"render {name}", cls.render)
    app.apply = counting(counts, "intents applied", app.apply)
    async with app.run_test(size=size) as pilot:
        for _ in range(steps):
            await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        panels = app.panels
        for push in ("push_status", "push_view", "push_params", "push_loss", "push_samples"):
            if hasattr(panels, push):
                setattr(panels, push, counting(counts, push, getattr(panels, push)))
        if hasattr(panels, "_new"):  # (a panel is handed a view only when it changed)
            new = panels._new

            def handed(panel, view, same=False):
                changed = new(panel, view, same)
                counts[f"handed {panel}"] += changed
                return changed

            panels._new = handed
        counts.clear()
        await pilot.press("s")
        for _ in range(2000):
            if not app.lab.drawing.sampling and app.lab.drawing.samples.entries:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        name = app.lab.drawing.samples.entries[0][0]
    return counts, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--steps", type=int, default=20, help="training steps before sampling")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    counts, name = asyncio.run(one_name((width, height), args.steps))
    print(f"one sampled name: “{name}” ({len(name) + 1} characters with the end), at {args.size}")
    for key in sorted(counts):
        print(f"  {key:<22} {counts[key]:>5}")


if __name__ == "__main__":
    main()
