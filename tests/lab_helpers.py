"""Helpers for the lab's tests without an app: a tiny model, and a session begun on it."""

from pathlib import Path

from microgpt_engine import Config, Trainer
from microgpt_tui.core.lab import Lab

CONFIG = Config(n_embd=8, n_head=2, steps=30, seed=5)  # tiny: a step takes milliseconds


def begun_lab(docs: list[str], folder: Path) -> Lab:
    """A lab on `docs` with the tiny model, begun (the first document on show), saving into `folder`."""
    lab = Lab(Trainer(docs, CONFIG), docs, "small", folder / "ckpt.json")
    lab.begin()
    return lab


def replays(lab: Lab, change: object = None) -> int:
    """How many replays the intents since the last look asked the app to run (`change`: the intent's result,
    evaluated first, so `replays(lab, lab.travel.go(3))` counts what that intent started)."""
    return sum(job.group == "replay" for job in lab.session.take_jobs())
