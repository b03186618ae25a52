"""Helpers shared by the app tests: a small deterministic app, and reading what is on screen."""

import asyncio
import re
import threading
import unicodedata

from textual import events
from textual.command import CommandList
from textual.geometry import Region
from textual.keys import KEY_TO_UNICODE_NAME, REPLACED_KEYS

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_tui.app import MicroGPTApp

DOCS = load_documents(bundled_names_path())[:200]


def make_app(tmp_path=None, steps=40, docs=DOCS, trainer_class=Trainer, app_class=MicroGPTApp, **kwargs):
    """A fixed-seed app on 200 names; timings hidden unless asked for."""
    config = Config(steps=steps, seed=42, **kwargs.pop("config", {}))
    trainer = trainer_class(docs, config)
    kwargs.setdefault("show_timing", False)
    save_path = (tmp_path / "ckpt.json") if tmp_path is not None else "unused-checkpoint.json"
    return app_class(trainer, dataset_name="names.txt", save_path=save_path, docs=docs, **kwargs)


def widget_text(widget):
    """The text the widget shows on screen now (border included), one line per row."""
    size = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, size.width, size.height)))


def panel(app, selector):
    return widget_text(app.main.query_one(selector))


def percents(text):
    return [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)%", text)]


async def wait_until(pilot, condition, timeout=20.0):
    """Let the app run until `condition()` holds (for work on the training thread), then settle."""
    await until(pilot, condition, timeout)
    await pilot.pause()


class GatedTrainer(Trainer):
    """A trainer whose steps on the training thread the test can hold: while `free` is clear, each waits for a permit.

    A held step blocks where a real one would be busy, so a test can press a
    key "during" a step and decide when that step ends (and whether it fails:
    set `fail` to an exception the next one raises). Steps on the UI thread
    (a single step) and time travel's replays (on a plain engine Trainer
    copied from this one) are never held.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.free = threading.Event()
        self.free.set()
        self.permits = threading.Semaphore(0)
        self.waiting = threading.Event()  # set while a step waits for its permit
        self.fail = None

    def step(self, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            if not self.free.is_set():
                self.waiting.set()
                self.permits.acquire(timeout=10)
                self.waiting.clear()
            if self.fail is not None:
                error, self.fail = self.fail, None
                raise error
        return super().step(**kwargs)

    def hold(self):
        """From the next step on, each step waits for `release`."""
        self.free.clear()

    def release(self, steps=None):
        """Let `steps` held steps through (None: all of them, and stop holding)."""
        if steps is None:
            self.free.set()
            steps = 1
        for _ in range(steps):
            self.permits.release()


def make_gated_app(tmp_path=None, steps=100_000, **kwargs):
    """make_app's app over a GatedTrainer (the same seed, data and options)."""
    return make_app(tmp_path, steps, trainer_class=GatedTrainer, **kwargs)


def send(app, key, char=None):
    """Queue a key press without Pilot's wait for an idle CPU (which lasts seconds while the trainer runs)."""
    app.post_message(events.Key(key, char))


async def handled(pilot):
    """Wait until the app, then every widget on its screen, has handled what was queued for it, twice over (a
    key goes from the app to the screen, a widget's message to its parent): what Pilot's press waits for after
    a key, without its waits for an idle CPU (a training worker never leaves one)."""

    async def queues_done(nodes):
        waits = []
        for node in nodes:
            done = asyncio.Event()
            if node.call_later(done.set):  # (runs after what the node had queued)
                waits.append(done.wait())
        await asyncio.wait_for(asyncio.gather(*waits), 30)

    app = pilot.app
    for _ in range(2):
        await queues_done([app])
        await queues_done([app, *app.screen.walk_children(with_self=True)])


def typed(key: str) -> str | None:
    """The character a key named `key` types, as Pilot's press finds it ("question_mark" -> "?", "slash" -> "/",
    "space" -> " "; None for "up" or "ctrl+s")."""
    name = REPLACED_KEYS.get(key, key)
    try:
        return unicodedata.lookup(KEY_TO_UNICODE_NAME.get(name, name))
    except KeyError:
        return key if len(key) == 1 else None


async def press_sent(pilot, *keys):
    """Each key (a name and the character it types, or a name alone: the character Pilot's press would send)
    sent and handled in turn: Pilot's press without its waits for an idle CPU, for keys pressed while the
    trainer runs."""
    for key in keys:
        name, char = key if isinstance(key, tuple) else (key, typed(key))
        send(pilot.app, name, char)
        await handled(pilot)


def restyles(app, monkeypatch):
    """The list of every node Textual restyles from now on (it grows as they are restyled)."""
    restyled = []
    update = app.stylesheet.update_nodes

    def counting(nodes, animate=False):
        nodes = list(nodes)
        restyled.extend(nodes)
        return update(nodes, animate)

    monkeypatch.setattr(app.stylesheet, "update_nodes", counting)
    return restyled


async def until(pilot, condition, timeout=20.0, fail=True):
    """Let the app run until `condition()` holds, without waiting for an idle CPU at the end
    (while the trainer runs that wait lasts its full second). `fail=False`: give up quietly."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            if fail:
                raise AssertionError("timed out waiting for the app")
            return
        await pilot.pause(0.02)


async def trained(pilot):
    """Press r and wait for the (short) run to finish."""
    await pilot.press("r")
    await wait_until(pilot, lambda: pilot.app.lab.mode == "paused")


async def landed(pilot, timeout=20.0):
    """Let time travel's replay (on its worker thread) finish and the lab show the step asked for last."""
    travel = pilot.app.lab.travel
    await until(pilot, lambda: travel.going.running is None and not travel.moving, timeout)
    await pilot.pause()


def no_worker_running(app) -> bool:
    """Every worker the app started has ended (finished, failed or cancelled)."""
    return all(worker.is_finished for worker in app.workers)


async def settled(pilot, timeout=20.0):
    """Let every worker end (a training run, a replay, a build, a search) and the app handle what they posted."""
    await until(pilot, lambda: no_worker_running(pilot.app), timeout)
    await pilot.pause()


async def palette_searched(pilot):
    """Let the command palette's search for what was typed (a worker of its own) finish and list its matches."""
    app = pilot.app
    await wait_until(pilot, lambda: no_worker_running(app) and app.screen.query_one(CommandList).option_count > 0)
