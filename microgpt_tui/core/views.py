"""Provides the immutable data the lab hands out: what each panel shows, and what an intent changed.

Panels receive these and draw them; none of them is a live object of the lab,
so a panel can keep one for as long as it likes and nothing changes under it.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from microgpt_engine.insight.forward_trace import ForwardTrace
from microgpt_engine.insight.graph import StepGraph


@dataclass(frozen=True)
class Selection:
    """Which part of the shown sequence the panels look at, and how samples are drawn."""

    layer: int = 0  # the layer shown in the attention panel
    head: int = 0  # the head shown (when not all heads)
    all_heads: bool = False  # every head of the layer side by side
    position: int = 0  # the selected position of the document or sample
    temperature: float = 0.5  # the sampling temperature
    before_update: bool = False  # d: after a step, show the model before its update (and what the update did)


@dataclass(frozen=True)
class Status:
    """The status line: training numbers, then the latest event or what the lens shows."""

    step: int = 0
    total: int = 0
    loss: float | None = None
    ema: float | None = None
    lr: float | None = None
    rate: float | None = None  # steps per second while training
    mode: str = "paused"
    num_params: int = 0
    dataset: str = ""
    n_docs: int = 0
    note: str = ""  # the latest event, in words
    show_rate: bool = True  # False for deterministic screenshots
    speed: str = "max speed"  # the speed control's setting


@dataclass(frozen=True)
class LossView:
    """The loss plot: the run's curves (already downsampled), its span and its references."""

    xs: tuple[float, ...] = ()
    losses: tuple[float, ...] = ()
    xs_mean: tuple[float, ...] = ()
    means: tuple[float, ...] = ()
    total_steps: int = 0
    window: int = 50
    uniform: float | None = None
    bigram: float | None = None
    viewed_step: int | None = None  # time travel: the step the other panels show
    others: tuple[RunCurve, ...] = ()  # the session's earlier runs, drawn fainter
    name: str = ""  # the live run's name (the legend says which curve is which)


@dataclass(frozen=True)
class RunCurve:
    """One earlier run on the loss plot: its trailing mean, downsampled (a count table: one level)."""

    number: int
    name: str
    xs: tuple[float, ...]
    means: tuple[float, ...]
    level: float | None = None


def log_reference(lr: float | None, std: float | None) -> float | None:
    """log10(lr_t / std of the weights): the update:data ratio of an Adam step that moves every weight by lr_t.

    Adam divides the gradient by its own running size, so each weight moves by
    about the learning rate or less, whatever the gradient's scale: the ratio
    tracks lr_t / std, and falls with the schedule as the learning rate decays.
    """
    if lr is None or std is None or not (lr > 0 and std > 0):
        return None
    ratio = lr / std
    return math.log10(ratio) if 0 < ratio < math.inf else None  # (weights that blew up have no reference)


BAND = 1.0  # decades below the reference that still count as a working Adam step (a tenth of lr_t)


def healthy(log_ratio: float | None, reference: float | None) -> bool:
    """Within the band where Adam puts it at this learning rate: a tenth of lr_t / std up to lr_t / std."""
    if log_ratio is None or reference is None:
        return False
    return reference - BAND <= log_ratio <= reference + 0.1  # (a hair above: Adam's bias correction early on)


@dataclass(frozen=True)
class ParamRow:
    name: str
    shape: str  # "27×16"
    mean: float | None = None
    std: float | None = None
    grad_norm: float | None = None
    log_ratio: float | None = None  # log10 of the update:data ratio
    log_reference: float | None = None  # log10(lr_t / std): where a full Adam step would put the ratio
    healthy: bool = False
    trend: tuple[float, ...] = ()  # recent gradient norms, oldest first
    update_norm: float | None = None  # |Δ|: the norm of the step's update of this matrix
    update_max: float | None = None  # the largest single change (signed)
    m_mean_abs: float | None = None  # Adam: mean |m|
    v_mean_sqrt: float | None = None  # Adam: sqrt(mean v)


