"""Provides `WIRINGS`: every feature the app runs, each as its folder's `Wiring` (see microgpt_tui/wiring.py).

A new view is a folder under features/ (its state and intents, its screen,
its drawing, its wiring), built by the lab (core/lab.py) and listed here; its
key goes in bindings.py with the rest, so that a reader sees every key at once.
"""

from microgpt_tui.features.embeddings.wiring import WIRING as EMBEDDINGS
from microgpt_tui.features.forward.wiring import WIRING as FORWARD
from microgpt_tui.features.graph.wiring import WIRING as GRAPH
from microgpt_tui.features.interventions.wiring import WIRING as INTERVENTIONS
from microgpt_tui.features.ladder.wiring import WIRING as LADDER
from microgpt_tui.features.lessons.wiring import WIRING as LESSONS
from microgpt_tui.features.matrix.wiring import WIRING as MATRIX
from microgpt_tui.features.motion.wiring import WIRING as MOTION
from microgpt_tui.features.panels.wiring import WIRING as PANELS
from microgpt_tui.features.probe.wiring import WIRING as PROBE
from microgpt_tui.features.quiz.wiring import WIRING as QUIZ
from microgpt_tui.features.recording.wiring import WIRING as RECORDING
from microgpt_tui.features.reference.wiring import WIRING as REFERENCE
from microgpt_tui.features.runs.wiring import WIRING as RUNS
from microgpt_tui.features.sampling.wiring import WIRING as SAMPLING
from microgpt_tui.features.saving.wiring import WIRING as SAVING
from microgpt_tui.features.time_travel.wiring import WIRING as TIME_TRAVEL
from microgpt_tui.features.tour.wiring import WIRING as TOUR
from microgpt_tui.features.training.wiring import WIRING as TRAINING
from microgpt_tui.wiring import Wiring

WIRINGS: tuple[Wiring, ...] = (
    TRAINING,
    SAMPLING,
    PANELS,
    TIME_TRAVEL,
    INTERVENTIONS,
    QUIZ,
    TOUR,
    LESSONS,
    FORWARD,
    MATRIX,
    GRAPH,
    PROBE,
    RUNS,
    EMBEDDINGS,
    REFERENCE,
    SAVING,
    MOTION,
    RECORDING,
    LADDER,
)
