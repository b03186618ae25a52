"""Soak test of the app's screens and modes: opening, closing and toggling keeps memory flat.

Runs the whole app headless (Textual's headless driver: every frame composed),
takes a few steps, then ROUNDS times (default 100) opens and closes every
screen a key opens (SCREENS: e g c i b ? w o q v m k y / ctrl+p, and f while
sampling), the dialogs no key opens alone (OPENED: go to step, the new-run
question, the settings' file tree; MODES: the fork question, two runs
compared) and toggles every mode (MODES: sampling, training, the quiz, the
tour, all heads, before/after, the past, an ablated head, an ablated layer).
Training is set to its slowest pace first ({ five times: 1 step a second), so
toggling it trains about one step, not a hundred: the run's history and
time-travel snapshots grow with the steps trained (bench/app_soak.py and
bench/history_bench.py measure those); their growth is printed apart.

Prints the resident memory (RSS) after the warm-up, after each tenth of the
rounds, and at the end: the growth, the per-round slope (least squares over the
tenths) and the slope of the second half alone (a cache that fills flattens
there; a leak does not). The first WARMUP rounds (default 3) are not counted:
Textual's bounded caches (styles, colours, segments) fill there. Target: growth
under 5 MB over 100 rounds.

    python bench/screen_soak.py [--rounds 100] [--warmup 3] [--stock-footer]

`--stock-footer` puts Textual's own Footer back (the first leak, fixed in
widgets/footer.py). To measure another commit side by side, run this file from
an export of that commit's tree (`git archive COMMIT | tar -x -C DIR`): it
imports the app from the folder above it.
"""

import argparse
import asyncio
import gc
import statistics
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

# Each opens a screen or a dialog (escape closes it).
SCREENS = ["e", "g", "c", "i", "b", "question_mark", "w", "o", "q", "v", "m", "k", "y", "slash", "ctrl+p"]
# Into a mode and out of it; ("s", "f") opens the force-a-character dialog while sampling.
MODES = [
    ("s", "f", "escape", "escape"),
    ("s", "space"),
    ("r", "r"),
    ("p", "escape"),
    ("t", "escape"),
    ("a", "a"),
    ("d", "d"),
    ("comma", "full_stop"),
    ("z", "u"),
    ("x", "u"),
    ("comma", "space", "escape", "full_stop"),  # the fork dialog (a step asked for in the past), then back to now
    ("w", "space", "up", "c", "escape", "escape"),  # the comparison of two runs (see second_run)
]


async def goto_dialog(pilot, app):
    await app.run_action("goto_step")  # (the palette's "go to step": no key of its own)
    await pilot.pause()


async def new_run_dialog(pilot, app):
    await pilot.press("o")
    app.screen.query_one("#set-lr").value = "0.02"
    await pilot.press("enter")  # a new run with unsaved steps asks first; escape stays


async def settings_tree(pilot, app):
    await pilot.press("o")
    await pilot.click("#browse")  # the data-file tree under the settings
    await pilot.pause()


async def second_run(pilot, app):
    """A second run beside the first (lr 0.02, the first kept unsaved), so that two runs can be compared."""
    await new_run_dialog(pilot, app)
    await pilot.press("y")
    await pilot.press("space", "space")
    await settle(pilot, app)


# Dialogs a key alone does not open: each is opened, then closed with escape.
OPENED = [goto_dialog, new_run_dialog, settings_tree]


async def settle(pilot, app):
    await pilot.pause()
    for _ in range(4):
        if app.screen is app.main:
            break
        await pilot.press("escape")
        await pilot.pause()
    if app.lab.mode == "training":
        await pilot.press("r")
        await pilot.pause()


async def one_round(pilot, app):
    for key in SCREENS:
        await pilot.press(key)
        await settle(pilot, app)
    for keys in MODES:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot, app)
    for open_dialog in OPENED:
        await open_dialog(pilot, app)
        await settle(pilot, app)


def slope(points):
    """MB a round, least squares over (round, RSS) points."""
    if len(points) < 2:
        return float("nan")
    return statistics.linear_regression([x for x, _ in points], [y for _, y in points]).slope


def stores_mb(app):
    """The run's per-step stores: its history and its time-travel snapshots (MB)."""
    return (app.lab.history.nbytes() + app.lab.time.nbytes()) / 1024**2


async def soak(args):
    if args.stock_footer:
        from textual.widgets import Footer

        KeysFooter.recompose = Footer.recompose  # type: ignore[method-assign]
    docs = load_documents(bundled_names_path())[:500]
    trainer = Trainer(docs, Config(steps=100_000, n_embd=8, n_head=2))
    with tempfile.TemporaryDirectory() as tmp:
        app = MicroGPTApp(trainer, dataset_name="names", save_path=Path(tmp) / "soak.json", docs=docs)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(*["left_curly_bracket"] * 5)  # the slowest pace: 1 step a second
            await pilot.press("space", "space", "space")
            await settle(pilot, app)
            await second_run(pilot, app)
            for _ in range(args.warmup):
                await one_round(pilot, app)
            gc.collect()
            start, began = rss_mb(), time.perf_counter()
            steps, stores = app.lab.trainer.step_count, stores_mb(app)  # (the live run: second_run replaced the first)
            print(
                f"RSS after {args.warmup} warm-up rounds: {start:.1f} MB "
                f"({args.rounds} rounds of {len(SCREENS) + 1 + len(OPENED) + 2} screens, {len(MODES) - 3} modes)",
                flush=True,
            )
            points = [(0, start)]
            for i in range(1, args.rounds + 1):
                await one_round(pilot, app)
                if i % max(args.rounds // 10, 1) == 0 or i == args.rounds:
                    gc.collect()
                    points.append((i, rss_mb()))
                    print(f"round {i:4d}: RSS {points[-1][1]:7.1f} MB  ({points[-1][1] - start:+.1f})", flush=True)
            end = points[-1][1]
            steps, stores = app.lab.trainer.step_count - steps, stores_mb(app) - stores
    footer = "Textual's Footer" if args.stock_footer else "KeysFooter"
    half = [p for p in points if p[0] >= args.rounds // 2]
    print(
        f"{footer}: RSS {start:.1f} MB after warm-up, {end:.1f} MB after {args.rounds} rounds: "
        f"growth {end - start:+.1f} MB (target < 5 MB); slope {slope(points):+.3f} MB a round, "
        f"{slope(half):+.3f} over the second half; {time.perf_counter() - began:.0f} s"
    )
    print(f"of which the run's history and snapshots: {stores:+.2f} MB ({steps} steps trained in the loop)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=3, help="rounds before the first measurement (default 3)")
    parser.add_argument("--stock-footer", action="store_true", help="Textual's Footer, as before the first fix")
    asyncio.run(soak(parser.parse_args()))


if __name__ == "__main__":
    main()