@dataclass(frozen=True)
class ParamView:
    """The parameter table at one step (before any step: shapes only)."""

    rows: tuple[ParamRow, ...]
    num_params: int
    total_grad_norm: float | None = None
    title: str = "parameters"
    mode: str = "weights"  # "weights" (statistics, gradient, ratio) or "update" (what the step did, Adam's state)
    selected: str = ""  # the selected row's matrix (enter or m opens it as a heatmap)


@dataclass(frozen=True)
class SamplesView:
    entries: tuple[tuple[str, bool], ...] = ()  # (name, in the training data), newest first
    current: str | None = None  # the sample being written, or None
    nearest: tuple[tuple[str, str, int], ...] = ()  # (sampled name, nearest training name, edits)
    forced: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (sampled name, positions of the letters the learner chose)
    temperatures: tuple[str, ...] = ()  # each entry's sampling temperature ("T 0.5"; "" when not known)


@dataclass(frozen=True)
class QuizCard:
    """What the quiz panel shows."""

    position: int
    context: str  # the characters up to the position, as labels
    probs: list[float] | None  # the model's distribution (None: not revealed)
    actual: int | None = None
    guess: int | None = None
    top: int | None = None
    turns: int = 0
    learner_hits: int = 0
    model_hits: int = 0
    mean_p_actual: float = 0.0
    message: str = ""  # a hint or a complaint ("“Z” is not in the vocabulary")
    live: bool = False  # guessing a sample's next draw
    temperature: float = 1.0  # the temperature of the distribution it reveals (1: a document's raw belief)


@dataclass(frozen=True)
class ForwardView:
    """What the forward view draws: the trace at one position, and where it came from."""

    trace: ForwardTrace | None  # None: nothing to trace (see `message`)
    vocab_labels: tuple[str, ...]
    context: str  # the input up to the position, as labels
    next_label: str  # the actual (or sampled) next character
    source: str  # whose weights, in words ("weights before step 3's update")
    stage: int = 0  # the selected stage (index into trace.stages)
    message: str = ""
    tag: str = ""  # what the lens changed (time travel, ablation)
    target: int | None = None  # the actual (or sampled) next token: the view ends in its p and -ln p

    @property
    def selected(self) -> str | None:
        """The selected stage's name (stable: see forward_trace.stage_names)."""
        if self.trace is None:
            return None
        return self.trace.stages[self.stage].name


@dataclass(frozen=True)
class TourCard:
    """One step of the tour, as shown: the texts already filled with this session's figures."""

    number: int  # 1-based
    total: int
    title: str
    body: str  # Rich markup
    prompt: str  # Rich markup: the key to press
    panel: str | None = None  # the id of the panel it highlights


# -- what an intent asks the app to do ------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A toast: `message` with a severity ("information", "warning", "error")."""

    message: str
    title: str = ""
    severity: str = "information"
    timeout: float = 5


@dataclass(frozen=True)
class AskFork:
    """Training from the viewed step rewinds the run: ask first, then `then` ("step" or "run")."""

    step: int
    now: int
    later: int
    then: str
    lr: float = 0.01  # the run's settings, which the branch may change from the fork on
    remaining: int = 0  # steps after the fork point
    temperature: float = 0.5


@dataclass(frozen=True)
class ForkPlan:
    """What a fork changes from its fork point on: lr, the run's total steps, the sampling temperature."""

    lr: float
    steps: int
    temperature: float


@dataclass(frozen=True)
class AskQuit:
    unsaved: int
    save_path: str


AfterSave = Callable[[], Awaitable["Change"]]
"""What waits on a save (quitting, starting the new run): it runs once the checkpoint is written."""


