"""Provides the messages a background job's worker posts to the app.

Workers never touch a widget or the lab: they post one of these (thread-safe)
and the app, on its own thread, hands what they carry back to the job.
"""

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from microgpt_tui.core.jobs import Job


@dataclass
class JobReport(Message):
    """`job` has something for the UI while it runs (training handed finished steps over)."""

    job: Job


@dataclass
class JobLanded(Message):
    """`job` finished off the UI thread with `result` (its `land` takes it)."""

    job: Job
    result: Any
