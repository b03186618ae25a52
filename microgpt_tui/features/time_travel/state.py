"""Provides `TimeTravel`: the intents that look back at earlier steps, compare them and fork from one.

The viewed step is the session's (every panel reads it); this feature writes it, and holds the step
a replay off the UI thread is bringing within reach (`going`, going.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_engine.insight.replay_process import run_apart
from microgpt_engine.insight.timetravel import Replay, Replayed, capture
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.lens import ablation_label, fork_waits_for, record_at
from microgpt_tui.core.reasons import while_replaying
from microgpt_tui.core.said import Said
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import AskFork, AskStep, Change, CompareView, ForkPlan
from microgpt_tui.features.runs.settings_form import check_fork, fork_changes
from microgpt_tui.features.sampling.sample_log import SampleLog
from microgpt_tui.features.time_travel.going import Going
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class TimeTravel:
    """The intents that look back at earlier steps, compare them and fork from one."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self.going = Going()

    @property
    def moving(self) -> bool:
        """A replay is bringing the step asked for within reach (the panels still show the one before)."""
        return self.going.target is not None

    def _shown_step(self) -> int:
        return self.session.time.now if self.session.viewed_step is None else self.session.viewed_step

    async def view_step(self, delta: int) -> Change:
        """Show the model `delta` steps earlier (negative) or later; past the last step is now."""
        await self.rules.hold_still()
        time = self.session.time
        going = self.going
        # (from the step shown, not the one a compare waits for: that one is not on the panels)
        current = going.target if going.target is not None and not going.comparing else self._shown_step()
        target = min(max(current + delta, time.start), time.now)
        if target == time.now:
            if self.session.viewed_step is not None:
                return self.back_to_now()
            note = Said(N_("already at the newest step ({now}, now): , goes back in time"), now=f"{time.now:,}")
            self.session.notify(note, timeout=3)
            return self.session.say(note)
        elif target == current:
            note = Said(N_("step {step} is the earliest there is: . goes forward again"), step=f"{target:,}")
            self.session.notify(note, timeout=3)
            return self.session.say(note)
        return self.go(target)

    async def ask_step(self) -> Change:
        """Ask which step to view (the palette's "go to step…")."""
        await self.rules.hold_still()
        return Change(ask=AskStep(self.session.time.start, self.session.time.now, self.session.viewed_step))

    def go_to(self, step: int | None) -> Change:
        if step is None:
            return Change()
        if step == self.session.time.now:
            return self.back_to_now()
        return self.go(step)

    def go(self, step: int) -> Change:
        """Show `step`: at once when its state is at hand, else once a replay the app runs off the UI thread
        brings it (one replay at a time; the step asked for last wins)."""
        going, time = self.going, self.session.time
        if time.ready(step):
            going.arrived()
            self.view(step)
            return Change()
        going.head_for(step, self._shown_step())  # (the status line says so: Viewer._past_note)
        if going.running is not None:
            return Change()  # when it lands, time travel goes on from there to the target
        going.running = time.plan(step)
        self._start_replay()
        return Change()

    def replay_work(self) -> Replay:
        """The replay the app is to run now (on a worker thread: it touches only its own copy)."""
        assert self.going.running is not None
        return self.going.running

    def _start_replay(self) -> None:
        """The app runs the replay planned in `going` in a process of its own (seconds on a long run), and
        hands what it passed through to `landed`."""
        replay = self.replay_work()
        self.session.start(Job("replay", lambda cancelled, report: run_apart(replay, cancelled), self.landed))

    def landed(self, replayed: Replayed) -> Change:
        """A replay the app ran finished: keep the states it passed through, then show the step asked for last."""
        going = self.going
        if replayed.replay is not going.running:
            return Change()  # planned for a run that is no longer live
        going.running = None
        time = self.session.time
        time.accept(replayed)
        target, comparing, forking = going.target, going.comparing, going.forking
        going.arrived()
        if replayed.error is not None:
            note = Said(N_("time travel stopped: {error}"), error=replayed.error)
            if self.session.viewed_step is not None and not time.ready(self.session.viewed_step):
                self.session.viewed_step = None  # (the replay's states replaced the shown one's: never replayed here)
                note = Said(
                    N_("time travel stopped: {error}; back to now (step {now})"),
                    error=replayed.error,
                    now=f"{time.now:,}",
                )
            self.session.notify(note, severity="error", timeout=10)
            return self.session.say(note)
        if target is None or replayed.cancelled:
            return Change()  # (back to now meanwhile)
        if comparing:
            return self._compare_at(target)
        if forking is not None:
            step, choice, then = forking
            return self.fork_answer(choice, then, waited=True) if self.session.viewed_step == step else Change()
        return self.go(target)

    def select_position(self, position: int | None) -> Change:
        """The compare screen closed on `position` (None: as it was): the panels select it too."""
        if position is not None:
            self.session.set_position(position)
        return Change()

    def view(self, step: int) -> None:
        """Every panel shows the model as it was after `step` updates, on the same document."""
        self.session.viewed_step = step

    def back_to_now(self) -> Change:
        """The live view again: the current weights and the live panels."""
        self.going.arrived()  # (a replay running still lands: its states are kept for the next look back)
        if self.session.viewed_step is None:
            return Change()
        self.session.viewed_step = None
        return self.session.say(Said(N_("back to now: step {now}"), now=f"{self.session.time.now:,}"))

    def wait_for_it(self) -> Change:
        """A key that acts on the viewed step, pressed while a replay brings the next one: say so.

        (They say why rather than greying out: a footer redrawn twice per look back costs the UI thread more
        than the look back itself.)"""
        reason = while_replaying(self.going)
        self.session.notify(reason, timeout=4)
        return self.session.say(reason)

    async def compare(self) -> Change:
        """Step 0, the viewed step (else the middle one) and now, side by side on the same document."""
        await self.rules.hold_still()
        if self.moving:
            return self.wait_for_it()
        time = self.session.time
        middle = self.session.viewed_step if self.session.viewed_step is not None else (time.start + time.now) // 2
        return self._compare_at(middle)

    def _compare_at(self, middle: int) -> Change:
        """Compare with `middle` as the middle column: at once when its state is at hand, else once a replay
        the app runs off the UI thread brings it (the status line says so meanwhile)."""
        going, time = self.going, self.session.time
        if not time.ready(middle):
            going.compare_at(middle)
            if going.running is not None:
                return Change()  # when it lands, time travel goes on from there to the compare
            going.running = time.plan(middle)
            self._start_replay()
            return Change()
        seq, sel = self.session.sequence, self.session.selection
        assert seq is not None
        doc = seq.text[: self.session.trainer.config.block_size]
        middle_name = (
            N_("step {step} (viewed)") if self.session.viewed_step == middle else N_("step {step} (middle)")
        )  # (no step viewed: halfway)
        columns = []
        for step in sorted({time.start, middle, time.now}):  # in increasing order: each replay continues from the last
            name = (
                N_("step {step} (now)")
                if step == time.now
                else (N_("step {step} (start)") if step == time.start else middle_name)
            )
            columns.append((Said(name, step=f"{step:,}"), time.view_at(step, doc, self.rules.ablation)))
        tag = Said(N_("ABLATED {heads}"), heads=ablation_label(self.rules.ablation)) if self.rules.ablation else ""
        view = CompareView(
            doc,
            tuple(columns),
            self.session.vocab_labels,
            sel.layer,
            sel.head,
            self.session.trainer.config.n_head,
            sel.position,
            tag,
        )
        return Change(ask=view)

    def ask_fork(self, then: str) -> Change:
        assert self.session.viewed_step is not None
        step, now, config = self.session.viewed_step, self.session.time.now, self.session.trainer.config
        ask = AskFork(
            step,
            now,
            self.session.time.would_discard(step),
            then,
            config.lr,
            config.steps - step,
            self.session.selection.temperature,
        )
        return Change(ask=ask)

    def check_fork(self, values: Mapping[str, str]) -> tuple[ForkPlan | None, dict[str, str]]:
        """The fork dialog's fields as typed: what the branch would change, or a message per field."""
        step = self.session.viewed_step if self.session.viewed_step is not None else self.session.time.now
        return check_fork(
            values, replace(self.session.trainer.config, temperature=self.session.selection.temperature), step
        )

    def fork_answer(self, choice: object, then: str, waited: bool = False) -> Change:
        """The learner answered the fork question: fork (with a plan: changed settings) and go on
        training, back to now, or stay. A fork whose last step's weights before are not at hand forks once a
        replay off the UI thread brings them (the status line says so meanwhile); `waited`: it did."""
        if choice == "now":
            return self.back_to_now()
        if choice != "fork" and not isinstance(choice, ForkPlan):
            return Change()
        time, step = self.session.time, self.session.viewed_step
        assert step is not None
        before = None if waited else fork_waits_for(time, step)  # (waited once: never a second replay)
        if before is not None:
            going = self.going
            going.fork_at(step, before, choice, then)
            if going.running is not None:
                return Change()  # when it lands, time travel goes on from there to the fork
            # (to the fork step itself unless it is kept: a replay from the snapshot before would drop it)
            going.running = time.plan(before if time.kept(step) else step)
            self._start_replay()
            return self.session.say(going.note)
        forked = self.fork(choice if isinstance(choice, ForkPlan) else None)
        change = self.rules.train(then)
        note = change.note
        then = note if isinstance(note, Said) else (_(note) if note else "")  # (said again after a switch)
        return self.session.say(Said("{forked} · {then}", forked=forked, then=then))

    def fork(self, plan: ForkPlan | None = None) -> Said:
        """Rewind the trainer to the viewed step; the later steps become a run of their own in the list
        (not lost). A plan changes lr, the total steps or the temperature from here on."""
        time, step = self.session.time, self.session.viewed_step
        assert step is not None
        live = self.session.current_run
        self.going.reset()
        discarded = time.fork(step)
        self.rules.forked(live.number, step)  # (its later held-out figures were the old branch's)
        self.session.viewed_step = None
        self.session.version += 1
        self.rules.rewound(record_at(time, step))  # (the embedding map's copy came from the discarded steps)
        latest = self.rules.latest
        self.session.set_sequence(SequenceView.from_step(latest) if latest else self.session.next_document_view())
        self.session.saved_step = min(self.session.saved_step, step)
        changed = ""
        if plan is not None:
            before = self.session.trainer.config
            self.session.trainer.retarget(plan.steps, plan.lr)
            time.keep(capture(self.session.trainer))  # the fork point, with the schedule the branch trains on
            self.session.selection = replace(self.session.selection, temperature=plan.temperature)
            changed = fork_changes(before, self.session.trainer.config, plan.temperature, live.config.temperature)
            live.config = replace(self.session.trainer.config, temperature=plan.temperature)
            if changed:
                live.origin = f"forked at step {step:,}{changed}"
        if len(discarded):
            branch = self.session.book.add(
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
            kept = Said(
                N_("steps {first}–{last} are kept as branch {branch} ({name}, w)"),
                first=f"{step + 1:,}",
                last=f"{step + len(discarded):,}",
                branch=len(time.branches),
                name=branch.name,
            )
        else:
            kept = Said(N_("no later steps to keep"))
        note = Said(N_("forked at step {step}{changed}: {kept}"), step=f"{step:,}", changed=changed, kept=kept)
        self.session.notify(
            Said(N_("{note}; training continues from step {step}"), note=note, step=f"{step:,}"), title=N_("forked")
        )
        self.session.say(note)
        return note
