"""Provides `MicroGPTApp`: the Textual shell over the lab.

The lab (`lab/`) owns the session's state and decides what each key does.
The app binds the keys to the lab's intents, opens the screens an intent asks
for, runs the background workers, and after every intent hands the lab's
views to the panels (`Panels`). It holds no state of the session itself:
only what belongs to the screen (timers, which worker runs which training).
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.actions import parse
from textual.app import App, SystemCommand
from textual.events import DescendantFocus
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from microgpt_engine import Trainer
from microgpt_engine.insight.baselines import bigram_loss
from microgpt_engine.insight.names import NameIndex

from . import glossary, texts
from .bindings import BINDINGS, COMMANDS, long_name
from .lab import Lab
from .lab.saved_runs import SavedRun
from .lab.training_run import TrainingRun
from .lab.views import (
    Change,
)
from .messages import BaselinesReady, BigramCounted, NamesIndexed, TrainingProgress
from .panels import Panels
from .screen_openers import open_asked
from .screens.about import AboutScreen
from .screens.code import CodeScreen
from .screens.embeddings import EmbeddingScreen
from .screens.explain import ExplainScreen
from .screens.forward import ForwardScreen
from .screens.glossary import GlossaryCommands, GlossaryScreen
from .screens.help import HelpScreen
from .screens.main import MainScreen
from .screens.probe import ProbeScreen
from .screens.quit import QuitScreen
from .screens.runs import RunsScreen
from .screens.runs_compare import RunsCompareScreen
from .widgets.loss_plot import LossPlot
from .widgets.param_panel import ParamPanel
from .widgets.quiz_panel import QuizPanel
from .widgets.tour_panel import TourPanel

ACTIONS = {binding.action.split("(")[0] for binding in BINDINGS}
ACTION_NAMES = sorted(ACTIONS)


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
        run = self.lab.run
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

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def _index_names(self) -> None:
        self.post_message(NamesIndexed(NameIndex(self.lab.docs)))

    def on_training_progress(self, message: TrainingProgress) -> None:
        change = self.lab.take_steps(message.run_id)
        if self.lab.run is None or self.lab.run.id != message.run_id:
            self.apply(change)  # the run ended (or had already ended): everything is drawn at once
        elif self.lab.pace.every_step_drawn and self._drawable:  # slow enough to draw each step as it comes
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
        if action in ACTIONS and isinstance(screen, ModalScreen) and action not in getattr(screen, "APP_ACTIONS", ()):
            return False  # a dialog is open: its own keys apply
        return self.applies(action)

    def applies(self, action: str) -> bool | None:
        """True if `action` makes sense now, None if not (shown greyed out)."""
        if action in ACTIONS - {"request_quit", "help"} and self.main.has_class("-too-small"):
            return False  # nothing to see: only help and quit
        return self.lab.applies(action)

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        for binding in COMMANDS:
            if self.applies(binding.action.partition("(")[0]) is True:  # (the palette itself is a modal screen)
                keys = binding.key_display or binding.key
                yield SystemCommand(
                    f"{long_name(binding)} ({keys})", binding.tooltip, lambda a=binding.action: self.run_action(a)
                )
        if self.applies("goto_step"):
            yield SystemCommand(
                "go to step… (time travel)",
                "Type a step number: every panel shows the model as it was then",
                lambda: self.run_action("goto_step"),
            )
        if self.lab.viewing_past:
            yield SystemCommand(
                "back to now (time travel)",
                "Leave the past: the live model again",
                lambda: self.apply(self.lab.travel.back_to_now()),
            )

    def help_rows(self) -> list[tuple[str, str, str, bool]]:
        rows = []
        for b in BINDINGS:
            keys = b.key_display or b.key.replace(",", " / ")
            rows.append((keys, long_name(b), b.tooltip, self.applies(b.action.split("(")[0]) is True))
        rows.append(("ctrl+p", "command palette", "Run any of these by name", True))
        return rows

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Run the action as usual; then tell the tour, if the app performed it."""
        handled = await super().run_action(action, default_namespace, namespaces)
        namespace, name, _ = action if isinstance(action, tuple) else parse(action)
        mine = namespace == "app" or (not namespace and default_namespace in (None, self))
        if handled and mine and self.lab.tour is not None:
            self.apply(self.lab.tour_event(name))
        elif not handled and mine and self.screen is self.main and self.applies(name) is None:
            self.apply(self.lab.why_not(name))  # a greyed-out key: say why it does nothing now
        return handled

    # -- the keys: each one intent of the lab ---------------------------------------------------

    def action_step(self) -> None:
        self.apply(self.lab.step())

    def action_run(self) -> None:
        self.apply(self.lab.run_or_pause())

    def action_sample(self) -> None:
        self.apply(self.lab.drawing.sample())

    def action_leave_sampling(self) -> None:
        self.apply(self.lab.drawing.leave_sampling())

    def action_next_char(self) -> None:
        self.apply(self.lab.drawing.next_char())

    def action_temperature(self, delta: float) -> None:
        self.apply(self.lab.temperature(delta))

    def action_move(self, delta: int) -> None:
        self.apply(self.lab.move(delta))

    def action_head(self, delta: int) -> None:
        self.apply(self.lab.head(delta))

    def action_layer(self, delta: int) -> None:
        self.apply(self.lab.layer(delta))

    def action_before_after(self) -> None:
        self.apply(self.lab.toggle_before_after())

    def action_toggle_heads(self) -> None:
        self.apply(self.lab.toggle_heads())

    async def action_save(self) -> None:
        self.apply(await self.lab.saving.save())

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_rows()))

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit (Textual's): ask about unsaved steps, as q does."""
        if not isinstance(self.screen, QuitScreen):  # (already asking)
            await self.action_request_quit()

    async def action_request_quit(self) -> None:
        self.apply(await self.lab.saving.request_quit())

    async def action_view_step(self, delta: int) -> None:
        self.apply(await self.lab.travel.view_step(delta))

    async def action_goto_step(self) -> None:
        self.apply(await self.lab.travel.ask_step())

    async def action_compare(self) -> None:
        self.apply(await self.lab.travel.compare())

    def action_ablate_head(self) -> None:
        self.apply(self.lab.interventions.ablate_head())

    def action_ablate_layer(self) -> None:
        self.apply(self.lab.interventions.ablate_layer())

    def action_undo_interventions(self) -> None:
        self.apply(self.lab.interventions.undo_interventions())

    def action_force_char(self) -> None:
        self.apply(self.lab.drawing.ask_force())

    async def action_graph(self) -> None:
        self.apply(await self.lab.inside.open_graph())

    def action_forward(self) -> None:
        self.apply(self.lab.inside.open_forward())

    def action_matrix(self) -> None:
        self.apply(self.lab.inside.open_matrix())

    def on_param_panel_select(self, message: ParamPanel.Select) -> None:
        self.apply(self.lab.inside.select_matrix(message.delta))

    def on_param_panel_open(self, message: ParamPanel.Open) -> None:
        self.apply(self.lab.inside.open_matrix(message.name))

    def action_embeddings(self) -> None:
        self.push_screen(EmbeddingScreen(self.lab.trainer.tokenizer))

    def action_export(self) -> None:
        self.export_files()

    def export_files(self) -> None:
        """An SVG of the screen and a CSV of every step, next to the checkpoint."""
        self.apply(self.lab.inside.export(lambda svg: self.save_screenshot(filename=svg.name, path=str(svg.parent))))

    def action_explain(self) -> None:
        """Explain the focused panel in plain words (or choose a panel)."""
        self.push_screen(ExplainScreen(self.lab.inside.explanations(), self.focused_panel()))

    def action_about(self) -> None:
        """Compare microgpt, with this session's figures, to production LLMs."""
        rows, footer = self.lab.inside.about_rows()
        self.push_screen(AboutScreen(texts.ABOUT_TITLE, texts.ABOUT_HEADER, rows, footer, texts.ABOUT_HINT))

    def action_glossary(self, term: str | None = None) -> None:
        """The glossary, at `term` (else at the explained or focused panel's term)."""
        screen = self.screen
        panel = screen.shown if isinstance(screen, ExplainScreen) else self.focused_panel()
        self.push_screen(GlossaryScreen(self.lab.inside.glossary(), term or glossary.PANEL_TERMS.get(panel or "")))

    def action_code(self) -> None:
        """The engine's own source behind the focused panel (or the forward view's stage), its lines lit with
        their live values."""
        if isinstance(self.screen, ForwardScreen):  # the forward view's stage: its lines, following ↑ ↓
            view = self.lab.inside.code_view(None, self.lab.inside.forward_view().selected)
            self.push_screen(CodeScreen(view, follow_stage=True), lambda _: self.apply(Change()))
        else:
            self.push_screen(CodeScreen(self.lab.inside.code_view(self.focused_panel())))

    async def action_probe(self) -> None:
        """A text box: any name, read by the model as a training document."""
        self.apply(await self.lab.open_probe())

    def on_probe_screen_typed(self, message: ProbeScreen.Typed) -> None:
        self.apply(self.lab.probe(message.text))
        if isinstance(self.screen, ProbeScreen):
            self.screen.view = self.lab.probe_view()

    def focused_panel(self) -> str | None:
        """The id of the panel the learner focused (the tour's panel while the tour has focus), or None."""
        focused = self.main.focused
        card = self.lab.tour_card
        if isinstance(focused, TourPanel) and card is not None:
            return card.panel
        return focused.id if focused is not None and focused.id in texts.PANELS else None

    # -- predict, then reveal: the panel's messages ------------------------------------------------

    async def action_quiz(self) -> None:
        change = await self.lab.quizzing.toggle_quiz()
        if self.lab.quizzing.on and not self.main.query(QuizPanel):
            tokens = self.main.query_one("#tokens")
            self.panels.focus_before_quiz = self.main.focused
            panel = QuizPanel(list(self.lab.vocab_labels), id="quiz")
            await self.main.query_one("#body").mount(panel, after=tokens)
            tokens.display = False
            panel.focus()
        self.apply(change)

    def on_quiz_panel_guess(self, message: QuizPanel.Guess) -> None:
        self.apply(self.lab.quizzing.quiz_guess(message.char))

    def on_quiz_panel_move(self, message: QuizPanel.Move) -> None:
        self.apply(self.lab.quizzing.quiz_move(message.delta))

    def on_quiz_panel_leave(self, message: QuizPanel.Leave) -> None:
        self.apply(self.lab.quizzing.leave_quiz())

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Keep the keys with the quiz: a click on another panel must not turn letters into commands."""
        if self.lab.quizzing.on and event.widget.screen is self.main and not isinstance(event.widget, QuizPanel):
            for panel in self.main.query(QuizPanel):
                panel.focus()

    # -- the tour: the panel's messages ----------------------------------------------------------------

    async def action_tour(self) -> None:
        """Start the guided tour (or, if it is on, bring it back into focus)."""
        change = self.lab.start_tour()
        panels = self.main.query(TourPanel)
        if self.lab.tour is not None and not panels:
            await self.main.mount(TourPanel(id="tour"), after="#body")
        elif panels:
            panels.first().focus()
        self.apply(change)

    def on_tour_panel_next(self, message: TourPanel.Next) -> None:
        self.apply(self.lab.tour_next())

    def on_tour_panel_back(self, message: TourPanel.Back) -> None:
        self.apply(self.lab.tour_back())

    def on_tour_panel_end(self, message: TourPanel.End) -> None:
        if self.lab.tour is not None:
            self.apply(self.lab.end_tour())

    # -- experiments: settings, the runs side by side, the speed ---------------------------------------

    def action_settings(self) -> None:
        self.apply(self.lab.experiments.ask_settings())

    def action_runs(self) -> None:
        self.apply(self.lab.experiments.show_runs())

    def action_speed(self, delta: int) -> None:
        self.apply(self.lab.experiments.speed(delta))

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
