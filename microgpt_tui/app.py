"""Provides `MicroGPTApp`: the Textual shell over the lab.

The lab (`lab/`) owns the session's state and decides what each key does.
The app binds the keys to the lab's intents, opens the screens an intent asks
for, runs the background workers, and after every intent hands the lab's
views to the panels (`Panels`). It holds no state of the session itself:
only what belongs to the screen (timers, which worker runs which training).

Most keys only call one intent: their `action_*` is one line
(`intent_actions.py`); the keys opening the app's own screens are functions
in `own_screens.py`; the palette's entries and the help rows come from the
bindings (`commands.py`); the screens an intent asks for open through
`screen_openers.py`.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.actions import parse
from textual.app import App
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from microgpt_engine import Trainer
from microgpt_engine.insight.baselines import bigram_loss
from microgpt_engine.insight.names import NameIndex
from microgpt_engine.insight.replay_process import run_apart
from microgpt_engine.insight.timetravel import Replay

from . import long_lived, own_screens
from .bindings import ACTION_NAMES, ACTIONS, BINDINGS
from .commands import help_rows, palette_commands
from .intent_actions import intent_action
from .lab import Lab
from .lab.graph_build import GraphPlan
from .lab.held_out_losses import HeldOutJob
from .lab.saved_runs import SavedRun
from .lab.training_run import TrainingRun
from .lab.views import Change
from .messages import (
    BaselinesReady,
    BigramCounted,
    GraphLanded,
    HeldOutMeasured,
    NamesIndexed,
    ReplayLanded,
    TrainingProgress,
)
from .panels import Panels
from .screen_openers import open_asked
from .screens.glossary import GlossaryCommands
from .screens.main import MainScreen
from .screens.probe import ProbeScreen
from .screens.quit import QuitScreen
from .screens.runs import RunsScreen
from .screens.runs_compare import RunsCompareScreen
from .terminal_guard import guard_terminal
from .textual_fixes import fix_textual
from .widgets.loss_plot import LossPlot
from .widgets.tour_panel import TourPanel

EVERYWHERE = frozenset({"export"})  # app actions that apply over any screen (ctrl+x: the SVG is of that screen)


class MicroGPTApp(App):
    """Watch microgpt train, attend and sample, one step at a time."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "microgpt-tui"
    BINDINGS = BINDINGS
    COMMANDS = App.COMMANDS | {GlossaryCommands}

    def __init__(
        self,
        trainer: Trainer,
        dataset_name: str = "",
        save_path: Path | str = Path("microgpt-checkpoint.json"),
        docs: list[str] | None = None,
        *,
        show_timing: bool = True,
        offer_tour: bool = False,
        state_path: Path | None = None,
        loaded_from: Path | None = None,
        saved: SavedRun | None = None,
        sample_interval: float = 0.35,
        repaint_interval: float = 0.25,
    ):
        fix_textual()  # (Textual bugs that would keep every closed screen's drawn lines alive)
        guard_terminal()  # (no widget's text writes a control character to the terminal)
        super().__init__()
        self.lab = Lab(
            trainer,
            docs,
            dataset_name,
            save_path,
            offer_tour=offer_tour,
            state_path=state_path,
            loaded_from=loaded_from,
            saved=saved,
        )
        self.sample_interval = sample_interval
        self.repaint_interval = repaint_interval
        self.main = MainScreen(trainer.config, self.lab.vocab_labels)
        self.panels = Panels(self.main, self.lab, show_rate=show_timing)  # show_timing False: deterministic screenshots
        self._worker_run: int | None = None  # the id of the run whose worker was started...
        self._train_worker: Worker | None = None  # ...and that worker
        self._sample_timer: Timer | None = None
        self._dirty = False  # steps were taken in since the last repaint
        self._tick = 0  # repaint ticks while something changed
        self._panels_ready = False  # the panels exist
        self._applicable: tuple[bool | None, ...] = ()  # what applies(action) said at the last refresh of the bindings

    @property
    def _drawable(self) -> bool:
        """The panels are there: not before the first frame, nor once shutting down (a timer or a
        worker's message can still arrive then)."""
        return self._panels_ready and self.is_running

    def get_default_screen(self) -> MainScreen:
        return self.main

    def on_ready(self) -> None:
        """The main screen is composed: the session begins, the repaint timer and the background work start."""
        self._panels_ready = True
        self.apply(self.lab.begin())
        self.set_interval(self.repaint_interval, self._repaint)
        self._compute_baselines()
        self._index_names()
        long_lived.settle()  # (what lives as long as the app: out of every later full collection's walk)

    def on_unmount(self) -> None:
        long_lived.unsettle()

    # -- the one way an intent's result reaches the screen ------------------------------

    def apply(self, change: Change) -> None:
        """Reflect the lab after an intent: notices, workers and timers, panels; then open what it asked for."""
        if not self._drawable:
            return
        self.lab.after_intent()
        for notice in self.lab.take_notices():
            self.notify(
                notice.message,
                title=notice.title,
                severity=notice.severity,  # type: ignore[arg-type]
                timeout=notice.timeout,
                markup=False,  # the message may quote the data: never read as markup
            )
        if change.new_run:  # another run is live: its own baselines, names and panel shapes
            self.panels.reshape()
            self._compute_baselines()
            if self.lab.drawing.name_index is None:
                self._index_names()
        if change.work == "bigram":
            self._bigram_table(self.lab.experiments.bigram_work())
        if change.work == "replay":
            self._replay(self.lab.travel.replay_work())
        if change.work == "graph":
            self._build_graph(self.lab.inside.graph_work())
        if change.work == "held_out":
            self._measure_held_out()
        run = self.lab.stepping.run
        if run is not None and run.id != self._worker_run:
            self._worker_run = run.id
            self._train_worker = self._train(run)
        self._sync_sample_timer()
        self.panels.sync()
        self._follow()
        applicable = tuple(self.applies(action) for action in ACTION_NAMES)
        if applicable != self._applicable:  # (the footer recomposes on a refresh: only when a key's state changed)
            self._applicable = applicable
            self.refresh_bindings()
        if change.ask is not None:
            open_asked(self, change.ask)
        if change.exit:
            self.exit()

    def _follow(self) -> None:
        """The view on top of the main screen (the forward pass, a matrix) follows the lab too (one
        under it catches up when it is on top again: on_screen_resume)."""
        follow = getattr(self.screen, "lab_changed", None)
        if follow is not None:
            follow()

    def _sync_sample_timer(self) -> None:
        if self.lab.drawing.auto and self._sample_timer is None:
            self._sample_timer = self.set_interval(
                self.sample_interval, lambda: self.apply(self.lab.drawing.advance_sample())
            )
        elif not self.lab.drawing.auto and self._sample_timer is not None:
            self._sample_timer.stop()
            self._sample_timer = None

    # -- background work -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def _train(self, run: TrainingRun) -> None:
        # Pausing asks the run to stop rather than cancelling the worker: a cancelled
        # worker whose thread has not started yet would never say it finished.
        worker = get_current_worker()
        run.work(lambda: self.post_message(TrainingProgress(run.id)), lambda: worker.is_cancelled)

    @work(thread=True, exclusive=True, group="baselines", exit_on_error=False)
    def _compute_baselines(self) -> None:
        trainer, run = self.lab.trainer, self.lab.current_run
        bigram = bigram_loss(trainer.docs, trainer.tokenizer, trainer.config.block_size)
        self.post_message(BaselinesReady(bigram, run))

    @work(thread=True, exclusive=True, group="bigram", exit_on_error=False)
    def _bigram_table(self, count) -> None:
        self.post_message(BigramCounted(*count()))

    def on_bigram_counted(self, message: BigramCounted) -> None:
        self.apply(self.lab.experiments.add_bigram_run(message.table, message.names))

    @work(thread=True, exclusive=True, group="replay", exit_on_error=False)
    def _replay(self, replay: Replay) -> None:
        """Time travel's replay: seconds on a long run, so off the UI thread, in a process of its own (it works on
        its own copy; this thread only waits for it)."""
        worker = get_current_worker()
        self.post_message(ReplayLanded(run_apart(replay, lambda: worker.is_cancelled)))

    def on_replay_landed(self, message: ReplayLanded) -> None:
        self.apply(self.lab.travel.landed(message.replayed))

    @work(thread=True, exclusive=True, group="graph", exit_on_error=False)
    def _build_graph(self, plan: GraphPlan) -> None:
        """The plain engine's graph view (~0.2 s): off the UI thread; training waits meanwhile."""
        self.post_message(GraphLanded(plan.build()))

    def on_graph_landed(self, message: GraphLanded) -> None:
        self.apply(self.lab.inside.graph_landed(message.built))

    def _measure_held_out(self) -> None:
        jobs = self.lab.experiments.held_out_jobs()
        if jobs:
            self._held_out_worker(jobs)

    @work(thread=True, group="held_out", exit_on_error=False)
    def _held_out_worker(self, jobs: list[HeldOutJob]) -> None:
        """Each run's loss on the held-out names (~0.6 s a run): off the UI thread."""
        self.post_message(HeldOutMeasured([job.measure() for job in jobs]))

    def on_held_out_measured(self, message: HeldOutMeasured) -> None:
        self.apply(self.lab.experiments.held_out_landed(message.results))
        if isinstance(self.screen, RunsScreen):
            self.screen.view = self.lab.experiments.runs_view()
        elif isinstance(self.screen, RunsCompareScreen):
            a, b = (row.number for row in self.screen.view.rows)
            view = self.lab.experiments.compare_runs(a, b)
            if view is not None:
                self.screen.show(view)

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def _index_names(self) -> None:
        self.post_message(NamesIndexed(NameIndex(self.lab.docs)))

    def on_training_progress(self, message: TrainingProgress) -> None:
        change = self.lab.take_steps(message.run_id)
        run = self.lab.stepping.run
        if run is None or run.id != message.run_id:
            self.apply(change)  # the run ended (or had already ended): everything is drawn at once
        elif self.lab.stepping.pace.every_step_drawn and self._drawable:  # slow enough to draw each step as it comes
            self._dirty = False
            with self.batch_update():
                self.panels.push_status()
                self.panels.push_view()
                self.panels.push_params()
                self.panels.push_loss()
        else:
            self._dirty = True

    def on_baselines_ready(self, message: BaselinesReady) -> None:
        self.apply(self.lab.baselines_ready(message.bigram, message.run))  # type: ignore[arg-type]

    def on_names_indexed(self, message: NamesIndexed) -> None:
        self.apply(self.lab.drawing.names_indexed(message.index))

    def on_loss_plot_resized(self, message: LossPlot.Resized) -> None:
        if self._drawable:
            self.panels.push_loss()

    def _repaint(self) -> None:
        """The capped-rate redraw while training: at most once per repaint_interval, only when steps came in.

        The panels take turns: the status line every tick, the attention and
        token panels on odd ticks, the parameters on even ones and the loss plot
        on every 4th. The UI thread shares the GIL with the trainer, so every
        millisecond spent drawing is one the trainer waits.
        """
        if not (self._dirty and self._drawable):
            return
        self._dirty = False
        self._tick += 1
        training, odd = self.lab.training, self._tick % 2 == 1
        panels = self.panels
        with self.batch_update():
            panels.push_status()
            if not training or odd:
                panels.push_view()
            if not training or not odd:
                panels.push_params()
            if not training or self._tick % 4 == 0:
                panels.push_loss()
            self._follow()

    # -- what applies when -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        screen = self.screen
        if action == "export" and isinstance(self.focused, Input) and not self.focused.selection.is_empty:
            return False  # (ctrl+x on text selected in a field cuts it, as it does everywhere)
        over = isinstance(screen, ModalScreen) and action not in getattr(screen, "APP_ACTIONS", ())
        if action in ACTIONS and over and action not in EVERYWHERE:
            return False  # a dialog is open: its own keys apply
        return self.applies(action)

    def applies(self, action: str) -> bool | None:
        """True if `action` makes sense now, None if not (shown greyed out)."""
        if action in ACTIONS - {"request_quit", "help"} and self.main.has_class("-too-small"):
            return False  # nothing to see: only help and quit
        return self.lab.applies(action)

    def get_system_commands(self, screen):
        # Textual's own Quit and Screenshot would sit beside the app's quit (asks about unsaved steps) and export
        # (the SVG and the CSV): one entry each, the app's.
        yield from (c for c in super().get_system_commands(screen) if c.title not in ("Quit", "Screenshot"))
        past = (lambda: self.apply(self.lab.travel.back_to_now())) if self.lab.viewing_past else None
        yield from palette_commands(self.applies, self.run_action, past)

    def help_rows(self) -> list[tuple[str, str, str, bool]]:
        return help_rows(self.applies)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Run the action as usual; then tell the tour, if the app performed it."""
        handled = await super().run_action(action, default_namespace, namespaces)
        namespace, name, _ = action if isinstance(action, tuple) else parse(action)
        mine = namespace == "app" or (not namespace and default_namespace in (None, self))
        if handled and mine and self.lab.touring.tour is not None:
            self.apply(self.lab.touring.tour_event(name))
        elif not handled and mine and self.screen is self.main and self.applies(name) is None:
            self.apply(self.lab.why_not(name))  # a greyed-out key: say why it does nothing now
        return handled

    # -- the keys that only call one intent of the lab (intent_actions.py) ------------------------

    action_step = intent_action(lambda lab: lab.step())
    action_run = intent_action(lambda lab: lab.run_or_pause())
    action_sample = intent_action(lambda lab: lab.drawing.sample())
    action_leave_sampling = intent_action(lambda lab: lab.drawing.leave_sampling())
    action_next_char = intent_action(lambda lab: lab.drawing.next_char())
    action_force_char = intent_action(lambda lab: lab.drawing.ask_force())
    action_temperature = intent_action(lambda lab, delta: lab.temperature(delta))
    action_move = intent_action(lambda lab, delta: lab.move(delta))
    action_head = intent_action(lambda lab, delta: lab.head(delta))
    action_layer = intent_action(lambda lab, delta: lab.layer(delta))
    action_before_after = intent_action(lambda lab: lab.toggle_before_after())
    action_toggle_heads = intent_action(lambda lab: lab.toggle_heads())
    action_save = intent_action(lambda lab: lab.saving.save())
    action_request_quit = intent_action(lambda lab: lab.saving.request_quit())
    action_view_step = intent_action(lambda lab, delta: lab.travel.view_step(delta))
    action_goto_step = intent_action(lambda lab: lab.travel.ask_step())
    action_compare = intent_action(lambda lab: lab.travel.compare())
    action_ablate_head = intent_action(lambda lab: lab.interventions.ablate_head())
    action_ablate_layer = intent_action(lambda lab: lab.interventions.ablate_layer())
    action_undo_interventions = intent_action(lambda lab: lab.interventions.undo_interventions())
    action_graph = intent_action(lambda lab: lab.inside.open_graph())
    action_forward = intent_action(lambda lab: lab.inside.open_forward())
    action_matrix = intent_action(lambda lab: lab.inside.open_matrix())
    action_probe = intent_action(lambda lab: lab.probing.open_probe())  # a text box: any name, read as a document
    action_settings = intent_action(lambda lab: lab.experiments.ask_settings())
    action_runs = intent_action(lambda lab: lab.experiments.show_runs())
    action_speed = intent_action(lambda lab, delta: lab.experiments.speed(delta))
    on_param_panel_select = intent_action(lambda lab, message: lab.inside.select_matrix(message.delta))
    on_param_panel_open = intent_action(lambda lab, message: lab.inside.open_matrix(message.name))
    on_quiz_panel_guess = intent_action(lambda lab, message: lab.quizzing.quiz_guess(message.char))
    on_quiz_panel_move = intent_action(lambda lab, message: lab.quizzing.quiz_move(message.delta))
    on_quiz_panel_leave = intent_action(lambda lab, message: lab.quizzing.leave_quiz())
    on_tour_panel_next = intent_action(lambda lab, message: lab.touring.tour_next())
    on_tour_panel_back = intent_action(lambda lab, message: lab.touring.tour_back())

    # -- keys that open screens of the app's own (own_screens.py) -------------------------------

    action_help = own_screens.help_screen
    action_embeddings = own_screens.embeddings
    action_explain = own_screens.explain
    action_about = own_screens.about
    action_glossary = own_screens.glossary_screen
    action_code = own_screens.code

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit (Textual's): ask about unsaved steps, as q does."""
        if not isinstance(self.screen, QuitScreen):  # (already asking)
            await self.action_request_quit()

    def action_export(self) -> None:
        self.export_files()

    def export_files(self) -> None:
        """An SVG of the screen and a CSV of every step, next to the checkpoint: the SVG is taken once the toasts
        on screen (an earlier export's "exported …") are gone, so none is drawn over it."""
        self.clear_notifications()
        self.call_after_refresh(
            lambda: self.apply(
                self.lab.inside.export(lambda svg: self.save_screenshot(filename=svg.name, path=str(svg.parent)))
            )
        )

    def on_probe_screen_typed(self, message: ProbeScreen.Typed) -> None:
        self.apply(self.lab.probing.probe(message.text))
        if isinstance(self.screen, ProbeScreen):
            self.screen.view = self.lab.probing.probe_view()

    # -- predict, then reveal: the panel's messages ------------------------------------------------

    async def action_quiz(self) -> None:
        change = await self.lab.quizzing.toggle_quiz()
        await self.panels.open_quiz()
        self.apply(change)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.panels.keep_quiz_focused(event.widget)

    # -- the tour: the panel's messages ----------------------------------------------------------------

    async def action_tour(self) -> None:
        """Start the guided tour (or, if it is on, bring it back into focus)."""
        change = self.lab.touring.start_tour()
        await self.panels.open_tour()
        self.apply(change)

    def on_tour_panel_end(self, message: TourPanel.End) -> None:
        if self.lab.touring.tour is not None:
            self.apply(self.lab.touring.end_tour())

    # -- experiments: settings, the runs side by side, the speed ---------------------------------------

    def _runs_changed(self, change: Change) -> None:
        self.apply(change)
        if isinstance(self.screen, RunsScreen):
            self.screen.view = self.lab.experiments.runs_view()

    def on_runs_screen_rename(self, message: RunsScreen.Rename) -> None:
        self._runs_changed(self.lab.experiments.rename_run(message.number, message.name))

    def on_runs_screen_remove(self, message: RunsScreen.Remove) -> None:
        self._runs_changed(self.lab.experiments.remove_run(message.number))

    async def on_runs_screen_save(self, message: RunsScreen.Save) -> None:
        self._runs_changed(await self.lab.experiments.save_run(message.number, message.path))

    async def on_runs_screen_load(self, message: RunsScreen.Load) -> None:
        self._runs_changed(await self.lab.experiments.load_run(message.path))

    def on_runs_screen_compare(self, message: RunsScreen.Compare) -> None:
        view = self.lab.experiments.compare_runs(message.a, message.b)
        if view is not None:
            self.push_screen(RunsCompareScreen(view))
            self._measure_held_out()
