"""Provides `Lab`: the one owner of a session's state, and the learner's intents as its methods.

The lab holds the trainer, the run's one history (`RunHistory`) and its
snapshots (`TimeMachine`), the selection (layer, head, position,
temperature), the lens (the viewed step, the ablated heads), the sampler, the
quiz and the tour. Every key the app binds calls one intent here; the intent
changes the state and returns a `Change`: the note it said, and the question
or view the app should open. The app then draws the lab's views (`status`,
`shown`, `loss_view`, …), which are immutable.

"Who writes X?" has one answer for every piece of state: this file. The
rules between features (training stops before looking back, the quiz closes
before a step, an ablation switches off before training, sampling returns to
now) are the methods under "Interlocks", and each intent calls the one it needs.

Training runs on a worker thread the app starts for `run` (`TrainingRun.work`);
the lab takes its steps in on the UI thread (`take_steps`) and never reads
the trainer while it trains, except through the run's hand-overs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from microgpt_engine import CheckpointError, ConfigError, Sampler, StepRecord, Trainer, save_checkpoint
from microgpt_engine.insight.baselines import uniform_loss
from microgpt_engine.insight.bigram import BigramTable
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.names import NameIndex
from microgpt_engine.insight.timetravel import capture

from .. import texts, user_state
from . import experiments, inside, saved_runs
from .code import CodeView, code_view
from .facts import session_facts
from .forcing import forced_letters, resample_from
from .forward import ForwardLens, ForwardView
from .glossary import GlossaryEntry, glossary_entries
from .labels import visible, visible_text
from .lens import Ablation, ablation_label, make_time_machine, record_at
from .matrices import MatrixLens, MatrixView
from .probe import ProbeView, probe_sequence, probe_view, read_text
from .quiz_state import QuizState
from .reasons import complete, why_not
from .runs import KeptRun, RunBook
from .samples import SampleLog, temperatures_words
from .save_guard import SaveGuard
from .sequence import SequenceView
from .settings import NewRun, check, check_fork, fork_changes, form_for
from .step_effect import most_changed
from .tour import Tour, TourGuide
from .training_run import Pace, RateMeter, TrainingRun, weights_copy
from .viewer import Viewer
from .views import (
    AskChar,
    AskFork,
    AskNewRun,
    AskOverwrite,
    AskProbe,
    AskQuit,
    AskSettings,
    AskStep,
    Change,
    CompareView,
    ForkPlan,
    ForwardOpen,
    LossView,
    MatrixOpen,
    Notice,
    ParamView,
    QuizCard,
    RunsCompareView,
    RunsView,
    SamplesView,
    Selection,
    Status,
    TourCard,
)

BIGRAM_SAMPLES = 10  # names the bigram preset spells
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
        self.offer_tour = offer_tour  # a real launch: offer the tour the first time, and remember it
        self.state_path = state_path  # where that is remembered (None: user_state.default_path())
        self.version = 0  # counts changes to the history, so views of it can be reused until it changes
        self.run: TrainingRun | None = None  # training in progress
        self._runs = 0
        self.rate = RateMeter()
        self.pace = Pace()  # steps per second while training runs (None: as fast as it can)
        self.book = RunBook()  # every run of the session; the live one is book.current
        self.run_files: set[Path] = set()  # files this session saved runs to (it may replace them)
        self.name_index: NameIndex | None = None
        self.quiz: QuizState | None = None
        self.probe_input: tuple[str, tuple[str, ...]] = ("", ())  # the probe: (as typed, notes on what was left out)
        self.event = ""  # the latest thing that happened, in words (written only by `_say`)
        self.notices: list[Notice] = []  # toasts for the app to show (taken by take_notices)
        self.forward = ForwardLens(self)  # the forward-pass view (forward.py)
        self.matrices = MatrixLens(self)  # the matrix heatmap view (matrices.py)
        docs = list(docs) if docs is not None else list(trainer.docs)
        if saved is None:
            self._install(trainer, docs, dataset_name)
        else:
            self._install_saved(trainer, docs, dataset_name, saved)
        self.guide = TourGuide(
            self.applies, lambda: self.training, self.facts, self._remember, lambda action: why_not(self, action)
        )
        self.viewer = Viewer(self)
        self._last_mode = "paused"
        self._stopped_by_itself = False  # the last run ended without the learner pausing it
        self.rules: dict[str, Callable[[], bool | None]] = {
            "step": lambda: None if self.training or self.done else True,
            "run": lambda: None if not self.training and self.done else True,
            "sample": lambda: None if self.training else True,
            "next_char": lambda: True if self.sampling else None,
            "force_char": lambda: True if self._sample_shown() else None,
            "layer": lambda: None if self.trainer.config.n_layer <= 1 or not self.attends else True,
            "head": lambda: (
                None if self.trainer.config.n_head == 1 or self.selection.all_heads or not self.attends else True
            ),
            "view_step": self._has_past,
            "compare": self._has_past,
            "goto_step": self._has_past,
            "ablate_head": lambda: None if self.training or self.sequence is None or not self.attends else True,
            "ablate_layer": lambda: None if self.training or self.sequence is None or not self.attends else True,
            "undo_interventions": lambda: True if self.ablation or self.viewing_past else None,
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
        self.latest: StepRecord | None = None  # the last step's full record
        self.saved_step = trainer.step_count  # steps up to here are on disk (or were loaded)
        self.selection = Selection(temperature=trainer.config.temperature)
        self.sequence: SequenceView | None = None  # the live document or sample the panels look at
        self.viewed_step: int | None = None  # the step whose weights the panels show; None: now
        self.ablation: Ablation = frozenset()  # (layer, head) pairs switched off in the view; head None: the layer
        self.sampler: Sampler | None = None
        self.sampling_mode = False  # the mode reads SAMPLING (a sample being written, or waiting for n)
        self.auto_sample = False  # the app's timer reveals one character per tick
        self.samples = SampleLog(docs)
        if not same_data:
            self.name_index = None  # indexed again off the UI thread
        self.nearest: dict[str, tuple[str, int]] = {}  # sampled name not in the data -> (nearest name, edits)
        self.forced: dict[str, tuple[int, ...]] = {}  # sampled name -> the positions of the letters the learner chose
        self._wte: tuple[int, tuple] | None = None  # (step, wte) the training worker last handed over
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
            samples=self.samples,
            uniform=uniform_loss(tokenizer.vocab_size),
            bigram=bigram,
            origin=origin,
            docs=docs,
            **extra,
        )

    def _install_saved(self, trainer: Trainer, docs: list[str], dataset_name: str, saved: saved_runs.SavedRun) -> None:
        """Make a saved run live with its whole curve, name and samples (the runs screen's load, and --load)."""
        self._install(trainer, docs, dataset_name, saved.origin, saved.history, saved.name)
        for name in reversed(saved.samples):
            self.samples.add(name)

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
        return self.run is not None

    @property
    def mode(self) -> str:
        """paused, training or sampling."""
        return "training" if self.training else ("sampling" if self.sampling_mode else "paused")

    @property
    def sampling(self) -> bool:
        """A sample is in progress (started and not yet at BOS)."""
        return self.sampler is not None and not self.sampler.done

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

    def _sample_shown(self) -> bool:
        """A sample (in progress or finished) is on the panels, and the sampler that drew it is kept."""
        seq = self.sequence
        return not self.training and self.sampler is not None and seq is not None and seq.kind == "sample"

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
        mode, before = self.mode, self._last_mode
        self._last_mode = mode
        if mode == "paused" and before != "paused":
            if self._stopped_by_itself:  # (finished or failed: the tour's pause step says so and waits for enter)
                self._stopped_by_itself = False
                return self._guided(self.guide.refresh())
            return self.tour_event("paused")
        return Change()

    # -- Interlocks: what one feature does before another's intent ----------------------

    def _before_training(self) -> None:
        """Training always uses every head, on the live model, with the quiz closed and no sample half-drawn."""
        self.leave_quiz()
        if self.ablation:
            self.set_ablation(())
            self._notify("ablation off: training always uses every head (ablations only change the view)")
        self._stop_sampling()

    async def _hold_still(self) -> None:
        """Looking back (or saving, or the graph) needs the trainer standing still and no auto-sampling."""
        await self.halt()
        self._stop_sampling(keep=True)

    def _before_sampling(self) -> None:
        """Samples come from the current model, with the quiz closed."""
        self.back_to_now()
        self.leave_quiz()

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
        if self.offer_tour and not user_state.load(self.state_path or user_state.default_path()).get("tour_offered"):
            note = texts.OFFER
            self._remember(tour_offered=True)
        return self._say(note)

    def step(self) -> Change:
        """One step on the next document, then that document's loss again after the update."""
        if self.viewing_past:
            return self._ask_fork("step")
        self._before_training()
        self.forward.keep_before(self.trainer.step_count + 1, weights_copy(self.trainer.model.weights))
        record = self.trainer.step(loss_after=True)
        self._keep(record)
        if not record.diverged and self.time.due(record.step):
            self.time.keep(capture(self.trainer))
        self._set_sequence(SequenceView.from_step(record))
        if record.diverged:
            return self._say(f"step {record.step} diverged on “{record.doc}”: update not applied")
        assert record.loss_after is not None and record.after is not None
        moved = most_changed(
            [p.probs for p in record.positions], [p.probs for p in record.after.positions], self.vocab_labels
        )
        return self._say(
            f"step {record.step} on “{record.doc}”: loss {record.loss:.3f} → "
            f"{record.loss_after:.3f} after the update ({record.loss_after - record.loss:+.3f}) · {moved}"
        )

    def run_or_pause(self) -> Change:
        """Start continuous training (the app starts `run`'s worker), or ask it to pause."""
        if self.run is not None:
            self.leave_quiz()
            self.run.request_stop()
            return self._say("pausing…")
        if self.viewing_past:
            return self._ask_fork("run")
        self._before_training()
        self.rate.reset()
        self._runs += 1
        self._wte = None  # the embedding map waits for this run's first hand-over
        self.run = TrainingRun(
            self._runs,
            self.trainer,
            self.time.due,
            pace=lambda: self.pace.rate,
            wants_weights=lambda: self.forward.wants_weights or self.matrices.wants_state,
            wants_state=lambda: self.matrices.wants_state,
        )
        return self._say("training: r to pause")

    def take_steps(self, run_id: int | None = None) -> Change:
        """Take in every step the worker handed over; once it has finished, end the run. Returns the note."""
        run = self.run
        if run is None or (run_id is not None and run_id != run.id):
            return Change()  # a run already ended and waited for
        batches = run.take()
        for batch in batches:
            for record in batch.records:
                self._keep(record)
            for snap in batch.snapshots:
                self.time.keep(snap)
            if batch.before is not None:
                self.forward.keep_before(*batch.before)
            if batch.state is not None:
                self.matrices.handed = batch.state
            last = batch.records[-1] if batch.records else self.latest
            if last is not None:
                self.rate.add(last.step, batch.at)
                self._wte = (
                    last.step - 1 if last.diverged else last.step,
                    batch.wte,
                )  # a diverged step was not applied
        if batches and self.latest is not None:
            self._set_sequence(SequenceView.from_step(self.latest))  # the last step's document
        return self._run_ended() if run.finished else Change()

    async def halt(self) -> str | None:
        """Ask the worker to stop, wait until its step has finished and take in every step it took:
        what happens next sees the lab exactly where the trainer is.

        Returns why it stopped ("paused" unless it finished, diverged or failed meanwhile), or None.
        """
        run = self.run
        if run is None:
            return None
        run.request_stop()
        await run.wait_async()
        self.take_steps(run.id)
        return run.outcome.reason

    def _run_ended(self) -> Change:
        """The worker takes no more steps: back to paused, and say why."""
        assert self.run is not None
        outcome, self.run = self.run.outcome, None
        self._stopped_by_itself = outcome.reason != "paused"
        if self.latest is not None:
            self._set_sequence(SequenceView.from_step(self.latest))
        step = self.trainer.step_count
        if outcome.reason == "done":
            return self._say(f"training finished: {step:,} steps. Press s to sample names.")
        if outcome.reason == "diverged":
            note = (
                f"training diverged at step {step + 1}: the loss is no longer a number; weights kept from step {step}"
            )
        elif outcome.reason == "error":
            note = f"training stopped: {outcome.error}"
        else:
            return self._say(f"paused at step {step:,}. r to continue, space for one step, s to sample.")
        self._notify(note, severity="error", timeout=10)
        return self._say(note)

    def _keep(self, record: StepRecord) -> None:
        self.history.append(record)  # (a diverged step is not kept)
        self.latest = record
        self.version += 1

    def _next_document_view(self) -> SequenceView:
        doc = self.trainer.document()
        return SequenceView.from_eval(self.trainer.evaluate(doc), doc, self.trainer.step_count)

    def _set_sequence(self, seq: SequenceView | None) -> None:
        self.sequence = seq
        if seq is not None and self.selection.position >= len(seq):
            self.selection = replace(self.selection, position=max(0, len(seq) - 1))

    # -- sampling ------------------------------------------------------------------------

    def sample(self) -> Change:
        """Start a new sample; the app's timer reveals a character per tick while auto_sample is on."""
        self._before_sampling()
        self._stop_sampling()
        t = self.trainer
        self.sampler = Sampler(t.model, t.tokenizer, t.rng, self.selection.temperature, ablate=self.ablation)
        self.sampling_mode = True
        self._say("sampling: n for one character at a time, + / - for temperature, esc stops")
        change = self.advance_sample()
        self.auto_sample = self.sampling
        return change

    def next_char(self) -> Change:
        """Reveal exactly one more character (auto-advance stops)."""
        self.back_to_now()
        self.auto_sample = False
        return self.advance_sample()

    def advance_sample(self, force: int | None = None) -> Change:
        """One more character of the sample (`force`: a token the learner chose)."""
        sampler = self.sampler
        if sampler is None or sampler.done:
            return Change()
        try:
            record = sampler.step(force=force)
        except ArithmeticError as exc:  # e.g. weights blown up by a huge learning rate
            self._stop_sampling()
            note = f"cannot sample: {exc}"
            self._notify(note, severity="error", timeout=8)
            return self._say(note)
        self._set_sequence(
            SequenceView.from_samples(
                sampler.records, self.trainer.tokenizer, sampler.temperature, self.trainer.step_count
            )
        )
        self.selection = replace(self.selection, position=len(sampler.records) - 1)
        if not record.done:
            self.sampling_mode = True  # also after a pause that kept the sample (n goes on with it)
            return Change()
        name, known = self.samples.add(sampler.text)
        shown = {name for name, _ in self.samples.entries}
        self.nearest = {n: near for n, near in self.nearest.items() if n in shown}  # the log keeps the newest only
        chosen = forced_letters(sampler)
        self.forced = {n: f for n, f in self.forced.items() if n in shown and n != name}
        if chosen:
            self.forced[name] = chosen
        where = "in the training data" if known else self._novelty(name)
        self._stop_sampling(keep=True)
        yours = f"; you chose {', '.join(f'“{name[i]}”' for i in chosen)}" if chosen else ""
        return self._say(f"sampled “{name}” {temperatures_words(sampler.records)}{yours} ({where}). s for another.")

    def ask_force(self) -> Change:
        """Ask for the sample's next character (the sample waits meanwhile)."""
        self.auto_sample = False
        tokenizer = self.trainer.tokenizer
        return Change(ask=AskChar(tuple(tokenizer.chars), tokenizer.label(tokenizer.bos), tokenizer.bos))

    def force(self, token: int | None) -> Change:
        """The learner chose the character at the selected position: it replaces the one drawn there, and the
        model samples on from it (what it drew after that position is dropped)."""
        if token is None or not self._sample_shown():
            return Change()
        assert self.sampler is not None
        self._before_sampling()
        pos = min(self.selection.position, len(self.sampler.records))
        self.sampler = resample_from(self.sampler, pos, self.trainer.rng)
        change = self.advance_sample(force=token)
        if self.sampling:
            self.auto_sample = True  # it samples on from the chosen letter
            label = visible(self.trainer.tokenizer.label(token))
            return self._say(f"you chose “{label}” at pos {pos}: the model samples on from it")
        return change

    def leave_sampling(self) -> Change:
        """Stop sampling (an unfinished sample is dropped): the panels show the training document again."""
        if self.applies("leave_sampling") is not True:
            return Change()
        self._stop_sampling()
        self._set_sequence(SequenceView.from_step(self.latest) if self.latest else self._next_document_view())
        return self._say("left sampling: the panels show the training document again · s samples a name")

    def _stop_sampling(self, keep: bool = False) -> None:
        """Stop auto-advance; unless keep, forget an unfinished sample."""
        self.auto_sample = False
        if not keep and self.sampling:
            self.sampler = None
        self.sampling_mode = False

    def _novelty(self, name: str) -> str:
        """What the note says of a new sample: how far it is from the nearest training name."""
        if self.name_index is None:
            return "not in the training data: new"
        near = self.nearest[name] = self.name_index.nearest(name)
        shown = near.doc if len(near.doc) <= 40 else near.doc[:39] + "…"  # a 1 MB line is no name to print
        return f"new; nearest training name “{shown}”, {inside.plural(near.distance, 'edit')} away"

    def names_indexed(self, index: NameIndex) -> Change:
        """The training names are indexed: the samples drawn before get their nearest names."""
        self.name_index = index
        for name, known in self.samples.entries:
            if not known and name not in self.nearest:
                self.nearest[name] = index.nearest(name)
        return Change()

    def baselines_ready(self, bigram: float, run: KeptRun | None = None) -> Change:
        """The bigram line of `run` (by default the live one) is measured."""
        (run or self.current_run).bigram = bigram
        return Change()

    # -- the selection ---------------------------------------------------------------------

    def temperature(self, delta: float) -> Change:
        low, high = TEMPERATURES
        value = round(min(max(self.selection.temperature + delta, low), high), 2)
        self.selection = replace(self.selection, temperature=value)
        if self.sampler is not None:
            self.sampler.temperature = value
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

    async def view_step(self, delta: int) -> Change:
        """Show the model `delta` steps earlier (negative) or later; past the last step is now."""
        await self._hold_still()
        time = self.time
        current = time.now if self.viewed_step is None else self.viewed_step
        target = min(max(current + delta, time.start), time.now)
        if target == time.now:
            if self.viewed_step is not None:
                return self.back_to_now()
            note = f"already at the newest step ({time.now:,}, now): , goes back in time"
            self._notify(note, timeout=3)
            return self._say(note)
        elif target == current:
            note = f"step {target:,} is the earliest there is: . goes forward again"
            self._notify(note, timeout=3)
            return self._say(note)
        else:
            self.view(target)
        return Change()

    async def ask_step(self) -> Change:
        """Ask which step to view (the palette's "go to step…")."""
        await self._hold_still()
        return Change(ask=AskStep(self.time.start, self.time.now, self.viewed_step))

    def go_to(self, step: int | None) -> Change:
        if step is None:
            return Change()
        if step == self.time.now:
            return self.back_to_now()
        self.view(step)
        return Change()

    def view(self, step: int) -> None:
        """Every panel shows the model as it was after `step` updates, on the same document."""
        self.viewed_step = step

    def back_to_now(self) -> Change:
        """The live view again: the current weights and the live panels."""
        if self.viewed_step is None:
            return Change()
        self.viewed_step = None
        return self._say(f"back to now: step {self.time.now:,}")

    async def compare(self) -> Change:
        """Step 0, the viewed step (else the middle one) and now, side by side on the same document."""
        await self._hold_still()
        time, seq, sel = self.time, self.sequence, self.selection
        assert seq is not None
        middle = self.viewed_step if self.viewed_step is not None else (time.start + time.now) // 2
        doc = seq.text[: self.trainer.config.block_size]
        columns = []
        for step in sorted({time.start, middle, time.now}):  # in increasing order: each replay continues from the last
            name = "now" if step == time.now else ("start" if step == time.start else "viewed")
            columns.append((f"step {step:,} ({name})", time.view_at(step, doc, self.ablation)))
        tag = f"ABLATED {ablation_label(self.ablation)}" if self.ablation else ""
        view = CompareView(
            doc, tuple(columns), self.vocab_labels, sel.layer, sel.head, self.trainer.config.n_head, sel.position, tag
        )
        return Change(ask=view)

    def _ask_fork(self, then: str) -> Change:
        assert self.viewed_step is not None
        step, now, config = self.viewed_step, self.time.now, self.trainer.config
        ask = AskFork(
            step, now, self.time.would_discard(step), then, config.lr, config.steps - step, self.selection.temperature
        )
        return Change(ask=ask)

    def check_fork(self, values: Mapping[str, str]) -> tuple[ForkPlan | None, dict[str, str]]:
        """The fork dialog's fields as typed: what the branch would change, or a message per field."""
        step = self.viewed_step if self.viewed_step is not None else self.time.now
        return check_fork(values, replace(self.trainer.config, temperature=self.selection.temperature), step)

    def fork_answer(self, choice: str | ForkPlan | None, then: str) -> Change:
        """The learner answered the fork question: fork (with a plan: changed settings) and go on
        training, back to now, or stay."""
        if choice == "now":
            return self.back_to_now()
        if choice != "fork" and not isinstance(choice, ForkPlan):
            return Change()
        forked = self.fork(choice if isinstance(choice, ForkPlan) else None)
        change = self.step() if then == "step" else self.run_or_pause()
        return self._say(f"{forked} · {change.note}")

    def fork(self, plan: ForkPlan | None = None) -> str:
        """Rewind the trainer to the viewed step; the later steps become a run of their own in the list
        (not lost). A plan changes lr, the total steps or the temperature from here on."""
        time, step = self.time, self.viewed_step
        assert step is not None
        live = self.current_run
        discarded = time.fork(step)
        self.viewed_step = None
        self.version += 1
        self.latest = record_at(time, step)
        self._set_sequence(SequenceView.from_step(self.latest) if self.latest else self._next_document_view())
        self.saved_step = min(self.saved_step, step)
        self._wte = None  # the embedding map's copy came from the discarded steps
        changed = ""
        if plan is not None:
            before = self.trainer.config
            self.trainer.retarget(plan.steps, plan.lr)
            time.keep(capture(self.trainer))  # the fork point, with the schedule the branch trains on
            self.selection = replace(self.selection, temperature=plan.temperature)
            changed = fork_changes(before, self.trainer.config, plan.temperature, live.config.temperature)
            live.config = replace(self.trainer.config, temperature=plan.temperature)
            if changed:
                live.origin = f"forked at step {step:,}{changed}"
        if len(discarded):
            branch = self.book.add(
                name=f"{live.name} steps {step + 1}–{step + len(discarded)}",
                config=live.config if plan is None else replace(live.config, lr=before.lr, steps=before.steps),
                engine=live.engine,
                dataset=live.dataset,
                history=discarded,
                samples=SampleLog(()),
                uniform=live.uniform,
                bigram=live.bigram,
                origin=f"the steps a fork of {live.name} at step {step:,} replaced",
                current=False,
            )
            steps = f"steps {step + 1:,}–{step + len(discarded):,}"
            kept = f"{steps} are kept as branch {len(time.branches)} ({branch.name}, w)"
        else:
            kept = "no later steps to keep"
        note = f"forked at step {step:,}{changed}: {kept}"
        self._notify(f"{note}; training continues from step {step:,}", title="forked")
        self._say(note)
        return note

    # -- runs side by side (runs.py, settings.py, experiments.py) -------------------------------

    def ask_settings(self) -> Change:
        """Open the settings form, filled with the live run's values."""
        return Change(ask=AskSettings(form_for(self.trainer.config, self.trainer.engine, self.dataset_name)))

    def check_settings(
        self, values: Mapping[str, str], engine: str, dataset: str, path: str
    ) -> tuple[NewRun | None, dict[str, str]]:
        """The settings form as typed: a checked run, or a message per field (nothing is allocated)."""
        return check(values, engine, dataset, path, self.trainer.config, self.docs, self.dataset_name)

    async def apply_settings(self, choice: NewRun | None) -> Change:
        """The learner applied checked settings: a new run (asking first about unsaved steps)."""
        if choice is None:
            return Change()
        await self._hold_still()
        if choice.extend:
            return self.continue_run(choice)
        if choice.preset == "bigram":
            return self._say("counting which character follows which…", work="bigram")
        now = self.trainer.config
        if (replace(choice.config, temperature=now.temperature), choice.engine, list(choice.docs)) == (
            now,
            self.trainer.engine,
            self.docs,
        ):
            if choice.config.temperature == self.selection.temperature:
                return self._say("the settings are the live run's: nothing to change")
            return self.temperature(choice.config.temperature - self.selection.temperature)  # no new run for that
        unsaved = self.trainer.step_count - self.saved_step
        if unsaved > 0:
            return Change(ask=AskNewRun(unsaved, self.current_run.name, str(self.save_path), choice))
        return self.start_run(choice)

    async def new_run_answer(self, answer: str | None, choice: NewRun) -> Change:
        if answer == "save":
            change = await self.save()
            if self.saved_step != self.trainer.step_count:
                return change  # the save failed and says why: stay
        return self.start_run(choice) if answer in ("save", "start") else Change()

    def start_run(self, choice: NewRun, origin: str = "") -> Change:
        """The live run is kept in the runs list; a new trainer with `choice`'s settings takes its place."""
        try:
            trainer = Trainer(list(choice.docs), choice.config, engine=choice.engine)
        except (ConfigError, ValueError) as exc:  # (the form checked these already)
            return self._say(f"cannot start the run: {exc}")
        self._keep_current()
        self._install(trainer, list(choice.docs), choice.dataset_name, origin)
        self.sequence = self._next_document_view()
        run = self.current_run
        what = self.book.differs(run) or "the same settings as run 0"
        return self._say(f"{run.name} started ({what}): r trains it, w lists and compares the runs", new_run=True)

    def continue_run(self, choice: NewRun) -> Change:
        """Add steps to the live run (same model, seed and data; lr and temperature may change too).

        The schedule stays one straight line, re-drawn to the new total: step t
        uses lr x (1 - t / steps), so the added steps start at
        lr x (1 - done / steps) and decay linearly to 0 at the new last step.
        """
        self.back_to_now()
        trainer, now, new = self.trainer, self.trainer.config, choice.config
        if replace(new, steps=now.steps, lr=now.lr, temperature=now.temperature) != now or (
            choice.engine,
            list(choice.docs),
        ) != (trainer.engine, self.docs):
            return self._say(
                "continuing keeps the model, seed, engine and data: only steps, lr and temperature may change "
                "(apply starts a new run for the rest)"
            )
        done = trainer.step_count
        if new.steps <= done:
            return self._say(f"to continue, steps must be more than the {done:,} already done (got {new.steps:,})")
        trainer.retarget(new.steps, new.lr)
        self.time.keep(capture(trainer))  # from here on, replays use the new schedule
        self.selection = replace(self.selection, temperature=new.temperature)
        run = self.current_run
        run.config = replace(trainer.config, temperature=new.temperature)
        run.origin = (run.origin + "; " if run.origin else "") + f"continued at step {done:,} to {new.steps:,}"
        first = trainer.optimizer.lr_at(done)
        return self._say(
            f"{run.name} continues to {new.steps:,} steps: step {done + 1:,} at lr {first:.2e}, "
            f"decaying linearly to 0 at step {new.steps:,}. r trains"
        )

    def bigram_work(self) -> Callable[[], tuple[BigramTable, list[str]]]:
        """What the app runs off the UI thread for the bigram preset: the count table and its samples."""
        docs, tokenizer = list(self.docs), self.trainer.tokenizer
        block_size, temperature = self.trainer.config.block_size, self.selection.temperature
        seed = self.trainer.config.seed

        def count() -> tuple[BigramTable, list[str]]:
            table = BigramTable(docs, tokenizer, block_size)
            rng = random.Random(seed)  # its own: the trainer's RNG is the run's
            return table, [table.sample(rng, temperature) for _ in range(BIGRAM_SAMPLES)]

        return count

    def add_bigram_run(self, table: BigramTable, names: list[str]) -> Change:
        """The bigram count table as a run in the list: its loss is a level, its samples are its own."""
        samples = SampleLog(self.docs)
        for name in reversed(names):
            samples.add(name)
        run = self.book.add(
            current=False,
            name="bigram table",
            config=self.trainer.config,
            engine="counts",
            dataset=self.dataset_name,
            history=RunHistory(self.trainer.model.shapes),
            samples=samples,
            uniform=self.uniform,
            bigram=table.loss,
            origin="preset: counts of which character follows which; no weights, no training",
            level=table.loss,
            docs=self.docs,
        )
        self.version += 1
        shown = ", ".join(names[:4])
        return self._say(f"{run.name}: loss {table.loss:.3f} with no training at all; it spells {shown}, … (w)")

    def _keep_current(self) -> None:
        """Before another run becomes live: the current one's final state, so it can still be saved."""
        self.leave_quiz()
        self._stop_sampling()
        run = self.current_run
        run.config, run.final, run.rng = self.trainer.config, capture(self.trainer), self.trainer.rng.getstate()

    def speed(self, delta: int) -> Change:
        """Train slower or faster: 1, 2, 5, 10, 30 steps a second or as fast as it goes."""
        if not self.pace.move(delta):
            self._notify(f"{self.pace.label} is the {'slowest' if delta < 0 else 'fastest'} there is", timeout=3)
        self.rate.reset()
        return self._say(f"speed: {self.pace.label}")

    def runs_view(self) -> RunsView:
        return experiments.runs_view(self.book)

    def show_runs(self) -> Change:
        return Change(ask=self.runs_view())

    def rename_run(self, number: int, name: str) -> Change:
        try:
            run = self.book.rename(number, name)
        except (KeyError, ValueError) as exc:
            return self._say(str(exc).strip("'\""))
        return self._say(f"run {number} is now “{run.name}”")

    def remove_run(self, number: int) -> Change:
        try:
            run = self.book.remove(number)
        except (KeyError, ValueError) as exc:
            return self._say(str(exc).strip("'\""))
        self.version += 1  # (the loss plot draws one curve fewer)
        return self._say(f"removed {run.name} from the runs list")

    async def save_run(self, number: int, path: str) -> Change:
        """Save a run with its checkpoint and its whole loss curve (the live run pauses for it)."""
        run = self.book.get(number)
        if run is None:
            return self._say(f"there is no run {number}")
        await self._hold_still()
        target = Path(path).expanduser()
        main = target.resolve() == self.save_path.resolve()
        if self.save_guard.must_ask(target) if main else target.exists() and target.resolve() not in self.run_files:
            return self._say(f"not saved: {target} exists and this session did not write it; type another file name")
        try:
            note = saved_runs.save(self.trainer if run is self.book.current else None, run, target)
        except (CheckpointError, OSError) as exc:
            note = f"could not save {run.name}: {exc}"
            self._notify(note, severity="error", timeout=8)
            return self._say(note)
        if main:
            self.save_guard.wrote(target)
        self.run_files.add(target.resolve())  # (saving there again needs no question)
        if run is self.book.current:
            self.saved_step = self.trainer.step_count
        self._notify(note, title="run saved")
        return self._say(note)

    async def load_run(self, path: str) -> Change:
        """Load a saved run back as the live run, with its whole loss curve; the current one stays in the list."""
        await self._hold_still()
        try:
            loaded = saved_runs.load(Path(path).expanduser(), self.docs)
        except CheckpointError as exc:
            note = f"could not load {path}: {exc}"
            self._notify(note, severity="error", timeout=8)
            return self._say(note)
        self._keep_current()
        self._install_saved(loaded.trainer, self.docs, self.dataset_name, loaded.saved)
        self.sequence = self._next_document_view()
        kept = len(loaded.saved.history)
        curve = f"its loss curve of {kept:,} steps" if kept else "no loss curve (an older checkpoint)"
        return self._say(
            f"loaded {self.current_run.name} at step {loaded.trainer.step_count:,} with {curve}", new_run=True
        )

    def compare_runs(self, a: int, b: int, points: int = 120) -> RunsCompareView | None:
        run_a, run_b = self.book.get(a), self.book.get(b)
        if run_a is None or run_b is None:
            return None
        return experiments.compare_view(self.book, run_a, run_b, points)

    # -- interventions -------------------------------------------------------------------------

    def set_ablation(self, pairs: Iterable[tuple[int, int | None]]) -> None:
        self.ablation = frozenset(pairs)
        if self.sampler is not None:
            self.sampler.ablate = self.ablation  # the rest of a sample is drawn the same way

    def ablate_head(self) -> Change:
        """Switch the selected head off (or on again); with all heads shown, the whole layer."""
        sel = self.selection
        pair = (sel.layer, None) if sel.all_heads else (sel.layer, sel.head)
        self.set_ablation(set(self.ablation) ^ {pair})
        return Change()

    def ablate_layer(self) -> Change:
        self.set_ablation(set(self.ablation) ^ {(self.selection.layer, None)})
        return Change()

    def undo_interventions(self) -> Change:
        """Every head on again and back to now: the live model, exactly as trained."""
        had = self.ablation
        self.set_ablation(())
        self.back_to_now()
        was = f" (was ablated: {ablation_label(had)}; the weights never changed)" if had else ""
        return self._say("interventions undone: the live model with every head" + was)

    # -- predict, then reveal ---------------------------------------------------------------------

    async def toggle_quiz(self) -> Change:
        if self.quiz is not None:
            return self.leave_quiz()
        await self.halt()
        live = self.sampling and not self.viewing_past
        self._stop_sampling(keep=True)  # no auto-advance: the learner sets the pace
        self.quiz = QuizState(self.trainer.tokenizer, live)
        return Change()

    def leave_quiz(self) -> Change:
        if self.quiz is None:
            return Change()
        score, self.quiz = self.quiz.quiz.score(), None
        if not score.turns:
            return Change()
        return self._say(
            f"predict, then reveal: you {score.learner_hits}/{score.turns}, the model's top choice "
            f"{score.model_hits}/{score.turns}, its mean p(actual) {score.model_mean_p_actual * 100:.0f}%"
        )

    def quiz_guess(self, char: str) -> Change:
        quiz = self.quiz
        if quiz is None:
            return Change()
        if quiz.turn is not None:
            quiz.message = "→ for the next position"
            return Change()
        guess = quiz.quiz.token_for(char)
        if guess is None:
            quiz.message = f"“{char}”: not in the vocabulary"
            return Change()
        if quiz.live:
            self.advance_sample()  # the sampler draws now; the guess was made before
        seq = self.shown()
        assert seq is not None
        pos = min(self.selection.position, len(seq.probs) - 1)
        target = seq.targets[pos]
        assert target is not None
        quiz.turn, quiz.message = quiz.quiz.answer(guess, seq.probs[pos], target), ""
        return Change()

    def quiz_move(self, delta: int) -> Change:
        quiz = self.quiz
        if quiz is None:
            return Change()
        if quiz.live and delta > 0 and quiz.turn is not None:
            if self.sampling:
                quiz.turn, quiz.message = None, ""  # the next draw
                return Change()
            quiz.live = False  # the sample is complete: go through its positions
        before = self.selection.position
        self.move(delta)
        if self.selection.position == before:
            quiz.message = "the end of the name: ← goes back, esc leaves" if delta > 0 else "this is the first position"
        else:
            quiz.turn, quiz.message = None, ""
        return Change()

    # -- saving and quitting ------------------------------------------------------------------------

    async def save(self, overwrite: bool = False, then_quit: bool = False) -> Change:
        """Save a checkpoint; a running training pauses for it and then continues.
        A file at the save path that this session did not load or write is replaced only
        once the user says so (`overwrite`): the app asks first."""
        if not overwrite and self.save_guard.must_ask(self.save_path):
            await self.halt()
            return Change(ask=AskOverwrite(str(self.save_path), then_quit))
        was_running = self.run is not None and not self.run.stop_requested  # not once r asked it to pause
        stopped = await self.halt()
        try:
            save_checkpoint(self.trainer, self.save_path)
        except (CheckpointError, OSError) as exc:
            note = f"could not save: {exc}"
            self._notify(note, severity="error", timeout=8)
        else:
            self.save_guard.wrote(self.save_path)
            self.saved_step = self.trainer.step_count
            note = f"saved step {self.saved_step:,} to {self.save_path}"
            self._notify(note, title="checkpoint saved")
        change = self._say(note)
        if was_running and stopped == "paused" and not self.trainer.done:
            self.run_or_pause()
        return change

    async def request_quit(self) -> Change:
        """Quit; with unsaved steps, pause training and ask first."""
        await self.halt()
        unsaved = self.trainer.step_count - self.saved_step
        if unsaved <= 0:
            self._stop_sampling(keep=True)
            return Change(exit=True)
        return Change(ask=AskQuit(unsaved, str(self.save_path)))

    async def quit_answer(self, choice: str | None) -> Change:
        if choice == "save":
            change = await self.save(then_quit=True)
            if self.saved_step != self.trainer.step_count:
                return change  # the save failed and says why, or asks first: stay
        if choice in ("save", "quit"):
            await self.halt()
            self._stop_sampling(keep=True)
            return Change(exit=True)
        return Change()

    async def overwrite_answer(self, overwrite: bool | None, then_quit: bool) -> Change:
        """The user's answer to "replace the checkpoint this session did not write?"."""
        if not overwrite:
            return self._say(f"not saved: {self.save_path} was kept (start with --save FILE to save elsewhere)")
        change = await self.save(overwrite=True)
        if then_quit and self.saved_step == self.trainer.step_count:
            return await self.quit_answer("quit")
        return change

    # -- looking inside ------------------------------------------------------------------------------

    async def open_graph(self) -> Change:
        """The autograd graph of the last training step (training pauses first)."""
        await self.halt()
        problem = inside.graph_problem(self.trainer)
        if problem:
            self._notify(problem, title="no graph yet", severity="warning", timeout=6)
            return self._say(problem)
        return Change(ask=inside.graph_open(self.trainer, self.sequence, self.selection.position, self.vocab_labels))

    def open_forward(self) -> Change:
        """The forward pass, stage by stage, at the selected position (the app opens the view)."""
        self.forward.open = True
        return Change(ask=ForwardOpen())

    def close_forward(self) -> Change:
        self.forward.open = False
        return Change()

    def forward_stage(self, delta: int) -> Change:
        """Select the stage `delta` rows below (negative: above) in the forward view."""
        self.forward.move_stage(delta)
        return Change()

    def select_stage(self, name: str) -> Change:
        """Select a forward-view stage by its stable name (forward_trace.stage_names), e.g. from a line of code."""
        self.forward.select(name)
        return Change()

    def forward_view(self) -> ForwardView:
        """The forward view's trace: the shown sequence at the selected position, and the selected stage."""
        return self.forward.view()

    def open_matrix(self, name: str | None = None) -> Change:
        """A weight matrix as a heatmap (the selected row of the parameter table, or `name`)."""
        if name is not None:
            self.matrices.select(name)
        self.matrices.open = True
        return Change(ask=MatrixOpen())

    def close_matrix(self) -> Change:
        self.matrices.open = False
        return Change()

    def select_matrix(self, delta: int) -> Change:
        """The parameter table's selected row (and the matrix view's matrix) `delta` rows down."""
        self.matrices.select_next(delta)
        return Change()

    def matrix_kind(self) -> Change:
        """Cycle what the matrix view shows: weights, gradient, update Δ, Adam m, Adam v."""
        self.matrices.cycle_kind()
        return Change()

    def matrix_move(self, d_row: int, d_col: int) -> Change:
        self.matrices.move(d_row, d_col)
        return Change()

    def matrix_nudge(self) -> Change:
        """The nudge check at the matrix view's cursor: ±h on the weight, the loss again, the slope."""
        return self._say(self.matrices.nudge())

    def matrix_view(self) -> MatrixView:
        return self.matrices.view()

    def embedding_snapshot(self) -> tuple[int | None, list[list[float]] | None]:
        """(step, wte rows) as of the latest finished step: while the worker trains, the copy it
        handed over; otherwise the model's own (the trainer is idle). Always a copy."""
        if self.training:
            if self._wte is None:
                return None, None
            step, wte = self._wte
            return step, [list(row) for row in wte]
        return self.trainer.step_count, [row[:] for row in self.trainer.model.weights["wte"]]

    def export(self, save_svg: Callable[[Path], object]) -> Change:
        """An SVG of the screen (`save_svg(path)`: the app's screenshot) and a CSV of every step, by the checkpoint."""
        folder = self.save_path.parent
        try:
            note = inside.export(folder, self.history, save_svg)
        except OSError as exc:
            note = f"could not export to {folder}: {exc.strerror or exc}"
            self._notify(note, title="export failed", severity="error", timeout=8)
            return self._say(note)
        self._notify(note, title="exported")
        return self._say(note)

    def facts(self) -> dict[str, str]:
        return session_facts(self)

    def explanations(self) -> list[tuple[str, str, str]]:
        facts = self.facts()
        return [(pid, e.name, texts.fill(e.body, facts)) for pid, e in texts.PANELS.items()]

    def code_view(self, panel: str | None, stage: str | None = None) -> CodeView:
        """The engine's source behind `panel` (a panel id, or None) or the forward view's `stage`, with the live
        values (lab/code.py)."""
        return code_view(self, panel, stage)

    def glossary(self) -> tuple[GlossaryEntry, ...]:
        """Every glossary term with this session's figures (lab/glossary.py)."""
        return glossary_entries(self)

    def about_rows(self) -> tuple[list[tuple[str, ...]], str]:
        facts = self.facts()
        rows = [tuple(texts.fill(cell, facts) for cell in row) for row in texts.ABOUT_ROWS]
        return rows, texts.fill(texts.ABOUT_FOOTER, facts)

    # -- the probe: any text, read as a document (probe.py) ---------------------------------------

    async def open_probe(self) -> Change:
        """The probe's text box (training pauses: the probe reads the model)."""
        await self._hold_still()
        return Change(ask=AskProbe(self.probe_input[0]))

    def probe(self, typed: str) -> Change:
        """Show `typed` in the panels as the model reads it, like a training document."""
        if self.training:
            return Change()  # (open_probe paused training)
        self.leave_quiz()
        self._stop_sampling(keep=True)
        text, notes = read_text(typed, self.trainer.tokenizer, self.trainer.config.block_size)
        self.probe_input = (typed, notes)
        self._set_sequence(probe_sequence(self.trainer, text, self.trainer.step_count))
        view = self.probe_view()
        assert view is not None
        bigram = f", bigram {self.bigram:.2f}" if self.bigram is not None else ""
        return self._say(
            f"probe “{visible_text(text)}”: loss {view.loss:.3f} (uniform {self.uniform:.2f}{bigram}) · "
            "← → move along it · , . time travel · z ablates a head · / types another · space trains on the next doc"
        )

    def probe_view(self) -> ProbeView | None:
        """The probe as the panels show it (through the lens), or None when they show something else."""
        seq = self.sequence
        if seq is None or seq.kind != "probe":
            return None
        shown = self.shown()
        assert shown is not None
        typed, notes = self.probe_input
        return probe_view(shown, typed, notes, self.trainer.tokenizer, self.uniform, self.bigram)

    # -- the tour (tour.py) ----------------------------------------------------------------------

    @property
    def tour(self) -> Tour | None:
        return self.guide.tour

    @property
    def tour_card(self) -> TourCard | None:
        return self.guide.card

    def _remember(self, **changes: bool) -> None:
        if self.offer_tour:
            user_state.save(self.state_path or user_state.default_path(), **changes)

    def _guided(self, note: str | None) -> Change:
        return self._say(note) if note is not None else Change()

    def start_tour(self) -> Change:
        """Start the guided tour (if it is on, it says so and the app brings it back into focus)."""
        return self._guided(self.guide.start())

    def tour_event(self, event: str) -> Change:
        """An action happened (or "paused": training stopped): the tour moves on if it waited for it."""
        return self._guided(self.guide.happened(event))

    def tour_next(self) -> Change:
        return self._guided(self.guide.next())

    def tour_back(self) -> Change:
        return self._guided(self.guide.back())

    def end_tour(self) -> Change:
        return self._guided(self.guide.end())

    # -- views: what the panels draw (viewer.py) ---------------------------------------------

    def shown(self) -> SequenceView | None:
        return self.viewer.shown()

    def attention_shown(self) -> SequenceView | None:
        return self.viewer.attention_shown()

    def status(self, show_rate: bool = True) -> Status:
        return self.viewer.status(show_rate)

    def status_note(self) -> str:
        return self.viewer.note()

    def loss_view(self, points: int) -> LossView:
        return self.viewer.loss_view(points)

    def param_view(self) -> ParamView:
        return self.viewer.param_view()

    def samples_view(self) -> SamplesView:
        return self.viewer.samples_view()

    def quiz_card(self) -> QuizCard | None:
        return self.viewer.quiz_card()
