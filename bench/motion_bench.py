"""Benchmark: what the app's last minute of screens costs, and what exporting it takes.

Trains in the app (Textual's headless driver composes every frame) for --seconds with the frame capture on,
then prints: the time one look at the screen takes (`grab`: the full render Textual's screenshot makes), the
UI thread's CPU time the looks take while training (the trainer waits for it: they share the GIL), the
screens the ring kept and the memory they hold (zlib-packed), and the time and size
of the asciicast and the animated SVG that X writes. What it costs the trainer: `python bench/app_bench.py`
(the capture runs there too) against the same with the capture off.

    python bench/motion_bench.py [--seconds 60] [--size 120x40] [--frames 40]

The colours are the terminal's: COLORTERM=truecolor gives a truecolor terminal's figures (larger files).
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_tui.app import MicroGPTApp  # noqa: E402
from microgpt_tui.features.motion.asciicast import write_cast  # noqa: E402
from microgpt_tui.features.motion.capture import grab  # noqa: E402
from microgpt_tui.features.motion.frames import pick  # noqa: E402
from microgpt_tui.features.motion.svg import write_svg  # noqa: E402


async def measure(seconds: float, size: tuple[int, int], frames_asked: int, folder: Path) -> None:
    docs = load_documents(bundled_names_path())
    app = MicroGPTApp(Trainer(docs, Config(steps=100_000)), "names.txt", folder / "ckpt.json", docs)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        looks = []
        for _ in range(50):
            began = time.perf_counter()
            grab(app, 0.0)
            looks.append((time.perf_counter() - began) * 1000)
        spent = []  # the UI thread's time in each look while training (the trainer waits for it: the GIL)
        look = app.frame_capture.look

        def timed() -> None:
            began = time.thread_time()  # (CPU time of this thread: not the waits for the GIL the trainer holds)
            look()
            spent.append(time.thread_time() - began)

        app.frame_capture.look = timed
        await pilot.press("r")
        await asyncio.sleep(seconds)
        await pilot.press("r")
        await pilot.pause()
        frames = app.lab.motion.ring.recent(app.lab.motion.clock())
        held = app.lab.motion.ring.nbytes()
        text = sum(len(line) for frame in frames for line in frame.lines)
        steps = app.lab.trainer.step_count
    print(f"size {size[0]}x{size[1]}, {seconds:.0f} s of training ({steps:,} steps)")
    print(f"one look at the screen (grab): median {statistics.median(looks):.1f} ms over 50")
    print(
        f"while training: {len(spent)} looks (grab and pack), {sum(spent) * 1000 / seconds:.1f} ms of the UI thread "
        f"a second = {sum(spent) / seconds:.2%} of the time the trainer could run"
    )
    print(
        f"the ring kept {len(frames)} screens over {frames[-1].time - frames[0].time:.1f} s, "
        f"holding {held / 1024:.0f} KB packed (their rows as text: {text / 1024:.0f} KB)"
    )
    began = time.perf_counter()
    cast = write_cast(folder / "last.cast", frames, "bench")
    mid = time.perf_counter()
    shown = pick(frames, frames_asked)
    svg = write_svg(folder / "last.svg", shown, "bench")
    end = time.perf_counter()
    print(
        f"asciicast: {cast / 1024:.0f} KB in {(mid - began) * 1000:.0f} ms; "
        f"SVG of {len(shown)} frames: {svg / 1024:.0f} KB in {(end - mid) * 1000:.0f} ms "
        f"({(end - mid) * 1000 / len(shown):.0f} ms a frame)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(args.seconds, (width, height), args.frames, Path(folder)))


if __name__ == "__main__":
    main()
