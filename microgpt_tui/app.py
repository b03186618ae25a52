"""Provides `MicroGPTApp`: the Textual shell over the lab.

The lab (`core/`) builds the features and the session they share; each
feature decides what its keys do. The app runs them: every key, dialog answer
and screen message calls one intent of a feature (its folder's `wiring.py`,
listed in features/registry.py, gives the app its `action_*` methods and
message handlers: wiring.py), the app applies the `Change` it returns,
starts the background jobs the session holds, hands the main screen's panels
the views that changed (`Panels`) and the screen on top what it shows
(`follow`), and opens what the intent asked for. It holds no state of the
session itself: only what belongs to the screen (timers, the repaint's turn).
The palette's entries and the help rows come from the bindings (`commands.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.actions import ActionParseResult, parse
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.events import DescendantFocus
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from microgpt_engine import Trainer
from microgpt_tui import language, long_lived, texts, user_state
from microgpt_tui.bindings import ACTIONS, BINDINGS
from microgpt_tui.commands import help_rows, language_commands, palette_commands, textual_commands
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.lab import Lab
from microgpt_tui.core.views import Change
from microgpt_tui.door import Door
from microgpt_tui.features.motion.capture import FrameCapture
from microgpt_tui.features.panels.loss_plot import LossPlot
from microgpt_tui.features.reference.glossary_entries import GlossaryEntry
from microgpt_tui.features.reference.glossary_screen import GlossaryCommands
from microgpt_tui.features.registry import WIRINGS
from microgpt_tui.features.runs.saved_runs import SavedRun
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.language import IME_NOTE
from microgpt_tui.lesson_dock import LessonDock
from microgpt_tui.messages import JobLanded, JobReport
from microgpt_tui.panels import Panels
from microgpt_tui.screens.following import Resumed
from microgpt_tui.screens.main import MainScreen
from microgpt_tui.switching import LanguageChosen, switch_language, translate_bindings
from microgpt_tui.textual_compat import patch_textual
from microgpt_tui.wiring import follow, open_asked, wire

EVERYWHERE = frozenset({"export", "record", "share_code"})  # app actions that apply over any screen (ctrl+x: the
# SVG is of that screen; ctrl+l: its code)


class MicroGPTApp(App):
    """Watch microgpt train, attend and sample, one step at a time."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "microgpt-tui"
    BINDINGS: ClassVar[list[BindingType]] = list(BINDINGS)
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
        patch_textual()  # (work-arounds for Textual bugs, where the installed version still has them)
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
        self.door = Door(self.lab)  # every input and background landing, logged (recordings replay them)
        self.after_ready: Callable[[], Coroutine[Any, Any, None]] | None = None  # --open: keys to press once up
        self.lesson_dock = LessonDock(self, self.lab)  # the lesson panel, on the screen on top
        self._sample_timer: Timer | None = None
        self._dirty = False  # steps were taken in since the last repaint
        self._tick = 0  # repaint ticks while something changed
        self._panels_ready = False  # the panels exist
        self._applicable: tuple[bool, tuple[bool | None, ...]] | None = None  # the rules at the last binding refresh
        self.frame_capture = FrameCapture(self, self.lab.motion.ring)  # the last minute of screens, for X
        self.state_path = state_path  # where the language chosen is remembered too (None: user_state's default)
        translate_bindings([self, self.main])  # the keys in the language set before the app (--lang, the locale)

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
        self.door.begin((self.size.width, self.size.height))
        self.apply(self.lab.begin())
        self.set_interval(self.repaint_interval, self._repaint)
        self.frame_capture.start()
        if self.after_ready is not None:
            self.run_worker(self.after_ready(), name="opening", group="opening")
        long_lived.settle()  # (what lives as long as the app: out of every later full collection's walk)
        self._note_input_method()

    def _note_input_method(self) -> None:
        """The first launch in zh says, once, that an input method takes the letter keys (the help says it too;
        so does the tour's offer, left in place). On the status line, not a toast: Textual drops a wide character
        of a toast where it crosses a panel's edge under it (textual#6357)."""
        path = self.state_path or user_state.default_path()
        if language.current() == "zh" and not user_state.load(path).get("ime_noted"):
            if self.lab.session.event != texts.OFFER:
                self.apply(self.lab.session.say(IME_NOTE))
            user_state.save(path, ime_noted=True)

    def on_unmount(self) -> None:
        long_lived.unsettle()

    def post_display_hook(self) -> None:
        """Textual has handed the terminal an update (or found none to hand: then the next look takes the same
        screen again, and the ring keeps it once): the frame capture's next look has something new to take."""
        self.frame_capture.shown()

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
        if change.new_run:  # another run is live: the panels' shapes
            self.panels.reshape()
        for job in self.lab.session.take_jobs():
            self._start(job)
        self._sync_sample_timer()
        self.lesson_dock.settle()
        self.panels.sync()
        # (only the keys with a rule can change; the rest always apply)
        applicable = (self.main.has_class("-too-small"), tuple(rule() for rule in self.lab.rules.applies_now.values()))
        if applicable != self._applicable:  # (the footer recomposes on a refresh: only when a key's state changed)
            self._applicable = applicable
            self.refresh_bindings()
        if change.ask is not None:
            open_asked(self, WIRINGS, change.ask)
        self._follow()
        self.lesson_dock.sync()
        if change.exit:
            self.exit()

    def _follow(self) -> None:
        """The view on top of the main screen (the forward pass, a matrix) follows the lab too (one
        under it catches up when it is on top again: its Resumed message)."""
        follow(self, WIRINGS, self.screen)

    def on_resumed(self, message: Resumed) -> None:
        self._follow()
        if self._drawable:
            self.lesson_dock.sync()

    def _sync_sample_timer(self) -> None:
        if self.lab.drawing.auto and self._sample_timer is None:
            self._sample_timer = self.set_interval(self.sample_interval, self.sample_tick)
        elif not self.lab.drawing.auto and self._sample_timer is not None:
            self._sample_timer.stop()
            self._sample_timer = None

    def sample_tick(self) -> None:
        """The sampling timer: one more character of the sample."""
        self.apply(self.lab.drawing.advance_sample())
        self.door.tick()

    # -- the one door for input: every key, paste and resize is logged as it comes in -------------------

    async def on_event(self, event: events.Event) -> None:
        self.door.admit(event)
        await super().on_event(event)

    # -- background work -------------------------------------------------------------------

    def _start(self, job: Job) -> None:
        """Run `job` on a worker thread of its group (a new one cancels the one still running there)."""
        number = self.door.started(job)
        worker = self.run_worker(
            partial(self._work, job), name=repr(job), group=job.group, thread=True, exclusive=True, exit_on_error=False
        )
        if self.door.workers is not None:  # (a replay's: whether a job it waits for ran at all)
            self.door.workers[number] = worker

    def _work(self, job: Job) -> None:
        """On the worker's thread: run the job; what it reports and returns is posted to the UI thread."""
        worker = get_current_worker()
        result = job.run(lambda: worker.is_cancelled, lambda: self.post_message(JobReport(job)))
        self.post_message(JobLanded(job, result))

    def on_job_landed(self, message: JobLanded) -> None:
        self.apply(message.job.land(message.result))
        self.door.landed(message.job)

    def on_job_report(self, message: JobReport) -> None:
        """A job has something for the UI (training: finished steps). It says what changed; None: only new
        numbers, drawn at the repaint timer's pace (or at once when training is slow enough to show each step)."""
        change = message.job.progress()
        self.door.observe()
        if change is not None:
            self.apply(change)
        elif self.lab.stepping.pace.every_step_drawn and self._drawable:
            self._dirty = False
            with self.batch_update():
                self.panels.push_status()
                self.panels.push_view()
                self.panels.push_params()
                self.panels.push_loss()
        else:
            self._dirty = True

    def on_loss_plot_resized(self, message: LossPlot.Resized) -> None:
        if self._drawable:
            self.panels.push_loss(resized=True)

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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's own Quit and Screenshot would sit beside the app's quit (asks about unsaved steps) and export
        # (the SVG and the CSV): one entry each, the app's.
        textuals = super().get_system_commands(screen)
        yield from textual_commands(c for c in textuals if c.title not in ("Quit", "Screenshot"))
        past = (lambda: self.apply(self.lab.travel.back_to_now())) if self.lab.viewing_past else None
        yield from palette_commands(self.applies, self.run_action, past)
        yield from language_commands(self.switch_language)

    def switch_language(self, code: str) -> None:
        """Every open screen in `code` at once (the palette's and the settings' language), kept for next time."""
        switch_language(self, code, self.state_path)
        self._applicable = None  # (the footer's keys are drawn anew)
        self.panels.retranslate()
        if code == "zh":  # (an input method on takes the letter keys: say so now, before a key seems dead)
            self.apply(self.lab.session.say(IME_NOTE))

    def on_language_chosen(self, message: LanguageChosen) -> None:
        self.switch_language(message.code)

    def glossary_entries(self) -> tuple[GlossaryEntry, ...]:
        """The glossary with this session's figures (the palette searches it)."""
        return self.lab.reference.glossary()

    def help_rows(self) -> list[tuple[str, str, str, bool]]:
        return help_rows(self.applies)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run the action as usual; then tell the tour and the lesson, if the app performed it."""
        handled = await super().run_action(action, default_namespace, namespaces)
        namespace, name, _ = action if isinstance(action, tuple) else parse(action)
        mine = namespace == "app" or (not namespace and default_namespace in (None, self))
        if handled and mine and self.lab.lessons.chapter is not None:
            self.apply(self.lab.lessons.event(name))
        if handled and mine and self.lab.touring.tour is not None:
            self.apply(self.lab.touring.tour_event(name))
        elif not handled and mine and self.screen is self.main and self.applies(name) is None:
            self.apply(self.lab.why_not(name))  # a greyed-out key: say why it does nothing now
        return handled

    # -- the keys of the app's own (every other key is a feature's: wire() below) -------------------

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit (Textual's): ask about unsaved steps, as q does."""
        if not isinstance(self.screen, QuitScreen):  # (already asking)
            self.apply(await self.lab.saving.request_quit())

    def action_export(self) -> None:
        """An SVG of the screen and a CSV of every step, next to the checkpoint: the SVG is taken once the toasts
        on screen (an earlier export's "exported …") are gone, so none is drawn over it."""
        self.clear_notifications()
        self.call_after_refresh(
            lambda: self.apply(
                self.lab.exporting.export(lambda svg: self.save_screenshot(filename=svg.name, path=str(svg.parent)))
            )
        )

    # -- predict, then reveal: the panel's messages ------------------------------------------------

    async def action_quiz(self) -> None:
        change = await self.lab.quizzing.toggle_quiz()
        await self.panels.open_quiz()
        self.apply(change)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        self.panels.keep_quiz_focused(event.widget)

    # -- the tour: the panel's messages ----------------------------------------------------------------

    async def action_tour(self) -> None:
        """Start the guided tour (or, if it is on, bring it back into focus); a lesson on is paused."""
        if self.lab.lessons.on:
            self.lab.lessons.end()
        change = self.lab.touring.start_tour()
        await self.panels.open_tour()
        self.apply(change)


wire(MicroGPTApp, WIRINGS)  # every feature's keys and messages become the app's actions and handlers
