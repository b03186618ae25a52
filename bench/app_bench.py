"""Benchmark: does the app stay responsive, and how much training speed does it cost?

While continuous training runs in the app, press a view key (head, position,
all heads) every few hundred milliseconds and time each from the key event's
creation to the end of the first screen update after it (the frame that shows
the change). Meanwhile count training steps per second, and compare with
`trainer.step()` called in a plain loop (headless, same config), in windows
alternating with the app's, while the app sits paused.

The wall-clock ratio swings with the machine's other load (on 2 shared cores the
same commit measured 46-89%), so the bench also reports figures that other
processes barely move: each round's UI window against the mean of the headless
windows on either side of it (median over rounds), and steps per CPU-second of
this process (the UI's cost in CPU: with the GIL, every UI millisecond is one
the trainer waits).

Targets: median key -> repaint <= 50 ms; steps/s with the UI >= 80% of headless,
with five earlier runs of 1,000 steps drawn on the loss plot (--earlier; their
histories repeat the records of 50 real steps: the plot draws a curve
downsampled to its width either way).
With --views inside (the matrix heatmap open, the forward-pass view over it,
the keys moving the position and the stage): steps/s >= 70% of headless,
median key -> repaint <= 50 ms.

    python bench/app_bench.py [--seconds 4] [--rounds 3] [--size 120x40] [--earlier 5] [--views none|inside]
                              [--tty] [--out FILE]

--tty drives the app through a real terminal driver (run it inside tmux or a
terminal: the frames are really written); without it, Textual's headless
driver composes every frame but writes nothing.
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events  # noqa: E402
from textual._time import get_time  # noqa: E402  (the clock Textual stamps events with)

from microgpt_data import bundled_names_path, load_documents  # noqa: E402
from microgpt_engine import Config, Trainer  # noqa: E402
from microgpt_tui.app import MicroGPTApp  # noqa: E402
from microgpt_tui.features.forward.screen import ForwardScreen

KEYS = ["l", "right", "h", "left", "a", "a", "l", "right"]
VIEW_KEYS = ["right", "down", "left", "up", "right", "down", "left", "up"]  # position and stage, in the forward view


class TimedApp(MicroGPTApp):
    """Records, for each key event, how long until the next frame was composed and displayed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending_keys = []  # creation times of keys not yet shown
        self.latencies = []
        self.seen = set()

    async def on_event(self, event):
        if isinstance(event, events.Key) and event.key in KEYS + VIEW_KEYS and id(event) not in self.seen:
            self.seen.add(id(event))  # the app forwards a key to the screen: count it once
            self.pending_keys.append(event.time)
        await super().on_event(event)

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if self.pending_keys and renderable is not None:
            now = get_time()
            self.latencies.extend(now - t for t in self.pending_keys)
            self.pending_keys.clear()


def add_earlier_runs(app, docs, count, steps=1000):
    """`count` finished runs in the lab's runs list, each with a `steps`-step history (as the loss plot sees them)."""
    from dataclasses import replace

    from microgpt_engine.insight.history import RunHistory
    from microgpt_tui.features.sampling.sample_log import SampleLog

    trainer = Trainer(docs, Config(steps=steps, seed=7))
    records = [trainer.step() for _ in range(50)]
    for n in range(count):
        history = RunHistory(trainer.model.shapes)
        for step in range(1, steps + 1):
            history.append(replace(records[(step - 1) % len(records)], step=step))
        app.lab.book.add(
            current=False,
            name=f"earlier {n}",
            config=trainer.config,
            engine="fused",
            dataset="names.txt",
            history=history,
            samples=SampleLog(docs),
            uniform=app.lab.uniform,
        )
    app.lab.session.version += 1


def headless_rate(docs, config, seconds):
    """trainer.step() in a plain loop: (steps per second, steps per CPU-second of the process) over
    `seconds` (after a warm-up; the process CPU includes the paused app's)."""
    trainer = Trainer(docs, config)
    for _ in range(20):
        trainer.step()
    start, cpu0, steps = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - start < seconds:
        trainer.step()
        steps += 1
    return steps / (time.perf_counter() - start), steps / (time.process_time() - cpu0)