@dataclass(frozen=True)
class AskOverwrite:
    """Whether to replace a checkpoint file the session did not load or write.

    The save may have been asked for on the way to something else: `then`
    carries it through the question (it runs once "replace" has saved), and
    `pending` says in words what does not happen if the file is kept.
    """

    save_path: str
    then: AfterSave | None = None
    pending: str = ""  # e.g. "the new run was not started"
    resume: bool = False  # training was running when the save paused it: it goes on after the answer


@dataclass(frozen=True)
class AskStep:
    """Which step to view (the go-to dialog)."""

    first: int
    now: int
    viewed: int | None


@dataclass(frozen=True)
class AskChar:
    """Which character the sample takes next."""

    chars: tuple[str, ...]
    bos_label: str
    bos: int


@dataclass(frozen=True)
class CompareView:
    """Step 0, the viewed step and now on the same document (the compare screen)."""

    doc: str
    columns: tuple  # (title, EvalRecord) per step
    vocab_labels: tuple[str, ...]
    layer: int
    head: int
    n_head: int
    position: int
    tag: str


@dataclass(frozen=True)
class GraphOpen:
    """The last step's autograd graph, and where to start in it."""

    graph: StepGraph
    vocab_labels: tuple[str, ...]
    tokens: tuple[int, ...]
    shapes: dict
    position: int


@dataclass(frozen=True)
class AskSettings:
    """The settings form, filled with the live run's values."""

    form: object  # settings.SettingsForm


@dataclass(frozen=True)
class AskNewRun:
    """Starting another run while this one has unsaved steps: ask first (it stays in the runs list)."""

    unsaved: int
    run_name: str
    save_path: str
    choice: object  # settings.NewRun, handed back with the answer


@dataclass(frozen=True)
class HeldOut:
    """A run's (or two runs') mean loss on the held-out names not trained on, and how many names that is."""

    losses: tuple[float | None, ...]  # one per run, in the order asked
    names: int  # the held-out names none of them trained on
    pool: int  # the held-out names there are (HELD_OUT, or every distinct name of a smaller file)


@dataclass(frozen=True)
class RunRow:
    """One row of the runs table."""

    number: int
    name: str
    differs: str  # the settings that differ from the first run
    steps: int
    total: int
    mean_last: float | None  # the mean loss of the last 100 steps
    bigram: float | None
    uniform: float
    samples: tuple[str, ...]
    live: bool
    origin: str
    held_out: HeldOut | None = None  # its loss on the held-out names it never trained on, once measured
    measurable: bool = False  # it has weights to measure them with (a count table has none)


@dataclass(frozen=True)
class RunsView:
    """The runs screen: every run of the session, oldest first."""

    rows: tuple[RunRow, ...]
    nbytes: int  # what the kept runs hold in memory


@dataclass(frozen=True)
class RunsCompareView:
    """Two runs side by side: their curves, each matrix's last statistics, their samples."""

    rows: tuple[RunRow, RunRow]
    curves: tuple[RunCurve, RunCurve]
    params: tuple[tuple[str, tuple[float | None, ...], tuple[float | None, ...]], ...]  # (matrix, a's, b's)
    stat_names: tuple[str, ...]
    held_out: HeldOut | None = None  # both runs on the held-out names neither trained on, once measured


@dataclass(frozen=True)
class ForwardOpen:
    """Open the forward-pass view (its data: `Lab.forward_view`)."""


@dataclass(frozen=True)
class MatrixOpen:
    """Open the matrix heatmap view (its data: `Lab.matrix_view`)."""


@dataclass(frozen=True)
class AskProbe:
    """Open the probe's text box, with what was typed last."""

    typed: str


@dataclass(frozen=True)
class Change:
    """What an intent did: the note it said, a question or view for the app to open, whether to quit."""

    note: str | None = None
    ask: object | None = None  # a question or a view for the app to open (a feature's wiring knows its kind)
    exit: bool = False
    new_run: bool = False  # another run is live: the panels' shape follows
