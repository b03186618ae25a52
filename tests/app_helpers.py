"""Helpers shared by the app tests: a small deterministic app, and reading what is on screen."""

import asyncio
import re

from textual.geometry import Region

from engine import Config, Trainer
from microgpt_data import bundled_names_path, load_documents
from microgpt_tui.app import MicroGPTApp

DOCS = load_documents(bundled_names_path())[:200]


def make_app(tmp_path=None, steps=40, docs=DOCS, **kwargs):
    """A fixed-seed app on 200 names; timings hidden unless asked for."""
    config = Config(steps=steps, seed=42, **kwargs.pop("config", {}))
    trainer = Trainer(docs, config)
    kwargs.setdefault("show_timing", False)
    save_path = (tmp_path / "ckpt.json") if tmp_path is not None else "unused-checkpoint.json"
    return MicroGPTApp(trainer, dataset_name="names.txt", save_path=save_path, docs=docs, **kwargs)


def widget_text(widget):
    """The text the widget shows on screen now (border included), one line per row."""
    size = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, size.width, size.height)))


def panel(app, selector):
    return widget_text(app.main.query_one(selector))


def percents(text):
    return [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)%", text)]


async def wait_until(pilot, condition, timeout=20.0):
    """Let the app run until `condition()` holds (for work on the training thread)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
    await pilot.pause()
