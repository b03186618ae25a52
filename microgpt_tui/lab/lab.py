"""Provides `Lab`: the one owner of a session's state, and the learner's intents as its methods.

The lab holds the trainer, the run's one history (`RunHistory`) and its
snapshots (`TimeMachine`), the selection (layer, head, position,
temperature), the sequence on show and the viewed step. It composes one
part per concern, and each part owns its own state: `stepping` (training.py:
the run in progress, the last step, the speed), `drawing` (sample_drawing.py:
the sampler, the sample log), `interventions` (the ablated heads), `quizzing`
(the quiz), `travel` (time_travel.py), `experiments` (experimenting.py),
`saving`, `inside` (inside_views.py), `probing` (the text probed last) and
`touring` (the guided tour). Every key the app binds calls one intent, here
(the selection; training's delegate to `stepping`) or on one of the parts
(`lab.drawing.sample()`). The intent changes the state and returns a
`Change`: the note it said, and the question or view the app should open.
The app then draws the lab's views (`status`, `shown`, `loss_view`, …),
which are immutable.

"Who writes X?" has one answer for every piece of state: a part's state is
written by that part (others read its properties); the lab's own attributes
by this file or, through the back-reference, by the part named for the
concern. The rules between features (training stops before looking back, the
quiz closes before a step, an ablation switches off before training,
sampling returns to now) are the methods under "Interlocks", and each intent
calls the one it needs.

Training runs on a worker thread the app starts for `stepping.run`
(training.py); the lab takes its steps in on the UI thread (`take_steps`) and
never reads the trainer while it trains, except through the run's hand-overs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from microgpt_engine import Trainer
from microgpt_engine.insight.baselines import uniform_loss
from microgpt_engine.insight.history import RunHistory

from .. import texts
from . import saved_runs, status_line
from .experimenting import Experiments
from .forward import ForwardLens
from .history_views import HistoryViews
from .inside_views import InsideViews
from .interventions import Interventions
from .labels import visible_text
from .lens import make_time_machine
from .matrices import MatrixLens
from .probing import Probing
from .quizzing import Quizzing
from .reasons import complete, why_not
from .runs import KeptRun, RunBook
from .sample_drawing import SampleDrawing
from .save_guard import SaveGuard
from .saving import Saving
from .sequence import SequenceView
from .time_travel import TimeTravel
from .touring import Touring
from .training import Stepping
from .viewer import Viewer
from .views import (
    Change,
    LossView,
    Notice,
    ParamView,
    QuizCard,
    SamplesView,
    Selection,
    Status,
)

TEMPERATURES = (0.1, 3.0)  # the range + and - move the sampling temperature in
PANEL_IDS = tuple(texts.PANELS)  # the main screen's panels, by id


class Lab:
    """A training session: one trainer, its history, what is selected and how it is seen."""

    def __init__(
        self,
        trainer: Trainer,
        docs: list[str] | None = None,
        dataset_name: str = "",
        save_path: Path | str = "microgpt-checkpoint.json",
        offer_tour: bool = False,
        state_path: Path | None = None,
        loaded_from: Path | None = None,
        saved: saved_runs.SavedRun | None = None,
    ):
        """`saved`: the curve, name and samples the checkpoint `trainer` was restored from carries (--load)."""
        self.save_path = Path(save_path)
        self.save_guard = SaveGuard(self.save_path, loaded_from)  # asks before replacing someone else's file
        self.version = 0  # counts changes to the history, so views of it can be reused until it changes
        self.book = RunBook()  # every run of the session; the live one is book.current
        self.event = ""  # the latest thing that happened, in words (written only by `_say`)
        self.notices: list[Notice] = []  # toasts for the app to show (taken by take_notices)
        self.forward = ForwardLens(self)  # the forward-pass view (forward.py)
        self.matrices = MatrixLens(self)  # the matrix heatmap view (matrices.py)
        # The intents, by concern: each part writes the lab's state through its back-reference.
        self.stepping = Stepping(self)  # training: the run, the last step, the speed (training.py)
        self.drawing = SampleDrawing(self)  # sampling (sample_drawing.py)
        self.travel = TimeTravel(self)  # looking back, comparing, forking (time_travel.py)
        self.experiments = Experiments(self)  # settings and the runs side by side (experimenting.py)
        self.interventions = Interventions(self)  # ablations (interventions.py)
        self.quizzing = Quizzing(self)  # predict, then reveal (quizzing.py)
        self.saving = Saving(self)  # checkpoints and quitting (saving.py)
        self.inside = InsideViews(self)  # the views inside the model (inside_views.py)
        self.probing = Probing(self)  # any text, read as a document (probing.py)
        docs = list(docs) if docs is not None else list(trainer.docs)
        if saved is None:
            self._install(trainer, docs, dataset_name)
        else:
            self._install_saved(trainer, docs, dataset_name, saved)
        self.touring = Touring(self, offer_tour, state_path)  # the guided tour (touring.py)
        self.viewer = Viewer(self)  # what the attention and token panels show (viewer.py)
        self.history_views = HistoryViews(self)  # the loss plot and the parameter table (history_views.py)
        self.rules: dict[str, Callable[[], bool | None]] = {
            "step": lambda: None if self.training or self.done else True,
            "run": lambda: None if not self.training and self.done else True,
            "sample": lambda: None if self.training else True,
            "next_char": lambda: True if self.drawing.sampling else None,
            "force_char": lambda: True if self.drawing.shown else None,
            "layer": lambda: None if self.trainer.config.n_layer <= 1 or not self.attends else True,
            "head": lambda: (
                None if self.trainer.config.n_head == 1 or self.selection.all_heads or not self.attends else True
            ),
            "view_step": self._has_past,
            "compare": self._has_past,
            "goto_step": self._has_past,
            "ablate_head": lambda: None if self.training or self.sequence is None or not self.attends else True,
            "ablate_layer": lambda: None if self.training or self.sequence is None or not self.attends else True,
            "undo_interventions": lambda: (
                True if self.interventions.ablation or self.viewing_past or self.travel.moving else None
            ),
            "quiz": lambda: True if self.sequence is not None and self.sequence.probs else None,
            "leave_sampling": lambda: True if self.sequence is not None and self.sequence.kind == "sample" else None,
        }

    def _install(
        self,
        trainer: Trainer,
        docs: list[str],
        dataset_name: str,
        origin: str = "",
        history: RunHistory | None = None,
        name: str | None = None,
    ) -> None:
        """Make `trainer` the live run: a fresh history (or a loaded one), time travel, selection and samples."""
        same_data = getattr(self, "docs", None) == docs
        self.trainer = trainer
        self.docs, self.dataset_name = docs, dataset_name
        tokenizer = trainer.tokenizer
        self.vocab_labels = tuple(tokenizer.label(i) for i in range(tokenizer.vocab_size))
        self.history = history if history is not None else RunHistory(trainer.model.shapes, start=trainer.step_count)
        self.time = make_time_machine(trainer, self.history)
        self.version += 1
        self.stepping.reset()
        self.saved_step = trainer.step_count  # steps up to here are on disk (or were loaded)
        self.selection = Selection(temperature=trainer.config.temperature)
        self.sequence: SequenceView | None = None  # the live document or sample the panels look at
        self.viewed_step: int | None = None  # the step whose weights the panels show; None: now
        self.interventions.reset()
        self.travel.going.reset()  # (a replay of the run before is of no use now)
        self.drawing.reset(docs, same_data)  # (another data set: its names are indexed again off the UI thread)
        self.forward.reset()
        self.matrices.reset()
        bigram = self.book.current.bigram if same_data and self.book.current is not None else None
        if self.book.current is not None and self.book.current.config.block_size != trainer.config.block_size:
            bigram = None  # the bigram line is measured over the predictions a step makes
        extra: dict[str, Any] = {"name": name} if name else {}
        self.book.add(
            config=trainer.config,
            engine=trainer.engine,
            dataset=dataset_name,
            history=self.history,
            samples=self.drawing.samples,
            uniform=uniform_loss(tokenizer.vocab_size),
            bigram=bigram,
            origin=origin,
            docs=docs,
            order=trainer.docs,
            **extra,
        )

    def _install_saved(self, trainer: Trainer, docs: list[str], dataset_name: str, saved: saved_runs.SavedRun) -> None:
        """Make a saved run live with its whole curve, name and samples (the runs screen's load, and --load)."""
        self._install(trainer, docs, dataset_name, saved.origin, saved.history, saved.name)
        self.drawing.restore(saved.samples)

    # -- derived state ---------------------------------------------------------------

    @property
    def attends(self) -> bool:
        """The live model has attention to look at (n_layer 0 or attention off: none)."""
        config = self.trainer.config
        return config.n_layer > 0 and config.attention

    @property
    def uniform(self) -> float:
        return self.current_run.uniform

    @property
    def bigram(self) -> float | None:
        return self.current_run.bigram

    @property
    def current_run(self) -> KeptRun:
        run = self.book.current
        assert run is not None  # (installed by __init__)
        return run

    @property
    def training(self) -> bool:
        return self.stepping.run is not None

    @property
    def mode(self) -> str:
        """paused, training or sampling."""
        return "training" if self.training else ("sampling" if self.drawing.in_mode else "paused")

    @property
    def viewing_past(self) -> bool:
        return self.viewed_step is not None

    @property
    def steps_done(self) -> int:
        """Updates applied so far, as far as the UI may know: while the worker trains, the steps it handed over."""
        return self.history.now if self.training else self.trainer.step_count

    @property
    def done(self) -> bool:
        """Every configured step is taken (from an earlier step, training forks instead)."""
        return self.trainer.done and not self.viewing_past

    def _has_past(self) -> bool | None:
        return True if self.time.now > self.time.start else None

    def applies(self, action: str) -> bool | None:
        """True if `action` makes sense now, None if not (shown greyed out)."""
        rule = self.rules.get(action)
        return True if rule is None else rule()

    def why_not(self, action: str) -> Change:
        """A key that does not apply now was pressed: say why, and what to do instead."""
        reason = why_not(self, action)
        if reason is None:
            return Change()
        self._notify(reason, timeout=6)
        return self._say(reason)

    def _say(self, note: str, **change: Any) -> Change:
        """The one place the latest event is written."""
        self.event = note
        return Change(note=note, **change)

    def _notify(self, message: str, title: str = "", severity: str = "information", timeout: float = 5) -> None:
        self.notices.append(Notice(visible_text(message), visible_text(title), severity, timeout))

    def take_notices(self) -> list[Notice]:
        notices, self.notices = self.notices, []
        return notices

    def after_intent(self) -> Change:
        """Bookkeeping the app runs after every intent: training or sampling stopping moves the tour on."""
        return self.touring.after_intent()

    # -- Interlocks: what one feature does before another's intent ----------------------

    def _before_training(self) -> None:
        """Training always uses every head, on the live model, with the quiz closed and no sample half-drawn."""
        self.quizzing.leave_quiz()
        if self.interventions.ablation:
            self.interventions.set_ablation(())
            self._notify("ablation off: training always uses every head (ablations only change the view)")
        self.drawing.stop()

    async def _hold_still(self) -> None:
        """Looking back (or saving, or the graph) needs the trainer standing still and no auto-sampling."""
        await self.halt()
        self.drawing.stop(keep=True)

    def _before_sampling(self) -> None:
        """Samples come from the current model, with the quiz closed."""
        self.travel.back_to_now()
        self.quizzing.leave_quiz()

    # -- training ----------------------------------------------------------------------

    def begin(self) -> Change:
        """The session starts: the next document on show, and (on a first launch) the tour offered."""
        self.sequence = self._next_document_view()
        if self.trainer.done:  # a finished checkpoint: space and r have nothing left to do
            note = complete(self) + " · ? lists every key"
        else:
            note = (
                f"next document: “{self.sequence.text}”. space trains one step on it, r runs, s samples, "
                "t takes the tour, ? lists every key"
            )
        return self._say(self.touring.offer() or note)

    def step(self) -> Change:
        return self.stepping.step()

    def run_or_pause(self) -> Change:
        return self.stepping.run_or_pause()

    def take_steps(self, run_id: int | None = None) -> Change:
        return self.stepping.take_steps(run_id)

    async def halt(self) -> str | None:
        return await self.stepping.halt()

    def _next_document_view(self) -> SequenceView:
        doc = self.trainer.document()
        return SequenceView.from_eval(self.trainer.evaluate(doc), doc, self.trainer.step_count)

    def _set_sequence(self, seq: SequenceView | None) -> None:
        self.sequence = seq
        if seq is not None and self.selection.position >= len(seq):
            self.selection = replace(self.selection, position=max(0, len(seq) - 1))

    # -- sampling ------------------------------------------------------------------------

    def baselines_ready(self, bigram: float, run: KeptRun | None = None) -> Change:
        """The bigram line of `run` (by default the live one) is measured."""
        (run or self.current_run).bigram = bigram
        return Change()

    # -- the selection ---------------------------------------------------------------------

    def temperature(self, delta: float) -> Change:
        low, high = TEMPERATURES
        value = round(min(max(self.selection.temperature + delta, low), high), 2)
        self.selection = replace(self.selection, temperature=value)
        self.drawing.use_temperature(value)
        return self._say(f"sampling temperature {value:g}")

    def move(self, delta: int) -> Change:
        seq = self.sequence
        if seq is not None and len(seq):
            self.set_position(self.selection.position + delta)
        return Change()

    def set_position(self, position: int) -> None:
        last = len(self.sequence) - 1 if self.sequence is not None else 0
        self.selection = replace(self.selection, position=min(max(position, 0), max(last, 0)))

    def head(self, delta: int) -> Change:
        self.selection = replace(self.selection, head=(self.selection.head + delta) % self.trainer.config.n_head)
        return Change()

    def layer(self, delta: int) -> Change:
        self.selection = replace(self.selection, layer=(self.selection.layer + delta) % self.trainer.config.n_layer)
        return Change()

    def toggle_before_after(self) -> Change:
        """d: after a step, the panels show the model before its update (the one after it behind the bars),
        and the parameter table what the update did to each matrix; d again: back."""
        before = not self.selection.before_update
        self.selection = replace(self.selection, before_update=before)
        seq = self.sequence
        step = f"step {seq.step:,}'s" if seq is not None and seq.kind == "train" else "the last step's"
        if before:
            return self._say(f"before {step} update (its result behind the bars); the table: what it did · d: after")
        return self._say(f"after {step} update: the model now (the one before behind the bars) · d: before")

    def toggle_heads(self) -> Change:
        self.selection = replace(self.selection, all_heads=not self.selection.all_heads)
        return Change()

    # -- time travel -------------------------------------------------------------------------

    # -- runs side by side (runs.py, settings.py, experiments.py) -------------------------------

    # -- interventions -------------------------------------------------------------------------

    # -- predict, then reveal ---------------------------------------------------------------------

    # -- saving and quitting ------------------------------------------------------------------------

    # -- looking inside ------------------------------------------------------------------------------

    # -- views: what the panels draw (viewer.py, status_line.py, history_views.py) ---------------

    def shown(self) -> SequenceView | None:
        return self.viewer.shown()

    def attention_shown(self) -> SequenceView | None:
        return self.viewer.attention_shown()

    def status(self, show_rate: bool = True) -> Status:
        return status_line.status(self, show_rate)

    def status_note(self) -> str:
        return status_line.shown_note(self)  # (the forward view's note line: cropped and escaped, as the status's)

    def loss_view(self, points: int) -> LossView:
        return self.history_views.loss_view(points)

    def param_view(self) -> ParamView:
        return self.history_views.param_view()

    def samples_view(self) -> SamplesView:
        return self.viewer.samples_view()

    def quiz_card(self) -> QuizCard | None:
        return self.viewer.quiz_card()
