"""Provides `Saving`: the lab's intents that save a checkpoint and quit (asking first where steps would be lost).

The state stays on the `Lab` (the one owner); this part holds the intents that write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_engine import CheckpointError, save_checkpoint

from .views import AskOverwrite, AskQuit, Change

if TYPE_CHECKING:
    from .lab import Lab


class Saving:
    """The lab's intents that save a checkpoint and quit (asking first where steps would be lost)."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab

    async def save(self, overwrite: bool = False, then_quit: bool = False) -> Change:
        """Save a checkpoint; a running training pauses for it and then continues.
        A file at the save path that this session did not load or write is replaced only
        once the user says so (`overwrite`): the app asks first."""
        if not overwrite and self.lab.save_guard.must_ask(self.lab.save_path):
            await self.lab.halt()
            return Change(ask=AskOverwrite(str(self.lab.save_path), then_quit))
        was_running = self.lab.run is not None and not self.lab.run.stop_requested  # not once r asked it to pause
        stopped = await self.lab.halt()
        try:
            save_checkpoint(self.lab.trainer, self.lab.save_path)
        except (CheckpointError, OSError) as exc:
            note = f"could not save: {exc}"
            self.lab._notify(note, severity="error", timeout=8)
        else:
            self.lab.save_guard.wrote(self.lab.save_path)
            self.lab.saved_step = self.lab.trainer.step_count
            note = f"saved step {self.lab.saved_step:,} to {self.lab.save_path}"
            self.lab._notify(note, title="checkpoint saved")
        change = self.lab._say(note)
        if was_running and stopped == "paused" and not self.lab.trainer.done:
            self.lab.run_or_pause()
        return change

    async def request_quit(self) -> Change:
        """Quit; with unsaved steps, pause training and ask first."""
        await self.lab.halt()
        unsaved = self.lab.trainer.step_count - self.lab.saved_step
        if unsaved <= 0:
            self.lab.drawing.stop(keep=True)
            return Change(exit=True)
        return Change(ask=AskQuit(unsaved, str(self.lab.save_path)))

    async def quit_answer(self, choice: str | None) -> Change:
        if choice == "save":
            change = await self.save(then_quit=True)
            if self.lab.saved_step != self.lab.trainer.step_count:
                return change  # the save failed and says why, or asks first: stay
        if choice in ("save", "quit"):
            await self.lab.halt()
            self.lab.drawing.stop(keep=True)
            return Change(exit=True)
        return Change()

    async def overwrite_answer(self, overwrite: bool | None, then_quit: bool) -> Change:
        """The user's answer to "replace the checkpoint this session did not write?"."""
        if not overwrite:
            return self.lab._say(f"not saved: {self.lab.save_path} was kept (start with --save FILE to save elsewhere)")
        change = await self.save(overwrite=True)
        if then_quit and self.lab.saved_step == self.lab.trainer.step_count:
            return await self.quit_answer("quit")
        return change
