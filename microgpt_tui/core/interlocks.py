"""Provides `Interlocks`: everything one feature may ask of another, in one list a reader can scan.

A feature receives the `Session` (the state they all share) and this, never
the lab or a sibling. The rules between features are here: training stops
before looking back, the quiz closes before a step, an ablation ends before
training, sampling returns to now. So are the few facts one feature reads of
another (is a run training? what is ablated? what do the panels show?).
`Rules` (rules.py) is the one implementation; it alone holds the features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from microgpt_engine import StepRecord, Trainer
    from microgpt_engine.insight.matrices import StepState
    from microgpt_tui.core.lens import Ablation
    from microgpt_tui.core.sequence import SequenceView
    from microgpt_tui.core.views import AfterSave, Change, ForwardView
    from microgpt_tui.features.quiz.turns import QuizState
    from microgpt_tui.features.runs.saved_runs import SavedRun


class Interlocks(Protocol):
    # -- the rules: what one feature does before another's intent ---------------------------

    def before_training(self) -> None:
        """Training always uses every head, on the live model, with the quiz closed and no sample half-drawn."""

    async def hold_still(self) -> None:
        """Looking back (or saving, the probe, the quiz) needs the trainer standing still and no auto-sampling."""

    def before_sampling(self) -> None:
        """Samples come from the current model, with the quiz closed."""

    def before_probe(self) -> None:
        """The probe takes the panels: the quiz closes, a sample stops (kept)."""

    def before_another_run(self) -> None:
        """Another run is about to become live: the quiz closes, a sample half-drawn is dropped."""

    def training_held(self, action: str) -> Change | None:
        """What keeps `action` ("step" or "run") from training now, said to the learner (None: nothing)."""

    def install(
        self, trainer: Trainer, docs: list[str], dataset_name: str, origin: str = "", saved: SavedRun | None = None
    ) -> None:
        """Make `trainer` the live run (a saved run's curve, name and samples with it); every feature resets."""

    # -- what one feature asks another to do -------------------------------------------------

    def adopt(self, trainer: Trainer, docs: list[str], dataset_name: str, saved: SavedRun | None = None) -> None:
        """Make a run trained elsewhere (the ladder's) the live one; the live one is kept in the runs list."""

    async def halt(self) -> str | None:
        """Stop training and wait until the trainer stands still; why it stopped (None: it was not training)."""

    def pause(self) -> None:
        """Ask training to pause after its step, without waiting."""

    def train(self, how: str) -> Change:
        """Train on: one step ("step") or a run ("run")."""

    def back_to_now(self) -> Change:
        """Time travel returns to the live model."""

    def leave_quiz(self) -> Change:
        """The quiz closes (with its score said, if any turn was played)."""

    def stop_drawing(self, keep: bool = False) -> None:
        """Sampling stops its timer; unless `keep`, an unfinished sample is dropped."""

    def advance_sample(self) -> Change:
        """One more character of the sample in progress."""

    def ablation_changed(self, ablation: Ablation) -> None:
        """The heads switched off changed: the rest of a sample is drawn the same way."""

    def temperature(self, delta: float) -> Change:
        """The sampling temperature moves by `delta`."""

    def rewound(self, record: StepRecord | None) -> None:
        """The run forked back to `record`'s step."""

    def run_finished(self) -> Change:
        """The live run took its last step: what the note says (its held-out figure follows once measured)."""

    def forked(self, run: int, step: int) -> None:
        """Run `run` forked at `step`: what was measured of its later steps was the old branch's."""

    def hand_matrix_state(self, state: StepState) -> None:
        """A training hand-over carried the matrix view's numbers."""

    async def save(self, then: AfterSave | None = None, pending: str = "") -> Change:
        """Save a checkpoint (`then`: what waits on it; `pending`: what does not happen if it fails)."""

    # -- what one feature reads of another ------------------------------------------------------

    @property
    def training(self) -> bool:
        """A run trains on a worker thread."""

    @property
    def training_on(self) -> bool:
        """A run trains and no pause was asked for."""

    @property
    def mode(self) -> str:
        """paused, training or sampling."""

    @property
    def steps_done(self) -> int:
        """Updates applied so far, as far as the UI may know."""

    @property
    def latest(self) -> StepRecord | None:
        """The last step's full record (None: no step yet on this run)."""

    @property
    def ablation(self) -> Ablation:
        """The (layer, head) pairs switched off in the view."""

    @property
    def sampling(self) -> bool:
        """A sample is in progress."""

    @property
    def sample_text(self) -> str:
        """The sample on show so far ("" without one)."""

    @property
    def sample_entries(self) -> tuple[tuple[str, bool], ...]:
        """The run's samples (name, in the training data), newest first."""

    @property
    def quiz_state(self) -> QuizState | None:
        """The quiz while it is on."""

    @property
    def quiz_on(self) -> bool: ...

    @property
    def moving(self) -> bool:
        """A replay is bringing the step asked for within reach."""

    @property
    def going_note(self) -> str:
        """What time travel says while a replay runs."""

    @property
    def graph_note(self) -> str | None:
        """What the graph view says while it is built off the UI thread (None: not building)."""

    def graph_nodes_counted(self, trainer: Trainer, step: int) -> int | None:
        """The nodes of `step`'s graph, when a built view counted them."""

    @property
    def matrix_name(self) -> str:
        """The matrix the parameter table and the matrix view select."""

    @property
    def matrix_open(self) -> bool:
        """The matrix view is open (training hands over its numbers)."""

    @property
    def handed_wte(self) -> tuple[int, tuple[tuple[float, ...], ...]] | None:
        """(step, wte rows) the training worker last handed over."""

    @property
    def speed_label(self) -> str: ...

    def rate(self) -> float | None:
        """Steps per second while training."""

    def shown(self) -> SequenceView | None:
        """What the attention and token panels show."""

    def lens_step(self, seq: SequenceView) -> int:
        """The step whose weights made `seq`'s predictions, or the viewed step."""

    def step_side(self, seq: SequenceView) -> str | None:
        """ "after" or "before": a single step's document seen after or before its update."""

    def forward_view(self) -> ForwardView:
        """The forward view's trace at the selected position."""

    def embedding_snapshot(self) -> tuple[int | None, list[list[float]] | None]:
        """(step, wte rows) as of the latest finished step, copied."""

    def applies(self, action: str) -> bool | None:
        """True if `action` makes sense now, None if not."""

    def why_not_reason(self, action: str) -> str | None:
        """Why `action` does nothing now."""

    def ended_by_itself(self) -> bool:
        """The last run ended without the learner pausing it (asking forgets it)."""

    def facts(self) -> dict[str, str]:
        """This session's live figures, as the texts take them."""

    def status_note(self) -> str:
        """The status line's note as every screen shows it: what the last key did, or what the lens shows."""
