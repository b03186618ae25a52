"""Provides `Saving`: the intents that save a checkpoint and quit (asking first where steps would be lost).

The file and the step saved last are the session's (`save_path`, `save_guard`, `saved_step`); these
intents write them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_engine import CheckpointError, save_checkpoint
from microgpt_tui.core.said import Said
from microgpt_tui.core.views import AfterSave, AskOverwrite, AskQuit, Change
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Saving:
    """The intents that save a checkpoint and quit (asking first where steps would be lost)."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.quit_chosen = False  # the learner quit (q, answered): any other end of the app keeps the steps

    async def save(self, then: AfterSave | None = None, pending: str = "") -> Change:
        """Save a checkpoint; a running training pauses for it and then continues.

        A file at the save path that this session did not load or write is
        replaced only once the user says so: the app asks first (overwrite_answer).
        `then` is what waits on the save (quit, start a new run): it runs once the
        file is written, also when that happens after the question; a failed or
        declined save leaves everything as it was and says `pending` did not happen.
        """
        was_running = self.rules.training_on  # (not once r asked it to pause)
        stopped = await self.rules.halt()
        resume = was_running and stopped == "paused"
        if self.session.save_guard.must_ask(self.session.save_path):
            return Change(ask=AskOverwrite(str(self.session.save_path), then, pending, resume))
        return await self._write(then, pending, resume)

    async def _write(self, then: AfterSave | None, pending: str, resume: bool) -> Change:
        try:
            save_checkpoint(self.session.trainer, self.session.save_path)
        except (CheckpointError, OSError) as exc:
            self.session.notify(Said(N_("could not save: {error}"), error=str(exc)), severity="error", timeout=8)
            return self._stay(_("could not save"), str(exc), pending, resume)
        self.session.save_guard.wrote(self.session.save_path)
        self.session.saved_step = self.session.trainer.step_count
        note = Said(
            N_("saved step {step} to {path}"), step=f"{self.session.saved_step:,}", path=str(self.session.save_path)
        )
        self.session.notify(note, title=N_("checkpoint saved"))
        if then is not None:
            return await then()
        return self._go_on(self.session.say(note), resume)

    def _stay(self, reason: str, detail: str, pending: str, resume: bool) -> Change:
        """Not saved: nothing that waited on the save happens, the live run goes on as it was, and the note
        says so (what did not happen first: the status line may crop the end)."""
        if pending:
            unsaved = self.session.trainer.step_count - self.session.saved_step
            steps = Said(
                N_("{count} unsaved step") if unsaved == 1 else N_("{count} unsaved steps"), count=f"{unsaved:,}"
            )
            note = Said(
                N_("{reason}, so {pending}: {run} stays live with its {steps}; {detail}"),
                reason=reason,
                pending=pending,
                run=self.session.current_run.name,
                steps=steps,
                detail=detail,
            )
        else:
            note = Said(N_("{reason}: {detail}"), reason=reason, detail=detail)
        return self._go_on(self.session.say(note), resume)

    def _go_on(self, change: Change, resume: bool) -> Change:
        """The training the save paused runs again."""
        if resume and not self.session.trainer.done:
            self.rules.train("run")
        return change

    async def request_quit(self) -> Change:
        """Quit; with unsaved steps, pause training and ask first.

        Training is asked to pause without waiting for its step in flight: the question opens at once and
        its count follows the steps the worker still hands over (`unsaved`, read again as they come in).
        Each answer that acts (save, quit) waits for training to stand still first."""
        if self.rules.training and self.unsaved() > 0:
            self.rules.pause()
            return Change(ask=AskQuit(self.unsaved(), str(self.session.save_path)))
        await self.rules.halt()
        unsaved = self.unsaved()
        if unsaved <= 0:
            return self._quit()
        return Change(ask=AskQuit(unsaved, str(self.session.save_path)))

    def unsaved(self) -> int:
        """Steps since the last save, as far as the UI knows (while training: the steps handed over)."""
        return self.rules.steps_done - self.session.saved_step

    async def quit_answer(self, choice: str | None) -> Change:
        if choice == "save":
            return await self.save(then=self._quit_now, pending=_("the app did not quit"))
        if choice == "quit":
            await self.rules.halt()
            return self._quit()
        return Change()

    async def _quit_now(self) -> Change:
        return self._quit()

    def _quit(self) -> Change:
        self.quit_chosen = True
        self.rules.stop_drawing(keep=True)
        return Change(exit=True)

    async def overwrite_answer(self, overwrite: bool | None, ask: AskOverwrite) -> Change:
        """The user's answer to "replace the checkpoint this session did not write?": on "replace", save and
        carry on with what waited on the save; on "keep" (or escape), nothing is written and nothing changes."""
        await self.rules.halt()  # (nothing trains while the question is open; this makes sure)
        if overwrite:
            return await self._write(ask.then, ask.pending, ask.resume)
        detail = Said(
            N_("{path} was kept (start with --save FILE to save elsewhere)"), path=str(self.session.save_path)
        )
        return self._stay(_("not saved"), detail, ask.pending, ask.resume)
