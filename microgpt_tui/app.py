"""Provides `MicroGPTApp`: the Textual app that drives the engine and shows its records.

The app holds the state (which layer, head and position are shown, the loss
history, the sampler), reacts to keys and to the training worker's messages,
and pushes plain data down into the panels. It does no math of its own: the
engine computes, `engine.history` summarises, the panels format.
"""

import threading
from collections import deque
from pathlib import Path

from textual import work
from textual.app import App
from textual.reactive import reactive, var
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from microgpt_engine.insight.baselines import bigram_loss, uniform_loss
from microgpt_engine.insight.history import LossHistory, ParamTrends, RateMeter, SampleLog

from .actions_interventions import InterventionActions
from .actions_quiz import QuizActions
from .actions_timetravel import TimeTravelActions
from .bindings import BINDINGS
from .lens import make_timeline
from .exploring import ExploringActions
from .guide import GuideActions
from .messages import BaselinesReady, TrainingProgress, TrainingStopped
from .runner import Outcome, run_training
from .screens.main import MainScreen
from .session import SessionActions
from .view import SequenceView
from .widgets.status_bar import Status

ACTIONS = {binding.action.split("(")[0] for binding in BINDINGS}


class MicroGPTApp(TimeTravelActions, InterventionActions, QuizActions, SessionActions, ExploringActions, GuideActions, App):
    """Watch microgpt train, attend and sample, one step at a time."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "microgpt-tui"
    BINDINGS = BINDINGS

    mode: reactive[str] = reactive("paused", bindings=True)
    """paused, training or sampling."""
    sequence: var[SequenceView | None] = var(None)
    """The document or sample the attention and token panels show."""
    layer: var[int] = var(0)
    """The layer shown in the attention panel."""
    head: var[int] = var(0)
    """The head shown in the attention panel (when not all heads)."""
    all_heads: var[bool] = var(False, bindings=True)
    """Show all heads of the layer side by side."""
    position: var[int] = var(0)
    """The selected position in the document or sample."""
    temperature: var[float] = var(0.5)
    """The sampling temperature."""

    def __init__(
        self,
        trainer,
        dataset_name="",
        save_path=Path("microgpt-checkpoint.json"),
        docs=None,
        *,
        show_timing=True,
        offer_tour=False,
        sample_interval=0.35,
        repaint_interval=0.25,
    ):
        super().__init__()
        self.trainer = trainer
        self.dataset_name = dataset_name
        self.save_path = Path(save_path)
        self.docs = list(docs) if docs is not None else list(trainer.docs)
        self.show_timing = show_timing  # False: no steps/s (deterministic screenshots)
        self.offer_tour = offer_tour  # a real launch: offer the tour the first time (see guide.py)
        self.sample_interval = sample_interval
        self.repaint_interval = repaint_interval
        self.history = LossHistory()
        self.trends = ParamTrends(length=12)
        self.rate = RateMeter()
        self.samples = SampleLog(self.docs)
        self.vocab_labels = [trainer.tokenizer.label(i) for i in range(trainer.tokenizer.vocab_size)]
        self.set_reactive(MicroGPTApp.temperature, trainer.config.temperature)
        self.latest = None  # the last StepRecord
        self.timeline = make_timeline(trainer)  # every step, for time travel (recorded right after each step)
        self.sampler = None
        self.saved_step = trainer.step_count  # steps up to here are on disk (or were loaded)
        self.note = ""
        self.uniform = uniform_loss(trainer.tokenizer.vocab_size)
        self.bigram = None
        self._dirty = False
        self._tick = 0  # repaint ticks while something changed
        self._train_worker = None
        self._run = 0  # counts starts of training
        self._train_stop = threading.Event()  # set to ask the worker thread to stop after its step
        self._train_finished = threading.Event()  # set when the worker thread takes no more steps
        self._train_outcome = Outcome()  # why it stopped (the worker writes it before `finished`)
        self._inbox = deque()  # runner.Batch: steps the worker finished and the app has not taken in yet
        self._sample_timer = None
        self._panels_ready = False  # the panels exist (set on mount)
        self.main = MainScreen(self)

    def get_default_screen(self):
        return self.main

    def on_ready(self) -> None:
        """The main screen is composed: fill the panels, start the repaint timer."""
        self._panels_ready = True
        self.sequence = self._next_document_view()
        self.note = (
            f"next document: “{self.sequence.text}”. space trains one step on it, r runs, s samples, ? lists every key"
        )
        self._push_history()
        self.set_interval(self.repaint_interval, self._repaint)
        self._compute_baselines()
        self._index_names()  # for the nearest training name of each sample

    # -- background work ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="baselines", exit_on_error=False)
    def _compute_baselines(self):
        trainer = self.trainer
        bigram = bigram_loss(trainer.docs, trainer.tokenizer, trainer.config.block_size)
        self.post_message(BaselinesReady(self.uniform, bigram))

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def _train(self, run, stop, finished, outcome):
        # Pausing sets `stop` rather than cancelling the worker: a cancelled
        # worker whose thread has not started yet would never post its stop.
        worker = get_current_worker()
        run_training(
            self.trainer, lambda: stop.is_set() or worker.is_cancelled, self._inbox, self.post_message, finished, outcome,
            run=run, on_step=self.timeline.record,
        )

    def on_baselines_ready(self, message: BaselinesReady) -> None:
        self.bigram = message.bigram
        self.main.query_one("#loss").set_baselines(message.uniform, message.bigram)

    def on_training_progress(self, message: TrainingProgress) -> None:
        self._drain()  # (a wake-up whose batch was taken in already finds the inbox empty)

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if message.run != self._run or self._train_worker is None:
            return  # a run already stopped and waited for (see _stop_training)
        self._drain()
        self._training_ended(message.reason, message.error)

    def _drain(self):
        """Take in every batch the worker has handed over: history, trends, step log, rate, wte copy.

        The one place finished steps enter the app's state, called on each
        wake-up and right after the worker has stopped (see _stop_training).
        """
        inbox = self._inbox
        while inbox:
            batch = inbox.popleft()
            self._absorb(batch.records)
            last = batch.records[-1]
            self.rate.add(last.step, batch.at)
            self._wte_copy = batch.wte  # for the embedding map (exploring.py)...
            self._wte_step = last.step - 1 if last.diverged else last.step  # ...as of this step (a diverged one was not applied)

    def _training_ended(self, reason, error=""):
        """The worker takes no more steps: back to paused, and say why."""
        self._train_worker = None
        self.mode = "paused"
        if self.latest is not None:
            self.sequence = SequenceView.from_step(self.latest)  # the last step's document
        step = self.trainer.step_count
        if reason == "done":
            self.note = f"training finished: {step:,} steps. Press s to sample names."
        elif reason == "diverged":
            self.note = f"training diverged at step {step + 1}: the loss is no longer a number; weights kept from step {step}"
            self.notify(self.note, severity="error", timeout=10)
        elif reason == "error":
            self.note = f"training stopped: {error}"
            self.notify(self.note, severity="error", timeout=10)
        else:
            self.note = f"paused at step {step:,}. r to continue, space for one step, s to sample."
        self._dirty = True
        self._repaint()

    def _absorb(self, records):
        """Fold finished steps into the history (cheap; drawing waits for the timer)."""
        for record in records:
            if not record.diverged:
                self.history.add(record.loss)
                self.trends.add(record.params)
            self.step_log.add(record)
            self.latest = record
        self._dirty = True

    def _repaint(self):
        """The capped-rate redraw: at most once per repaint_interval, only when something changed.

        While training runs, the panels take turns: the status line every tick,
        the attention and token panels on odd ticks, the parameters on even
        ones and the loss plot on every 4th. The UI thread shares the GIL with
        the trainer, so every millisecond spent drawing is one the trainer waits.
        """
        if not self._dirty:
            return
        self._dirty = False
        self._tick += 1
        training = self.mode == "training"
        odd = self._tick % 2 == 1
        with self.batch_update():
            if self.latest is not None and training and odd:
                self.sequence = SequenceView.from_step(self.latest)
            self._push_history(params=not training or not odd, loss=not training or self._tick % 4 == 0)

    # -- pushing state into the panels ----------------------------------------------

    def _next_document_view(self):
        trainer = self.trainer
        doc = trainer.document()
        return SequenceView.from_eval(trainer.evaluate(doc), doc, trainer.step_count)

    def status(self):
        record, trainer = self.latest, self.trainer
        return Status(
            step=trainer.step_count,
            total=trainer.config.steps,
            loss=self.history.last,
            ema=self.history.ema,
            lr=record.lr if record else None,
            rate=self.rate.rate(),
            mode=self.mode,
            num_params=trainer.model.num_params,
            dataset=self.dataset_name,
            n_docs=len(self.docs),
            note=self.lens_note(self.note),
            show_rate=self.show_timing,
        )

    def _push_history(self, params=True, loss=True):
        main = self.main
        main.query_one("#status").status = self.status()
        if loss:
            main.query_one("#loss").replot()
        if params and not self.viewing_past:  # the past shows its own step's numbers
            main.query_one("#params").params = self.latest.params if self.latest else None

    def _push_view(self):
        """Hand the selection to the attention and token panels (each repaints if it changed)."""
        if not self._panels_ready:
            return
        main = self.main
        attention, tokens = main.query_one("#attention"), main.query_one("#tokens")
        attention.sequence = tokens.sequence = self.shown_sequence()  # the live sequence, or through the lens
        attention.layer_index, attention.head, attention.all_heads = self.layer, self.head, self.all_heads
        attention.position = tokens.position = self.position
        tokens.temperature = self.temperature
        if self.quiz is not None:
            self._push_quiz()  # the card asks about what the panels show

    def watch_sequence(self, sequence):
        if sequence is not None and self.position >= len(sequence):
            self.position = max(0, len(sequence) - 1)
        self._push_view()

    def watch_layer(self):
        self._push_view()

    def watch_head(self):
        self._push_view()

    def watch_all_heads(self):
        self._push_view()

    def watch_position(self):
        self._push_view()

    def watch_temperature(self):
        if self.sampler is not None:
            self.sampler.temperature = self.temperature
        self._push_view()

    def watch_mode(self, mode):
        if not self._panels_ready:
            return
        self.main.set_class(mode == "training", "-training")
        self.main.set_class(mode == "sampling", "-sampling")
        self.main.query_one("#status").status = self.status()

    # -- what applies when ----------------------------------------------------------

    @property
    def sampling(self):
        """A sample is in progress (started and not yet at BOS)."""
        return self.sampler is not None and not self.sampler.done

    def check_action(self, action, parameters):
        screen = self.screen
        if action in ACTIONS and isinstance(screen, ModalScreen) and action not in getattr(screen, "APP_ACTIONS", ()):
            return False  # a dialog is open: its own keys apply
        return self.applies(action)

    def applies(self, action):
        """True if `action` makes sense now, None if not (shown greyed out)."""
        if action in ACTIONS - {"request_quit", "help"} and self.main.has_class("-too-small"):
            return False  # nothing to see: only help and quit
        config = self.trainer.config
        running = self.mode == "training"
        done = self.trainer.done and not self.viewing_past  # from an earlier step, training forks
        if action == "step":  # (like r, it drops a sample in progress)
            return None if running or done else True
        if action == "run":
            return None if done and not running else True
        if action == "sample":
            return None if running else True
        if action == "next_char":
            return True if self.sampling else None
        if action == "layer":
            return None if config.n_layer == 1 else True
        if action == "head":
            return None if config.n_head == 1 or self.all_heads else True
        own = getattr(self, f"applies_{action}", None)  # a feature mixin's rule for its own action
        return own() if own is not None else True
