"""Soak test of the app's screens and modes: opening, closing and toggling keeps memory flat.

Runs the whole app headless (Textual's headless driver: every frame composed),
takes a few steps, then ROUNDS times (default 100) opens and closes every
screen a key opens (e, g, c, i, b, ?, w, o, the quit dialog) and toggles every
mode (sampling s/space, training r/r, the quiz p/escape). Prints the resident
memory (RSS) after each tenth of the rounds and the growth over the loop.
The first WARMUP rounds (default 3) are not counted: Textual's caches fill
there (about 20 MB, with or without the fix). Target: growth under 5 MB.
`--stock-footer` puts Textual's own Footer back, for the figure before the
fix (run both, side by side).

    python bench/screen_soak.py [--rounds 100] [--stock-footer]
"""

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from soak import rss_mb  # noqa: E402  (bench/ is on sys.path when run as a script)

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_tui.app import MicroGPTApp  # noqa: E402
from microgpt_tui.widgets.footer import KeysFooter  # noqa: E402

SCREENS = ["e", "g", "c", "i", "b", "question_mark", "w", "o", "q"]  # each opens a screen or a dialog
MODES = [("s", "space"), ("r", "r"), ("p", "escape")]  # into a mode and out of it


async def settle(pilot, app):
    await pilot.pause()
    for _ in range(4):
        if app.screen is app.main:
            return
        await pilot.press("escape")
        await pilot.pause()


async def one_round(pilot, app):
    for key in SCREENS:
        await pilot.press(key)
        await settle(pilot, app)
    for into, out in MODES:
        await pilot.press(into)
        await pilot.pause()
        await pilot.press(out)
        await settle(pilot, app)
    if app.lab.mode == "training":
        await pilot.press("r")


async def soak(args):
    if args.stock_footer:
        from textual.widgets import Footer

        KeysFooter.recompose = Footer.recompose  # type: ignore[method-assign]
    docs = load_documents(bundled_names_path())[:500]
    trainer = Trainer(docs, Config(steps=100_000, n_embd=8, n_head=2))
    with tempfile.TemporaryDirectory() as tmp:
        app = MicroGPTApp(trainer, dataset_name="names", save_path=Path(tmp) / "soak.json", docs=docs)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("space", "space", "space")
            await settle(pilot, app)
            for _ in range(args.warmup):  # Textual's caches (strips, styles) fill in the first rounds
                await one_round(pilot, app)
            gc.collect()
            start, began = rss_mb(), time.perf_counter()
            print(
                f"RSS before the loop: {start:.1f} MB "
                f"({args.rounds} rounds of {len(SCREENS)} screens, {len(MODES)} modes)"
            )
            for i in range(1, args.rounds + 1):
                await one_round(pilot, app)
                if i % max(args.rounds // 10, 1) == 0:
                    gc.collect()
                    print(f"round {i:4d}: RSS {rss_mb():7.1f} MB  (+{rss_mb() - start:.1f})", flush=True)
            gc.collect()
            end = rss_mb()
    footer = "Textual's Footer" if args.stock_footer else "KeysFooter"
    print(
        f"{footer}: RSS growth over {args.rounds} rounds: {end - start:+.1f} MB  (target < 5 MB); "
        f"{time.perf_counter() - began:.0f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=3, help="rounds before the first measurement (default 3)")
    parser.add_argument("--stock-footer", action="store_true", help="Textual's Footer, as before the fix")
    asyncio.run(soak(parser.parse_args()))


if __name__ == "__main__":
    main()
