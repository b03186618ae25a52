"""Provides `Experiments`: the lab's intents for runs side by side: settings, new runs, continuing, the bigram preset,
speed, and the runs screen (rename, remove, save, load, compare).

The session's state stays on the `Lab` (the one owner) and these intents write it; the part keeps only
the files it saved runs to (`run_files`), which nothing else reads.
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

from . import experiments, saved_runs
from .held_out_losses import HeldOutJob, HeldOutLosses, Measured, describe
from .labels import counted, decimal
from .samples import SampleLog
from .settings import NewRun, check, form_for
from .views import AskNewRun, AskSettings, Change, RunsCompareView, RunsView

if TYPE_CHECKING:
    from .lab import Lab

BIGRAM_SAMPLES = 10  # names the bigram preset spells
SAMPLE_HINT = "Press s to sample names."


class Experiments:
    """The lab's intents for runs side by side: settings, new runs, the bigram preset, speed, the runs screen."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.run_files: set[Path] = set()  # files this session saved runs to (it may replace them)
        self.held_out = HeldOutLosses()  # each run's loss on the held-out names (held_out_losses.py)

    def ask_settings(self) -> Change:
        """Open the settings form, filled with the live run's values."""
        return Change(
            ask=AskSettings(form_for(self.lab.trainer.config, self.lab.trainer.engine, self.lab.dataset_name))
        )

    def check_settings(
        self, values: Mapping[str, str], engine: str, dataset: str, path: str
    ) -> tuple[NewRun | None, dict[str, str]]:
        """The settings form as typed: a checked run, or a message per field (nothing is allocated)."""
        return check(values, engine, dataset, path, self.lab.trainer.config, self.lab.docs, self.lab.dataset_name)

    async def apply_settings(self, choice: NewRun | None) -> Change:
        """The learner applied checked settings: a new run (asking first about unsaved steps)."""
        if choice is None:
            return Change()
        await self.lab._hold_still()
        if choice.extend:
            return self.continue_run(choice)
        if choice.preset == "bigram":
            return self.lab._say("counting which character follows which…", work="bigram")
        now = self.lab.trainer.config
        if (replace(choice.config, temperature=now.temperature), choice.engine, list(choice.docs)) == (
            now,
            self.lab.trainer.engine,
            self.lab.docs,
        ):
            if choice.config.temperature == self.lab.selection.temperature:
                return self.lab._say("the settings are the live run's: nothing to change")
            return self.lab.temperature(
                choice.config.temperature - self.lab.selection.temperature
            )  # no new run for that
        unsaved = self.lab.trainer.step_count - self.lab.saved_step
        if unsaved > 0:
            return Change(ask=AskNewRun(unsaved, self.lab.current_run.name, str(self.lab.save_path), choice))
        return self.start_run(choice)

    async def new_run_answer(self, answer: str | None, choice: NewRun) -> Change:
        """ "save": the new run starts once the checkpoint is written (also after the question about replacing
        someone else's file); "start": at once; None: stay."""
        if answer == "save":

            async def start() -> Change:
                return self.start_run(choice)

            return await self.lab.saving.save(then=start, pending="the new run was not started")
        return self.start_run(choice) if answer == "start" else Change()

    def start_run(self, choice: NewRun, origin: str = "") -> Change:
        """The live run is kept in the runs list; a new trainer with `choice`'s settings takes its place."""
        try:
            trainer = Trainer(list(choice.docs), choice.config, engine=choice.engine)
        except (ConfigError, ValueError) as exc:  # (the form checked these already)
            return self.lab._say(f"cannot start the run: {exc}")
        self.keep_current()
        self.lab._install(trainer, list(choice.docs), choice.dataset_name, origin)
        self.lab.sequence = self.lab._next_document_view()
        run = self.lab.current_run
        what = self.lab.book.differs(run) or "the same settings as run 0"
        return self.lab._say(f"{run.name} started ({what}): r trains it, w lists and compares the runs", new_run=True)

    def continue_run(self, choice: NewRun) -> Change:
        """Add steps to the live run (same model, seed and data; lr and temperature may change too).

        The schedule stays one straight line, re-drawn to the new total: step t
        uses lr x (1 - t / steps), so the added steps start at
        lr x (1 - done / steps) and decay linearly to 0 at the new last step.
        """
        self.lab.travel.back_to_now()
        trainer, now, new = self.lab.trainer, self.lab.trainer.config, choice.config
        if replace(new, steps=now.steps, lr=now.lr, temperature=now.temperature) != now or (
            choice.engine,
            list(choice.docs),
        ) != (trainer.engine, self.lab.docs):
            return self.lab._say(
                "continuing keeps the model, seed, engine and data: only steps, lr and temperature may change "
                "(apply starts a new run for the rest)"
            )
        done = trainer.step_count
        if new.steps <= done:
            return self.lab._say(f"to continue, steps must be more than the {done:,} already done (got {new.steps:,})")
        trainer.retarget(new.steps, new.lr)
        self.lab.time.keep(capture(trainer))  # from here on, replays use the new schedule
        self.lab.selection = replace(self.lab.selection, temperature=new.temperature)
        run = self.lab.current_run
        run.config = replace(trainer.config, temperature=new.temperature)
        run.origin = (run.origin + "; " if run.origin else "") + f"continued at step {done:,} to {new.steps:,}"
        first = trainer.optimizer.lr_at(done)
        return self.lab._say(
            f"{run.name} continues to {new.steps:,} steps: step {done + 1:,} at lr {decimal(first, 3)}, "
            f"decaying linearly to 0 at step {new.steps:,}. r trains"
        )

    def bigram_work(self) -> Callable[[], tuple[BigramTable, list[str]]]:
        """What the app runs off the UI thread for the bigram preset: the count table and its samples."""
        docs, tokenizer = list(self.lab.docs), self.lab.trainer.tokenizer
        block_size, temperature = self.lab.trainer.config.block_size, self.lab.selection.temperature
        seed = self.lab.trainer.config.seed

        def count() -> tuple[BigramTable, list[str]]:
            table = BigramTable(docs, tokenizer, block_size)
            rng = random.Random(seed)  # its own: the trainer's RNG is the run's
            return table, [table.sample(rng, temperature) for _ in range(BIGRAM_SAMPLES)]

        return count

    def add_bigram_run(self, table: BigramTable, names: list[str]) -> Change:
        """The bigram count table as a run in the list: its loss is a level, its samples are its own."""
        samples = SampleLog(self.lab.docs)
        for name in reversed(names):
            samples.add(name, f"T {self.lab.selection.temperature:g}")
        run = self.lab.book.add(
            current=False,
            name="bigram table",
            config=self.lab.trainer.config,
            engine="counts",
            dataset=self.lab.dataset_name,
            history=RunHistory(self.lab.trainer.model.shapes),
            samples=samples,
            uniform=self.lab.uniform,
            bigram=table.loss,
            origin="preset: counts of which character follows which; no weights, no training",
            level=table.loss,
            docs=self.lab.docs,
        )
        self.lab.version += 1
        shown = ", ".join(names[:4])
        return self.lab._say(f"{run.name}: loss {table.loss:.3f} with no training at all; it spells {shown}, … (w)")

    def keep_current(self) -> None:
        """Before another run becomes live: the current one's final state, so it can still be saved."""
        self.lab.quizzing.leave_quiz()
        self.lab.drawing.stop()
        run = self.lab.current_run
        run.config, run.final, run.rng = (
            self.lab.trainer.config,
            capture(self.lab.trainer),
            self.lab.trainer.rng.getstate(),
        )

    def speed(self, delta: int) -> Change:
        """Train slower or faster: 1, 2, 5, 10, 30 steps a second or as fast as it goes."""
        stepping = self.lab.stepping
        if not stepping.change_speed(delta):
            end = f"{stepping.pace.label} is the {'slowest' if delta < 0 else 'fastest'} there is"
            self.lab._notify(end, timeout=3)
            return self.lab._say(f"speed: {end} ({'} is faster' if delta < 0 else '{ is slower'})")
        return self.lab._say(f"speed: {stepping.pace.label}")

    def runs_view(self) -> RunsView:
        return experiments.runs_view(self.lab.book, self.held_out, self.lab.training)

    def show_runs(self) -> Change:
        return Change(ask=self.runs_view(), work="held_out")

    def held_out_jobs(self) -> list[HeldOutJob]:
        """The held-out measurements still to make (the live run's only while it stands still)."""
        lab = self.lab
        weights = None if lab.training else lab.trainer.model.flat_weights()
        return self.held_out.jobs(lab.book, weights)

    def measure_after_run(self) -> None:
        """The live run finished: its held-out figure is said once measured."""
        self.held_out.announce = self.held_out.key(self.lab.current_run, live=True)

    def held_out_landed(self, results: list[Measured]) -> Change:
        self.held_out.landed(results)
        lab, announce = self.lab, self.held_out.announce
        if announce is None or announce not in {result.key for result in results}:
            return Change()
        self.held_out.announce = None
        held, finished = self.held_out.of(announce), self.finished_note()
        if held is None or lab.event != finished:
            return Change()  # (something else happened since: its note stays)
        note = f"{self.finished_note(hint=False)}; {describe(held, lab.current_run.mean_last(100))}. {SAMPLE_HINT}"
        return lab._say(note)

    def finished_note(self, hint: bool = True) -> str:
        done = f"training finished: {counted(self.lab.trainer.step_count, 'step')}"
        return f"{done}. {SAMPLE_HINT}" if hint else done

    def rename_run(self, number: int, name: str) -> Change:
        try:
            run = self.lab.book.rename(number, name)
        except (KeyError, ValueError) as exc:
            return self.lab._say(str(exc).strip("'\""))
        return self.lab._say(f"run {number} is now “{run.name}”")

    def remove_run(self, number: int) -> Change:
        try:
            run = self.lab.book.remove(number)
        except (KeyError, ValueError) as exc:
            return self.lab._say(str(exc).strip("'\""))
        self.lab.version += 1  # (the loss plot draws one curve fewer)
        return self.lab._say(f"removed {run.name} from the runs list")

    async def save_run(self, number: int, path: str) -> Change:
        """Save a run with its checkpoint and its whole loss curve (the live run pauses for it)."""
        run = self.lab.book.get(number)
        if run is None:
            return self.lab._say(f"there is no run {number}")
        await self.lab._hold_still()
        target = Path(path).expanduser()
        try:  # (a typed name may be too long for the system, or a symlink loop: asking about it raises too)
            main = target.resolve() == self.lab.save_path.resolve()
            if self.lab.save_guard.must_ask(target) if main else taken(target, self.run_files):
                return self.lab._say(
                    f"not saved: {target} exists and this session did not write it; type another file name"
                )
            note = saved_runs.save(self.lab.trainer if run is self.lab.book.current else None, run, target)
        except (CheckpointError, OSError, RuntimeError) as exc:
            note = f"could not save {run.name}: {getattr(exc, 'strerror', None) or exc}"
            self.lab._notify(note, severity="error", timeout=8)
            return self.lab._say(note)
        if main:
            self.lab.save_guard.wrote(target)
        self.run_files.add(target.resolve())  # (saving there again needs no question)
        if run is self.lab.book.current:
            self.lab.saved_step = self.lab.trainer.step_count
        self.lab._notify(note, title="run saved")
        return self.lab._say(note)

    async def load_run(self, path: str) -> Change:
        """Load a saved run back as the live run, with its whole loss curve; the current one stays in the list."""
        await self.lab._hold_still()
        try:
            loaded = saved_runs.load(Path(path).expanduser(), self.lab.docs)
        except CheckpointError as exc:
            note = f"could not load {path}: {exc}"
            self.lab._notify(note, severity="error", timeout=8)
            return self.lab._say(note)
        self.keep_current()
        self.lab._install_saved(loaded.trainer, self.lab.docs, self.lab.dataset_name, loaded.saved)
        self.lab.sequence = self.lab._next_document_view()
        kept = len(loaded.saved.history)
        curve = f"its loss curve of {counted(kept, 'step')}" if kept else "no loss curve (an older checkpoint)"
        return self.lab._say(
            f"loaded {self.lab.current_run.name} at step {loaded.trainer.step_count:,} with {curve}", new_run=True
        )

    def compare_runs(self, a: int, b: int, points: int = 120) -> RunsCompareView | None:
        run_a, run_b = self.lab.book.get(a), self.lab.book.get(b)
        if run_a is None or run_b is None:
            return None
        return experiments.compare_view(self.lab.book, run_a, run_b, points, self.held_out, self.lab.training)


def taken(target: Path, ours: set[Path]) -> bool:
    """Whether anything, even a dangling symlink, already has the name `target`, and this session did not write it."""
    return os.path.lexists(target) and target.resolve() not in ours
