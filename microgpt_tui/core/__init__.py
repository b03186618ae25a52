"""Provides the lab: the one plain-Python owner of a session's state, and the data it hands the app.

`Lab` (lab.py) holds the trainer, the run's history, the selection, the lens,
the sampler, the quiz and the tour; its methods are the learner's intents.
The app binds keys to them and draws the immutable views (views.py) they
produce. Nothing here imports Textual.
"""

from microgpt_tui.core.lab import Lab

__all__ = ["Lab"]
