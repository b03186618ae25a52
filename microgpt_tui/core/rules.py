"""Provides `Rules`: the one implementation of `Interlocks`, and the only object that holds every feature.

Every rule between features is a method here, a line or a few: what runs
before training, sampling, the probe or another run; which keys apply now
(`applies`, each key's rule in `APPLIES`) and why one does not (reasons.py);
making another run live (`install`). Features call these through the
`Interlocks` protocol; the lab builds the features and hands them to
`attach` once, before any intent runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from microgpt_engine import StepRecord, Trainer
from microgpt_engine.insight.baselines import bigram_loss, uniform_loss
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.matrices import StepState
from microgpt_engine.insight.names import NameIndex
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.lens import Ablation, make_time_machine
from microgpt_tui.core.reasons import why_not
from microgpt_tui.core.views import AfterSave, Change, ForwardView, Selection
from microgpt_tui.features.panels import status_line
from microgpt_tui.language import N_

if TYPE_CHECKING:
    from microgpt_tui.core.selecting import Selecting
    from microgpt_tui.core.sequence import SequenceView
    from microgpt_tui.core.session import Session
    from microgpt_tui.features.embeddings.state import EmbeddingRows
    from microgpt_tui.features.forward.state import ForwardLens
    from microgpt_tui.features.graph.state import Graphing
    from microgpt_tui.features.interventions.state import Interventions
    from microgpt_tui.features.ladder.state import Ladder
    from microgpt_tui.features.matrix.state import MatrixLens
    from microgpt_tui.features.panels.viewer import Viewer
    from microgpt_tui.features.probe.state import Probing
    from microgpt_tui.features.quiz.state import Quizzing
    from microgpt_tui.features.quiz.turns import QuizState
    from microgpt_tui.features.reference.state import Reference
    from microgpt_tui.features.runs.saved_runs import SavedRun
    from microgpt_tui.features.runs.state import Experiments
    from microgpt_tui.features.sampling.state import SampleDrawing
    from microgpt_tui.features.saving.export import Exporting
    from microgpt_tui.features.saving.state import Saving
    from microgpt_tui.features.time_travel.state import TimeTravel
    from microgpt_tui.features.training.state import Stepping


@dataclass
class Features:
    """Every feature of a session, built by the lab."""

    stepping: Stepping
    drawing: SampleDrawing
    travel: TimeTravel
    experiments: Experiments
    interventions: Interventions
    quizzing: Quizzing
    saving: Saving
    graph: Graphing
    embeddings: EmbeddingRows
    exporting: Exporting
    reference: Reference
    probing: Probing
    forward: ForwardLens
    matrices: MatrixLens
    selecting: Selecting
    viewer: Viewer
    ladder: Ladder


class Rules:
    """The interlocks between features, and what one reads of another."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._features: Features | None = None
        s = self.session
        # When each key applies (None: greyed out); a key not listed always applies.
        self.applies_now: dict[str, Callable[[], bool | None]] = {
            "step": lambda: None if self.training or self.done else True,
            "run": lambda: None if not self.training and self.done else True,
            "sample": lambda: None if self.training else True,
            "next_char": lambda: True if self.f.drawing.sampling else None,
            "force_char": lambda: True if self.f.drawing.shown else None,
            "layer": lambda: None if s.trainer.config.n_layer <= 1 or not s.attends else True,
            "head": lambda: None if s.trainer.config.n_head == 1 or s.selection.all_heads or not s.attends else True,
            "view_step": self._can_look_back,
            "compare": self._can_look_back,
            "goto_step": self._can_look_back,
            "ablate_head": self._can_ablate,
            "ablate_layer": self._can_ablate,
            "undo_interventions": lambda: (
                True if self.f.interventions.ablation or s.viewing_past or self.f.travel.moving else None
            ),
            "quiz": lambda: True if s.sequence is not None and s.sequence.probs else None,
            "leave_sampling": lambda: True if s.sequence is not None and s.sequence.kind == "sample" else None,
        }

    def _can_look_back(self) -> bool | None:
        """An earlier step to look at, or one on its way (while training, even before the first hand-over:
        the key pauses, then looks)."""
        return True if self.training or self.session.time.now > self.session.time.start else None

    def _can_ablate(self) -> bool | None:
        """A sequence on show to ablate heads on, with attention to switch off, and no training (it uses every head)."""
        s = self.session
        return None if self.training or s.sequence is None or not s.attends else True

    @property
    def done(self) -> bool:
        """Every configured step is taken (from an earlier step, training forks instead)."""
        return self.session.trainer.done and not self.session.viewing_past

    def attach(self, features: Features) -> None:
        self._features = features

    @property
    def f(self) -> Features:
        assert self._features is not None  # (attached by the lab before any intent)
        return self._features

    # -- the rules -------------------------------------------------------------------------

    def before_training(self) -> None:
        self.f.quizzing.leave_quiz()
        if self.f.interventions.ablation:
            self.f.interventions.set_ablation(())
            self.session.notify(N_("ablation off: training always uses every head (ablations only change the view)"))
        self.f.drawing.stop()

    async def hold_still(self) -> None:
        await self.halt()
        self.f.drawing.stop(keep=True)

    def before_sampling(self) -> None:
        self.f.travel.back_to_now()
        self.f.quizzing.leave_quiz()

    def before_probe(self) -> None:
        self.f.quizzing.leave_quiz()
        self.f.drawing.stop(keep=True)

    def before_another_run(self) -> None:
        self.f.quizzing.leave_quiz()
        self.f.drawing.stop()

    def training_held(self, action: str) -> Change | None:
        """A graph view being built or a replay on its way make training wait; a past step shown makes it fork."""
        if self.f.graph.building.running is not None:
            return self.f.graph.wait_for_graph()
        if self.f.travel.moving:
            return self.f.travel.wait_for_it()
        if self.session.viewing_past:
            return self.f.travel.ask_fork(action)
        return None

    def install(
        self, trainer: Trainer, docs: list[str], dataset_name: str, origin: str = "", saved: SavedRun | None = None
    ) -> None:
        """Make `trainer` the live run: a fresh history (or the saved one), time travel, selection and samples."""
        s, f = self.session, self.f
        same_data = getattr(s, "docs", None) == docs
        first = s.book.current is None
        s.trainer = trainer
        s.docs, s.dataset_name = docs, dataset_name
        tokenizer = trainer.tokenizer
        s.vocab_labels = tuple(tokenizer.label(i) for i in range(tokenizer.vocab_size))
        history = saved.history if saved is not None else None
        s.history = history if history is not None else RunHistory(trainer.model.shapes, start=trainer.step_count)
        s.time = make_time_machine(trainer, s.history)
        s.version += 1
        s.saved_step = trainer.step_count
        s.selection = Selection(temperature=trainer.config.temperature)
        s.sequence = None
        s.viewed_step = None
        f.stepping.reset()
        f.interventions.reset()
        f.travel.going.reset()  # (a replay of the run before is of no use now)
        f.drawing.reset(docs, same_data)  # (another data set: its names are indexed again off the UI thread)
        f.forward.reset()
        f.matrices.reset()
        bigram = s.book.current.bigram if same_data and s.book.current is not None else None
        if s.book.current is not None and s.book.current.config.block_size != trainer.config.block_size:
            bigram = None  # the bigram line is measured over the predictions a step makes
        extra: dict[str, Any] = {"name": saved.name} if saved is not None and saved.name else {}
        s.book.add(
            config=trainer.config,
            engine=trainer.engine,
            dataset=dataset_name,
            history=s.history,
            samples=f.drawing.samples,
            uniform=uniform_loss(tokenizer.vocab_size),
            bigram=bigram,
            origin=saved.origin if saved is not None else origin,
            docs=docs,
            order=trainer.docs,
            **extra,
        )
        if saved is not None:
            f.drawing.restore(saved.samples)
        self._start_baselines(trainer, docs)
        if not first:  # (the first run's document is put on show when the session begins)
            s.sequence = s.next_document_view()

    def adopt(self, trainer: Trainer, docs: list[str], dataset_name: str, saved: SavedRun | None = None) -> None:
        self.f.experiments.keep_current()
        self.install(trainer, docs, dataset_name, saved=saved)

    def _start_baselines(self, trainer: Trainer, docs: list[str]) -> None:
        """The live run's bigram line, and (for other data) the training names' index, off the UI thread."""
        run, tokenizer, block_size = self.session.current_run, trainer.tokenizer, trainer.config.block_size

        def measured(bigram: float) -> Change:
            run.bigram = bigram  # (the run it was measured for, live or not by now)
            return Change()

        self.session.start(
            Job("baselines", lambda cancelled, report: bigram_loss(trainer.docs, tokenizer, block_size), measured)
        )
        if self.f.drawing.name_index is None:
            names = list(docs)
            self.session.start(Job("names", lambda cancelled, report: NameIndex(names), self.f.drawing.names_indexed))

    # -- what one feature asks another to do ---------------------------------------------------

    async def halt(self) -> str | None:
        return await self.f.stepping.halt()

    def pause(self) -> None:
        self.f.stepping.pause()

    def train(self, how: str) -> Change:
        return self.f.stepping.step() if how == "step" else self.f.stepping.run_or_pause()

    def back_to_now(self) -> Change:
        return self.f.travel.back_to_now()

    def leave_quiz(self) -> Change:
        return self.f.quizzing.leave_quiz()

    def stop_drawing(self, keep: bool = False) -> None:
        self.f.drawing.stop(keep=keep)

    def advance_sample(self) -> Change:
        return self.f.drawing.advance_sample()

    def ablation_changed(self, ablation: Ablation) -> None:
        self.f.drawing.use_ablation(ablation)

    def temperature(self, delta: float) -> Change:
        change = self.f.selecting.temperature(delta)
        self.f.drawing.use_temperature(self.session.selection.temperature)
        return change

    def rewound(self, record: StepRecord | None) -> None:
        self.f.stepping.rewound(record)

    def run_finished(self) -> Change:
        return self.f.experiments.run_finished()

    def forked(self, run: int, step: int) -> None:
        self.f.experiments.held_out.forked(run, step)

    def hand_matrix_state(self, state: StepState) -> None:
        self.f.matrices.handed = state

    async def save(self, then: AfterSave | None = None, pending: str = "") -> Change:
        return await self.f.saving.save(then=then, pending=pending)

    # -- what one feature reads of another -----------------------------------------------------

    @property
    def training(self) -> bool:
        return self.f.stepping.run is not None

    @property
    def training_on(self) -> bool:
        run = self.f.stepping.run
        return run is not None and not run.stop_requested

    @property
    def mode(self) -> str:
        return "training" if self.training else ("sampling" if self.f.drawing.in_mode else "paused")

    @property
    def steps_done(self) -> int:
        """While the worker trains, the steps it handed over; else the trainer's own count."""
        return self.session.history.now if self.training else self.session.trainer.step_count

    @property
    def latest(self) -> StepRecord | None:
        return self.f.stepping.latest

    @property
    def ablation(self) -> Ablation:
        return self.f.interventions.ablation

    @property
    def sampling(self) -> bool:
        return self.f.drawing.sampling

    @property
    def sample_text(self) -> str:
        sampler = self.f.drawing.sampler
        return sampler.text if sampler is not None else ""

    @property
    def sample_entries(self) -> tuple[tuple[str, bool], ...]:
        return tuple(self.f.drawing.samples.entries)

    @property
    def quiz_state(self) -> QuizState | None:
        return self.f.quizzing.state

    @property
    def quiz_on(self) -> bool:
        return self.f.quizzing.on

    @property
    def moving(self) -> bool:
        return self.f.travel.moving

    @property
    def going_note(self) -> str:
        return self.f.travel.going.note

    @property
    def graph_note(self) -> str | None:
        building = self.f.graph.building
        return building.note if building.running is not None else None

    def graph_nodes_counted(self, trainer: Trainer, step: int) -> int | None:
        return self.f.graph.building.counted(trainer, step)

    @property
    def matrix_name(self) -> str:
        return self.f.matrices.name

    @property
    def matrix_open(self) -> bool:
        return self.f.matrices.wants_state

    @property
    def handed_wte(self) -> tuple[int, tuple[tuple[float, ...], ...]] | None:
        return self.f.stepping.wte

    @property
    def speed_label(self) -> str:
        return self.f.stepping.pace.label

    def rate(self) -> float | None:
        return self.f.stepping.rate.rate()

    def shown(self) -> SequenceView | None:
        return self.f.viewer.shown()

    def lens_step(self, seq: SequenceView) -> int:
        return self.f.viewer.lens_step(seq)

    def step_side(self, seq: SequenceView) -> str | None:
        return self.f.viewer.step_side(seq)

    def forward_view(self) -> ForwardView:
        return self.f.forward.view()

    def embedding_snapshot(self) -> tuple[int | None, list[list[float]] | None]:
        return self.f.embeddings.snapshot()

    def applies(self, action: str) -> bool | None:
        rule = self.applies_now.get(action)
        return True if rule is None else rule()

    def why_not_reason(self, action: str) -> str | None:
        return why_not(self.applies(action), self.training, self.session.trainer.config, action)

    def ended_by_itself(self) -> bool:
        return self.f.stepping.ended_by_itself()

    def facts(self) -> dict[str, str]:
        return self.f.reference.facts()

    def status_note(self) -> str:
        return status_line.shown_note(self.session, self)
