"""Provides `Experiments`: the intents for runs side by side: settings, new runs, continuing, the bigram preset,
and the runs screen (rename, remove, save, load, compare).

The runs live in the session's `book`; this feature keeps only the files it saved runs to (`run_files`),
which nothing else reads. Making another run live is a rule between features (`Interlocks.install`).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from microgpt_engine import CheckpointError, ConfigError, Trainer
from microgpt_engine.insight.bigram import BigramTable
from microgpt_engine.insight.history import RunHistory
from microgpt_engine.insight.timetravel import capture
from microgpt_engine.paths import PathError, confined, named, reason
from microgpt_tui.checker.script_run import ENGINE as SCRIPT_ENGINE
from microgpt_tui.checker.script_run import ScriptRun, ScriptRunError, is_script_run, read_script_run
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.labels import decimal, visible_text
from microgpt_tui.core.views import AskNewRun, AskSettings, Change, RunsCompareView, RunsView
from microgpt_tui.engine_errors import said
from microgpt_tui.features.runs import saved_runs
from microgpt_tui.features.runs.held_out_losses import HeldOutJob, HeldOutLosses, Measured, describe
from microgpt_tui.features.runs.settings_form import BUILT, CURRENT, NewRun, check, form_for
from microgpt_tui.features.runs.views import compare_view, runs_view
from microgpt_tui.features.sampling.sample_log import SampleLog
from microgpt_tui.language import N_, _, ngettext

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session

BIGRAM_SAMPLES = 10  # names the bigram preset spells
SAMPLE_HINT = N_("Press s to sample names.")


class Experiments:
    """The intents for runs side by side: settings, new runs, the bigram preset, the runs screen."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.run_files: set[Path] = set()  # files this session saved runs to (it may replace them)
        self.saved_runs: set[int] = set()  # the runs saved from the runs screen (a crash need not keep them)
        # Under `serve`, the session's folder: the runs screen and the settings' data file stay inside it.
        self.confined_to: Path | None = None
        self.held_out = HeldOutLosses()  # each run's loss on the held-out names (held_out_losses.py)

    def ask_settings(self) -> Change:
        """Open the settings form, filled with the live run's values."""
        return Change(
            ask=AskSettings(
                form_for(self.session.trainer.config, self.session.trainer.engine, self.session.dataset_name)
            )
        )

    def check_settings(
        self, values: Mapping[str, str], engine: str, dataset: str, path: str
    ) -> tuple[NewRun | None, dict[str, str]]:
        """The settings form as typed: a checked run, or a message per field (nothing is allocated)."""
        if self.confined_to is not None and dataset not in BUILT and path.strip():
            try:  # (served: a browser user reads only the session's folder)
                path = str(confined(path, self.confined_to, N_("the data file")))
            except PathError as exc:
                _, errors = self.check_settings(values, engine, CURRENT, "")
                return None, {**errors, "dataset": visible_text(said(exc))}
        return check(
            values, engine, dataset, path, self.session.trainer.config, self.session.docs, self.session.dataset_name
        )

    async def apply_settings(self, choice: NewRun | None) -> Change:
        """The learner applied checked settings: a new run (asking first about unsaved steps)."""
        if choice is None:
            return Change()
        await self.rules.hold_still()
        if choice.extend:
            return self.continue_run(choice)
        if choice.preset == "bigram":
            count = self.bigram_work()
            self.session.start(Job("bigram", lambda cancelled, report: count(), lambda got: self.add_bigram_run(*got)))
            return self.session.say(_("counting which character follows which…"))
        now = self.session.trainer.config
        if (replace(choice.config, temperature=now.temperature), choice.engine, list(choice.docs)) == (
            now,
            self.session.trainer.engine,
            self.session.docs,
        ):
            if choice.config.temperature == self.session.selection.temperature:
                return self.session.say(_("the settings are the live run's: nothing to change"))
            return self.rules.temperature(
                choice.config.temperature - self.session.selection.temperature
            )  # no new run for that
        unsaved = self.session.trainer.step_count - self.session.saved_step
        if unsaved > 0:
            return Change(ask=AskNewRun(unsaved, self.session.current_run.name, str(self.session.save_path), choice))
        return self.start_run(choice)

    async def new_run_answer(self, answer: str | None, choice: NewRun) -> Change:
        """ "save": the new run starts once the checkpoint is written (also after the question about replacing
        someone else's file); "start": at once; None: stay."""
        if answer == "save":

            async def start() -> Change:
                return self.start_run(choice)

            return await self.rules.save(then=start, pending=_("the new run was not started"))
        return self.start_run(choice) if answer == "start" else Change()

    def start_run(self, choice: NewRun, origin: str = "") -> Change:
        """The live run is kept in the runs list; a new trainer with `choice`'s settings takes its place."""
        try:
            trainer = Trainer(list(choice.docs), choice.config, engine=choice.engine)
        except (ConfigError, ValueError) as exc:  # (the form checked these already)
            return self.session.say(_("cannot start the run: {error}").format(error=exc))
        self.keep_current()
        self.rules.install(trainer, list(choice.docs), choice.dataset_name, origin)
        run = self.session.current_run
        what = self.session.book.differs(run) or _("the same settings as run 0")
        return self.session.say(
            _("{run} started ({what}): r trains it, w lists and compares the runs").format(run=run.name, what=what),
            new_run=True,
        )

    def continue_run(self, choice: NewRun) -> Change:
        """Add steps to the live run (same model, seed and data; lr and temperature may change too).

        The schedule stays one straight line, re-drawn to the new total: step t
        uses lr x (1 - t / steps), so the added steps start at
        lr x (1 - done / steps) and decay linearly to 0 at the new last step.
        """
        self.rules.back_to_now()
        trainer, now, new = self.session.trainer, self.session.trainer.config, choice.config
        if replace(new, steps=now.steps, lr=now.lr, temperature=now.temperature) != now or (
            choice.engine,
            list(choice.docs),
        ) != (trainer.engine, self.session.docs):
            return self.session.say(
                _(
                    "continuing keeps the model, seed, engine and data: only steps, lr and temperature may change "
                    "(apply starts a new run for the rest)"
                )
            )
        done = trainer.step_count
        if new.steps <= done:
            return self.session.say(
                _("to continue, steps must be more than the {done} already done (got {steps})").format(
                    done=f"{done:,}", steps=f"{new.steps:,}"
                )
            )
        trainer.retarget(new.steps, new.lr)
        self.session.time.keep(capture(trainer))  # from here on, replays use the new schedule
        self.session.selection = replace(self.session.selection, temperature=new.temperature)
        run = self.session.current_run
        run.config = replace(trainer.config, temperature=new.temperature)
        run.origin = (run.origin + "; " if run.origin else "") + f"continued at step {done:,} to {new.steps:,}"
        first = trainer.optimizer.lr_at(done)
        return self.session.say(
            _(
                "{run} continues to {steps} steps: step {next} at lr {lr}, decaying linearly to 0 at step {steps}. "
                "r trains"
            ).format(run=run.name, steps=f"{new.steps:,}", next=f"{done + 1:,}", lr=decimal(first, 3))
        )

    def bigram_work(self) -> Callable[[], tuple[BigramTable, list[str]]]:
        """What the app runs off the UI thread for the bigram preset: the count table and its samples."""
        docs, tokenizer = list(self.session.docs), self.session.trainer.tokenizer
        block_size, temperature = self.session.trainer.config.block_size, self.session.selection.temperature
        seed = self.session.trainer.config.seed

        def count() -> tuple[BigramTable, list[str]]:
            table = BigramTable(docs, tokenizer, block_size)
            rng = random.Random(seed)  # its own: the trainer's RNG is the run's
            return table, [table.sample(rng, temperature) for _ in range(BIGRAM_SAMPLES)]

        return count

    def add_bigram_run(self, table: BigramTable, names: list[str]) -> Change:
        """The bigram count table as a run in the list: its loss is a level, its samples are its own."""
        samples = SampleLog(self.session.docs)
        for name in reversed(names):
            samples.add(name, f"T {self.session.selection.temperature:g}")
        run = self.session.book.add(
            current=False,
            name="bigram table",
            config=self.session.trainer.config,
            engine="counts",
            dataset=self.session.dataset_name,
            history=RunHistory(self.session.trainer.model.shapes),
            samples=samples,
            uniform=self.session.uniform,
            bigram=table.loss,
            origin="preset: counts of which character follows which; no weights, no training",
            level=table.loss,
            docs=self.session.docs,
        )
        self.session.version += 1
        shown = ", ".join(names[:4])
        return self.session.say(
            _("{run}: loss {loss} with no training at all; it spells {names}, … (w)").format(
                run=run.name, loss=f"{table.loss:.3f}", names=shown
            )
        )

    def keep_current(self) -> None:
        """Before another run becomes live: the current one's final state, so it can still be saved."""
        self.rules.before_another_run()
        run = self.session.current_run
        run.config, run.final, run.rng = (
            self.session.trainer.config,
            capture(self.session.trainer),
            self.session.trainer.rng.getstate(),
        )

    def runs_view(self) -> RunsView:
        return runs_view(self.session.book, self.held_out, self.rules.training)

    def show_runs(self) -> Change:
        self.measure_held_out()
        return Change(ask=self.runs_view())

    def compare(self, a: int, b: int) -> Change:
        """Two runs side by side (the runs screen's c), measured on the held-out names meanwhile."""
        view = self.compare_runs(a, b)
        if view is not None:
            self.measure_held_out()
        return Change(ask=view)

    def held_out_jobs(self) -> list[HeldOutJob]:
        """The held-out measurements still to make (the live run's only while it stands still)."""
        weights = None if self.rules.training else self.session.trainer.model.flat_weights()
        return self.held_out.jobs(self.session.book, weights)

    def measure_held_out(self) -> None:
        """The app measures what is still to measure on the held-out names, off the UI thread (~0.6 s a run)."""
        jobs = self.held_out_jobs()
        if jobs:
            self.session.start(
                Job("held_out", lambda cancelled, report: [job.measure() for job in jobs], self.held_out_landed)
            )

    def run_finished(self) -> Change:
        """The live run took its last step: its held-out figure is measured, and said once it is."""
        self.held_out.announce = self.held_out.key(self.session.current_run, live=True)
        self.measure_held_out()
        return self.session.say(self.finished_note())

    def held_out_landed(self, results: list[Measured]) -> Change:
        self.held_out.landed(results)
        session, announce = self.session, self.held_out.announce
        if announce is None or announce not in {result.key for result in results}:
            return Change()
        self.held_out.announce = None
        held, finished = self.held_out.of(announce), self.finished_note()
        if held is None or session.event != finished:
            return Change()  # (something else happened since: its note stays)
        note = _("{finished}; {held_out}. {hint}").format(
            finished=self.finished_note(hint=False),
            held_out=describe(held, session.current_run.mean_last(100)),
            hint=_(SAMPLE_HINT),
        )
        return session.say(note)

    def finished_note(self, hint: bool = True) -> str:
        n = self.session.trainer.step_count
        done = ngettext("training finished: {count} step", "training finished: {count} steps", n).format(count=f"{n:,}")
        return _("{finished}. {hint}").format(finished=done, hint=_(SAMPLE_HINT)) if hint else done

    def rename_run(self, number: int, name: str) -> Change:
        try:
            run = self.session.book.rename(number, name)
        except (KeyError, ValueError) as exc:
            return self.session.say(str(exc).strip("'\""))
        return self.session.say(_("run {number} is now “{name}”").format(number=number, name=run.name))

    def remove_run(self, number: int) -> Change:
        try:
            run = self.session.book.remove(number)
        except (KeyError, ValueError) as exc:
            return self.session.say(str(exc).strip("'\""))
        self.session.version += 1  # (the loss plot draws one curve fewer)
        return self.session.say(_("removed {run} from the runs list").format(run=run.name))

    async def save_run(self, number: int, path: str) -> Change:
        """Save a run with its checkpoint and its whole loss curve (the live run pauses for it)."""
        run = self.session.book.get(number)
        if run is None:
            return self.session.say(_("there is no run {number}").format(number=number))
        await self.rules.hold_still()
        try:  # (a typed name may be too long for the system, or a symlink loop: asking about it raises too)
            target = self.typed_path(path)
            main = target.resolve() == self.session.save_path.resolve()
            if self.session.save_guard.must_ask(target) if main else taken(target, self.run_files):
                return self.session.say(
                    _("not saved: {path} exists and this session did not write it; type another file name").format(
                        path=target
                    )
                )
            note = saved_runs.save(self.session.trainer if run is self.session.book.current else None, run, target)
        except (CheckpointError, PathError, OSError, RuntimeError) as exc:
            why = reason(exc) if isinstance(exc, OSError) else said(exc)
            note = _("could not save {run}: {reason}").format(run=run.name, reason=why)
            self.session.notify(note, severity="error", timeout=8)
            return self.session.say(note)
        if main:
            self.session.save_guard.wrote(target)
        self.run_files.add(target.resolve())  # (saving there again needs no question)
        self.saved_runs.add(run.number)
        if run is self.session.book.current:
            self.session.saved_step = self.session.trainer.step_count
        self.session.notify(note, title=_("run saved"))
        return self.session.say(note)

    async def load_run(self, path: str) -> Change:
        """Load a saved run back as the live run, with its whole loss curve; the current one stays in the list.
        A script's run (`microgpt-tui check --compare`) joins the list beside it instead: it has no weights."""
        await self.rules.hold_still()
        try:
            target = self.typed_path(path)
            if is_script_run(target):
                return self.add_script_run(read_script_run(target))
            loaded = saved_runs.load(target, self.session.docs)
        except (CheckpointError, PathError, RuntimeError, ScriptRunError) as exc:
            note = _("could not load {path}: {reason}").format(path=path, reason=said(exc))
            self.session.notify(note, severity="error", timeout=8)
            return self.session.say(note)
        self.keep_current()
        self.rules.install(loaded.trainer, self.session.docs, self.session.dataset_name, saved=loaded.saved)
        kept = len(loaded.saved.history)
        if kept:
            curve = ngettext("its loss curve of {count} step", "its loss curve of {count} steps", kept)
        else:
            curve = _("no loss curve (an older checkpoint)")
        return self.session.say(
            _("loaded {run} at step {step} with {curve}").format(
                run=self.session.current_run.name,
                step=f"{loaded.trainer.step_count:,}",
                curve=curve.format(count=f"{kept:,}"),
            ),
            new_run=True,
        )

    def add_script_run(self, script: ScriptRun) -> Change:
        """A learner's script's run in the list: its curve, samples and held-out losses, as the check measured them."""
        samples = SampleLog(self.session.docs)
        for name in reversed(script.samples):
            samples.add(name, f"T {script.config.temperature:g}")
        run = self.session.book.add(
            current=False,
            name=script.name,
            config=script.config,
            engine=SCRIPT_ENGINE,
            dataset=script.dataset,
            history=script.history,
            samples=samples,
            uniform=self.session.uniform,
            origin=script.origin,
            docs=self.session.docs,
            order=script.order,
        )
        key = (run.number, run.steps)
        self.held_out.measured[key] = Measured(key, script.held_out, frozenset(script.seen))
        self.session.version += 1
        return self.session.say(
            ngettext(
                "loaded {run}: a script's run of {count} step (its curve, samples and held-out losses; no weights "
                "to run here). c compares it with the live run",
                "loaded {run}: a script's run of {count} steps (its curve, samples and held-out losses; no weights "
                "to run here). c compares it with the live run",
                run.steps,
            ).format(run=run.name, count=f"{run.steps:,}")
        )

    def typed_path(self, path: str) -> Path:
        """The file a name typed in the runs screen means: `~` expanded, or under `serve` inside the session's
        folder (PathError otherwise: a browser user must not write or read anywhere the server may)."""
        if self.confined_to is not None:
            return confined(path, self.confined_to, N_("the file name"))
        return named(path, N_("the file name")).expanduser()

    def compare_runs(self, a: int, b: int, points: int = 120) -> RunsCompareView | None:
        run_a, run_b = self.session.book.get(a), self.session.book.get(b)
        if run_a is None or run_b is None:
            return None
        return compare_view(self.session.book, run_a, run_b, points, self.held_out, self.rules.training)


def taken(target: Path, ours: set[Path]) -> bool:
    """Whether anything, even a dangling symlink, already has the name `target`, and this session did not write it."""
    return os.path.lexists(target) and target.resolve() not in ours