async def measure(docs, config, seconds, rounds, size, tty, views="none", earlier=5):
    """Alternate headless and with-UI windows in one app session, so drift and
    other load on the machine hit both alike. The app sits paused (idle) while
    the headless trainer runs on another thread."""
    trainer = Trainer(docs, config)
    app = TimedApp(trainer, dataset_name="names.txt", docs=docs)
    headless, ui, cpu = [], [], []  # steps/s, steps/s, the UI thread's share of a core
    headless_cpu, ui_cpu = [], []  # steps per CPU-second of the process
    async with app.run_test(size=size, headless=not tty) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()  # the bigram baseline
        add_earlier_runs(app, docs, earlier)
        app.apply(app.lab.travel.back_to_now())  # (draws the earlier curves)
        await pilot.pause()
        assert len(app.main.query_one("#loss").view.others) == earlier
        plot_ms = plot_build_ms(app.main.query_one("#loss"))
        rate, per_cpu = await asyncio.to_thread(headless_rate, docs, config, seconds / 2)
        headless.append(rate)
        headless_cpu.append(per_cpu)
        keys = KEYS
        if views == "inside":
            await pilot.press("m", "m", "m")  # the matrix heatmap, showing the update Δ
            app.apply(app.lab.forward.open_view())  # and the forward view over it: both open, both follow training
            await pilot.pause(0.2)
            assert isinstance(app.screen, ForwardScreen)
            assert app.lab.forward.open and app.lab.matrices.open
            keys = VIEW_KEYS
        for _ in range(rounds):
            await pilot.press("r")
            await pilot.pause(0.5)  # let it settle
            app.pending_keys.clear()
            s0, t0, cpu0, p0 = trainer.step_count, time.perf_counter(), time.thread_time(), time.process_time()
            i = 0
            while time.perf_counter() - t0 < seconds:
                key = keys[i % len(keys)]
                # What a terminal driver does with a key press (Pilot.press would also
                # wait for the screen to go idle, which never quite happens while training).
                app.post_message(events.Key(key, key if len(key) == 1 else None))
                i += 1
                await asyncio.sleep(0.25)
            s1, t1, cpu1, p1 = trainer.step_count, time.perf_counter(), time.thread_time(), time.process_time()
            ui.append((s1 - s0) / (t1 - t0))
            ui_cpu.append((s1 - s0) / (p1 - p0))
            cpu.append((cpu1 - cpu0) / (t1 - t0))
            await pilot.press("r")
            while app.lab.mode == "training":
                await pilot.pause(0.05)
            rate, per_cpu = await asyncio.to_thread(headless_rate, docs, config, seconds / 2)
            headless.append(rate)
            headless_cpu.append(per_cpu)
    return headless, ui, cpu, app.latencies, plot_ms, headless_cpu, ui_cpu


def plot_build_ms(plot, repeats=15):
    """Median ms to rebuild the loss plot (plotext's build, the cost that grows with curves) with the
    earlier runs drawn and with them left out, side by side."""
    from dataclasses import replace

    view = plot.view
    times = {}
    for name, shown in (("with", view), ("without", replace(view, others=()))):
        samples = []
        for _ in range(repeats):
            plot.view = None
            plot.show(shown)
            t0 = time.perf_counter()
            plot.plt.build()
            samples.append((time.perf_counter() - t0) * 1000)
        times[name] = statistics.median(samples)
    plot.show(view)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each with-UI window")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--earlier", type=int, default=5, help="earlier runs drawn on the loss plot")
    parser.add_argument("--tty", action="store_true", help="use the real terminal driver (run inside tmux)")
    parser.add_argument(
        "--views", choices=("none", "inside"), default="none", help="inside: the matrix and forward views open"
    )
    parser.add_argument("--out", help="also write the report to this file")
    args = parser.parse_args()
    size = tuple(int(x) for x in args.size.split("x"))
    docs = load_documents(bundled_names_path())
    config = Config(steps=1_000_000)

    headless, ui, cpu, latencies, plot_ms, headless_cpu, ui_cpu = asyncio.run(
        measure(docs, config, args.seconds, args.rounds, size, args.tty, args.views, args.earlier)
    )
    target = 0.7 if args.views == "inside" else 0.8
    mean_headless, mean_ui = statistics.mean(headless), statistics.mean(ui)
    ms = sorted(x * 1000 for x in latencies)
    round_ratios = [u / statistics.mean(headless[i : i + 2]) for i, u in enumerate(ui)]
    lines = [
        f"driver: {'terminal' if args.tty else 'headless'}, size {size[0]}x{size[1]}, views: {args.views}, "
        f"{args.rounds} rounds of {args.seconds:g} s training with the UI, headless windows between; "
        f"{args.earlier} earlier 1,000-step runs on the loss plot",
        "headless trainer.step(): " + ", ".join(f"{x:.0f}" for x in headless) + f" steps/s (mean {mean_headless:.1f})",
        "with the UI attached:    " + ", ".join(f"{x:.0f}" for x in ui) + f" steps/s (mean {mean_ui:.1f})"
        f" = {mean_ui / mean_headless:.0%} of headless (target >= {target:.0%})",
        "each round against the headless windows either side of it: "
        + ", ".join(f"{r:.0%}" for r in round_ratios)
        + f" (median {statistics.median(round_ratios):.0%})",
        f"steps per CPU-second of the process (little moved by other load): headless "
        f"{statistics.median(headless_cpu):.1f}, with the UI {statistics.median(ui_cpu):.1f} "
        f"= {statistics.median(ui_cpu) / statistics.median(headless_cpu):.0%} (medians)",
        f"UI thread CPU while training: {statistics.mean(cpu):.0%} of one core",
        f"key -> repaint: median {statistics.median(ms):.1f} ms, p90 {ms[int(len(ms) * 0.9)]:.1f} ms, "
        f"max {ms[-1]:.1f} ms over {len(ms)} keys (target median <= 50 ms)"
        if ms
        else "key -> repaint: no keys measured",
        f"loss plot rebuild: median {plot_ms['with']:.1f} ms with the {args.earlier} earlier runs, "
        f"{plot_ms['without']:.1f} ms without them",
    ]
    report = "\n".join(lines)
    if args.out:
        Path(args.out).write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
