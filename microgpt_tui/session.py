"""Provides `SessionActions`: what each key does to the training session.

Mixed into `MicroGPTApp`, which holds the state these actions change (mode,
selection, sampler, history) and pushes it into the panels.
"""

import asyncio
import threading

from textual.app import SystemCommand

from microgpt_engine import CheckpointError, Sampler, save_checkpoint

from .bindings import BINDINGS, COMMANDS
from .runner import Outcome
from .screens.help import HelpScreen
from .screens.quit import QuitScreen
from .view import SequenceView


class SessionActions:
    """The app's `action_*` methods: train, sample, navigate, save."""

    # -- training -------------------------------------------------------------------

    def action_step(self):
        """One step on the next document, then that document's loss again after the update."""
        self._stop_sampling()
        record = self.trainer.step(loss_after=True)
        self.timeline.record(record)  # time travel keeps every step (actions_timetravel.py)
        self._absorb([record])
        self.sequence = SequenceView.from_step(record)
        if record.diverged:
            self.note = f"step {record.step} diverged on “{record.doc}”: update not applied"
        else:
            self.note = (
                f"step {record.step} on “{record.doc}”: loss {record.loss:.3f} → "
                f"{record.loss_after:.3f} after the update ({record.loss_after - record.loss:+.3f})"
            )
        self._dirty = True
        self._repaint()
        self.refresh_bindings()  # the last step disables space and r

    def action_run(self):
        """Start continuous training in a worker thread, or ask it to pause."""
        if self.mode == "training":
            self._train_stop.set()
            self.note = "pausing…"
            return
        self._stop_sampling()
        self.rate.reset()
        self.mode = "training"
        self.note = "training: r to pause"
        self._run += 1
        self._wte_copy = self._wte_step = None  # the embedding map waits for this run's first copy
        self._train_stop, self._train_finished = threading.Event(), threading.Event()
        self._train_outcome = Outcome()
        self._train_worker = self._train(self._run, self._train_stop, self._train_finished, self._train_outcome)

    async def _stop_training(self):
        """Ask the training worker to stop, wait until its current step has finished and take in
        every step it took: what the caller does next sees the app exactly where the trainer is.

        Returns why the worker stopped ("paused" unless it finished, diverged or failed meanwhile),
        or None if it was not running.
        """
        worker = self._train_worker
        if worker is None:
            return None
        self._train_stop.set()
        while not self._train_finished.is_set() and not worker.is_finished:
            await asyncio.sleep(0.002)  # the thread ends after its current step
        self._drain()  # its last batches: their wake-ups are still queued behind this action
        outcome = self._train_outcome
        self._training_ended(outcome.reason, outcome.error)  # its TrainingStopped, still queued, is now stale
        return outcome.reason

    # -- sampling -------------------------------------------------------------------

    def action_sample(self):
        """Start a new sample; it reveals one character per sample_interval."""
        self._stop_sampling()
        t = self.trainer
        self.sampler = Sampler(t.model, t.tokenizer, t.rng, self.temperature, ablate=self.ablation)
        self.mode = "sampling"
        self.main.query_one("#samples").current = ""
        self.note = "sampling: n for one character at a time, + / - for temperature"
        self._advance_sample()
        if self.sampler is not None and not self.sampler.done:
            self._sample_timer = self.set_interval(self.sample_interval, self._advance_sample)

    def action_next_char(self):
        """Reveal exactly one more character (auto-advance stops)."""
        if self._sample_timer is not None:
            self._sample_timer.stop()
            self._sample_timer = None
        self._advance_sample()

    def _advance_sample(self, force=None):
        sampler = self.sampler
        if sampler is None or sampler.done:
            return
        try:
            record = sampler.step(force=force)  # force: a token the learner chose (f)
        except ArithmeticError as exc:  # e.g. weights blown up by a huge learning rate
            self._stop_sampling()
            self.note = f"cannot sample: {exc}"
            self.notify(self.note, severity="error", timeout=8)
            self._push_history_status()
            return
        self.sequence = SequenceView.from_samples(sampler.records, self.trainer.tokenizer, self.temperature, self.trainer.step_count)
        self.position = len(sampler.records) - 1
        samples = self.main.query_one("#samples")
        samples.current = sampler.text
        if record.done:
            name, known = self.samples.add(sampler.text)
            samples.current = None
            samples.entries = tuple(self.samples.entries)
            where = "in the training data" if known else self._novelty(name)  # exploring.py
            self.note = f"sampled “{name}” at temperature {sampler.temperature:g} ({where}). s for another."
            self._stop_sampling(keep=True)
            self.mode = "paused"
        else:
            self.mode = "sampling"  # also after a pause that kept the sample (n goes on with it)
        self._push_history_status()

    def _stop_sampling(self, keep=False):
        """Stop auto-advance; unless keep, forget an unfinished sample."""
        if self._sample_timer is not None:
            self._sample_timer.stop()
            self._sample_timer = None
        if not keep and self.sampler is not None and not self.sampler.done:
            self.main.query_one("#samples").current = None
            self.sampler = None
        if self.mode == "sampling":
            self.mode = "paused"

    # -- what is shown --------------------------------------------------------------

    def action_temperature(self, delta):
        low, high = (0.1, 3.0)
        self.temperature = round(min(max(self.temperature + delta, low), high), 2)
        self.note = f"sampling temperature {self.temperature:g}"
        self._push_history_status()

    def action_move(self, delta):
        if self.sequence is not None and len(self.sequence):
            self.position = min(max(self.position + delta, 0), len(self.sequence) - 1)

    def action_head(self, delta):
        self.head = (self.head + delta) % self.trainer.config.n_head

    def action_layer(self, delta):
        self.layer = (self.layer + delta) % self.trainer.config.n_layer

    def action_toggle_heads(self):
        self.all_heads = not self.all_heads

    def _push_history_status(self):
        self.main.query_one("#status").status = self.status()

    # -- saving and quitting ----------------------------------------------------------

    async def action_save(self):
        """Save a checkpoint; a running training pauses for it and then continues."""
        was_running = self.mode == "training" and not self._train_stop.is_set()  # not once r asked it to pause
        stopped = await self._stop_training() if self.mode == "training" else None
        try:
            save_checkpoint(self.trainer, self.save_path)
        except (CheckpointError, OSError) as exc:
            self.note = f"could not save: {exc}"
            self.notify(self.note, severity="error", timeout=8)
        else:
            self.saved_step = self.trainer.step_count
            self.note = f"saved step {self.saved_step:,} to {self.save_path}"
            self.notify(self.note, title="checkpoint saved")
        self._push_history_status()
        if was_running and stopped == "paused" and not self.trainer.done:
            self.action_run()

    # -- help, palette, quit ------------------------------------------------------------

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        for binding in COMMANDS:
            name, _, args = binding.action.partition("(")
            if self.applies(name) is True:  # (the palette itself is a modal screen)
                keys = binding.key_display or binding.key
                yield SystemCommand(
                    f"{binding.description} ({keys})", binding.tooltip, lambda a=binding.action: self.run_action(a)
                )

    def help_rows(self):
        rows = []
        for b in BINDINGS:
            name = b.action.split("(")[0]
            keys = b.key_display or b.key.replace(",", " / ")
            rows.append((keys, b.description, b.tooltip, self.applies(name) is True))
        rows.append(("ctrl+p", "command palette", "Run any of these by name", True))
        return rows

    def action_help(self):
        self.push_screen(HelpScreen(self.help_rows()))

    async def action_quit(self):
        """ctrl+q and the palette's Quit (Textual's): ask about unsaved steps, as q does."""
        if not isinstance(self.screen, QuitScreen):  # (already asking)
            await self.action_request_quit()

    async def action_request_quit(self):
        """Quit; with unsaved steps, pause training and ask first."""
        if self.mode == "training":
            await self._stop_training()
        unsaved = self.trainer.step_count - self.saved_step
        if unsaved <= 0:
            self._stop_everything()
            self.exit()
            return

        async def chosen(choice):
            if choice == "save":
                await self.action_save()
                if self.saved_step != self.trainer.step_count:
                    return  # the save failed and says why: stay
            if choice in ("save", "quit"):
                self._stop_everything()
                self.exit()

        self.push_screen(QuitScreen(unsaved, self.save_path), chosen)

    def _stop_everything(self):
        self._train_stop.set()
        self._stop_sampling(keep=True)
