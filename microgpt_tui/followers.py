"""Provides `follow`: the one way out to a view on top of the main screen: what it shows now, handed to it.

After every intent (and at each capped-rate repaint while training), the app
hands the screen on top what it draws, computed from the lab: the screens
never read the lab themselves. Each screen's `follow` redraws only what
changed. A screen under another catches up when it is on top again (it posts
`Resumed`; the app follows it then).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from microgpt_tui.core import Lab
from microgpt_tui.features.embeddings.screen import EmbeddingScreen
from microgpt_tui.features.forward.screen import ForwardScreen
from microgpt_tui.features.matrix.screen import MatrixScreen
from microgpt_tui.features.probe.screen import ProbeScreen
from microgpt_tui.features.reference.code_screen import CodeScreen
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.features.saving.quit_screen import QuitScreen


def _forward(lab: Lab, screen: ForwardScreen) -> None:
    screen.follow(lab.status_note(), lab.forward.view())


def _matrix(lab: Lab, screen: MatrixScreen) -> None:
    screen.follow(lab.matrices.view())


def _code(lab: Lab, screen: CodeScreen) -> None:
    if screen.follow_stage:  # (opened from the forward view: its lines follow the stage)
        screen.follow(lab.reference.code_view(None, lab.forward.view().selected))


def _embeddings(lab: Lab, screen: EmbeddingScreen) -> None:
    screen.follow(*lab.embeddings.snapshot())


def _quit(lab: Lab, screen: QuitScreen) -> None:
    screen.follow(lab.saving.unsaved())


def _probe(lab: Lab, screen: ProbeScreen) -> None:
    screen.view = lab.probing.probe_view()


def _runs(lab: Lab, screen: RunsScreen) -> None:
    screen.view = lab.experiments.runs_view()


FOLLOWERS: dict[type[Screen[Any]], Callable[[Lab, Any], None]] = {
    ForwardScreen: _forward,
    MatrixScreen: _matrix,
    CodeScreen: _code,
    EmbeddingScreen: _embeddings,
    QuitScreen: _quit,
    ProbeScreen: _probe,
    RunsScreen: _runs,
}


def follow(lab: Lab, screen: Screen[Any]) -> None:
    """Hand `screen` what it shows now (nothing, for a screen that shows nothing of the lab)."""
    follower = FOLLOWERS.get(type(screen))
    if follower is not None:
        follower(lab, screen)
