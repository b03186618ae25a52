"""Provides `TimeTravel`: the lab's intents that look back at earlier steps, compare them and fork from one.

The state stays on the `Lab` (the one owner); this part holds the intents that write it, and the step
a replay off the UI thread is bringing within reach (`going`, going.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from microgpt_engine.insight.timetravel import Replay, Replayed, capture

from .going import Going
from .lens import ablation_label, fork_waits_for, record_at
from .reasons import while_replaying
from .samples import SampleLog
from .sequence import SequenceView
from .settings import check_fork, fork_changes
from .views import AskFork, AskStep, Change, CompareView, ForkPlan

if TYPE_CHECKING:
    from .lab import Lab


class TimeTravel:
    """The lab's intents that look back at earlier steps, compare them and fork from one."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.going = Going()

    @property
    def moving(self) -> bool:
        """A replay is bringing the step asked for within reach (the panels still show the one before)."""
        return self.going.target is not None

    def _shown_step(self) -> int:
        return self.lab.time.now if self.lab.viewed_step is None else self.lab.viewed_step

    async def view_step(self, delta: int) -> Change:
        """Show the model `delta` steps earlier (negative) or later; past the last step is now."""
        await self.lab._hold_still()
        time = self.lab.time
        going = self.going
        # (from the step shown, not the one a compare waits for: that one is not on the panels)
        current = going.target if going.target is not None and not going.comparing else self._shown_step()
        target = min(max(current + delta, time.start), time.now)
        if target == time.now:
            if self.lab.viewed_step is not None:
                return self.back_to_now()
            note = f"already at the newest step ({time.now:,}, now): , goes back in time"
            self.lab._notify(note, timeout=3)
            return self.lab._say(note)
        elif target == current:
            note = f"step {target:,} is the earliest there is: . goes forward again"
            self.lab._notify(note, timeout=3)
            return self.lab._say(note)
        return self.go(target)

    async def ask_step(self) -> Change:
        """Ask which step to view (the palette's "go to step…")."""
        await self.lab._hold_still()
        return Change(ask=AskStep(self.lab.time.start, self.lab.time.now, self.lab.viewed_step))

    def go_to(self, step: int | None) -> Change:
        if step is None:
            return Change()
        if step == self.lab.time.now:
            return self.back_to_now()
        return self.go(step)

    def go(self, step: int) -> Change:
        """Show `step`: at once when its state is at hand, else once a replay the app runs off the UI thread
        brings it (one replay at a time; the step asked for last wins)."""
        going, time = self.going, self.lab.time
        if time.ready(step):
            going.arrived()
            self.view(step)
            return Change()
        going.head_for(step, self._shown_step())  # (the status line says so: Viewer._past_note)
        if going.running is not None:
            return Change()  # when it lands, the lab goes on from there to the target
        going.running = time.plan(step)
        return Change(work="replay")

    def replay_work(self) -> Replay:
        """The replay the app is to run now (on a worker thread: it touches only its own copy)."""
        assert self.going.running is not None
        return self.going.running

    def landed(self, replayed: Replayed) -> Change:
        """A replay the app ran finished: keep the states it passed through, then show the step asked for last."""
        going = self.going
        if replayed.replay is not going.running:
            return Change()  # planned for a run that is no longer live
        going.running = None
        time = self.lab.time
        time.accept(replayed)
        target, comparing, forking = going.target, going.comparing, going.forking
        going.arrived()
        if replayed.error is not None:
            note = f"time travel stopped: {replayed.error}"
            if self.lab.viewed_step is not None and not time.ready(self.lab.viewed_step):
                self.lab.viewed_step = None  # (the replay's states replaced the shown one's: never replayed here)
                note += f"; back to now (step {time.now:,})"
            self.lab._notify(note, severity="error", timeout=10)
            return self.lab._say(note)
        if target is None or replayed.cancelled:
            return Change()  # (back to now meanwhile)
        if comparing:
            return self._compare_at(target)
        if forking is not None:
            step, choice, then = forking
            return self.fork_answer(choice, then, waited=True) if self.lab.viewed_step == step else Change()
        return self.go(target)

    def view(self, step: int) -> None:
        """Every panel shows the model as it was after `step` updates, on the same document."""
        self.lab.viewed_step = step

    def back_to_now(self) -> Change:
        """The live view again: the current weights and the live panels."""
        self.going.arrived()  # (a replay running still lands: its states are kept for the next look back)
        if self.lab.viewed_step is None:
            return Change()
        self.lab.viewed_step = None
        return self.lab._say(f"back to now: step {self.lab.time.now:,}")

    def wait_for_it(self) -> Change:
        """A key that acts on the viewed step, pressed while a replay brings the next one: say so.

        (They say why rather than greying out: a footer redrawn twice per look back costs the UI thread more
        than the look back itself.)"""
        reason = while_replaying(self.lab)
        self.lab._notify(reason, timeout=4)
        return self.lab._say(reason)

    async def compare(self) -> Change:
        """Step 0, the viewed step (else the middle one) and now, side by side on the same document."""
        await self.lab._hold_still()
        if self.moving:
            return self.wait_for_it()
        time = self.lab.time
        middle = self.lab.viewed_step if self.lab.viewed_step is not None else (time.start + time.now) // 2
        return self._compare_at(middle)

    def _compare_at(self, middle: int) -> Change:
        """Compare with `middle` as the middle column: at once when its state is at hand, else once a replay
        the app runs off the UI thread brings it (the status line says so meanwhile)."""
        going, time = self.going, self.lab.time
        if not time.ready(middle):
            going.compare_at(middle)
            if going.running is not None:
                return Change()  # when it lands, the lab goes on from there to the compare
            going.running = time.plan(middle)
            return Change(work="replay")
        seq, sel = self.lab.sequence, self.lab.selection
        assert seq is not None
        doc = seq.text[: self.lab.trainer.config.block_size]
        middle_name = "viewed" if self.lab.viewed_step == middle else "middle"  # (no step viewed: halfway)
        columns = []
        for step in sorted({time.start, middle, time.now}):  # in increasing order: each replay continues from the last
            name = "now" if step == time.now else ("start" if step == time.start else middle_name)
            columns.append((f"step {step:,} ({name})", time.view_at(step, doc, self.lab.interventions.ablation)))
        tag = f"ABLATED {ablation_label(self.lab.interventions.ablation)}" if self.lab.interventions.ablation else ""
        view = CompareView(
            doc,
            tuple(columns),
            self.lab.vocab_labels,
            sel.layer,
            sel.head,
            self.lab.trainer.config.n_head,
            sel.position,
            tag,
        )
        return Change(ask=view)

    def ask_fork(self, then: str) -> Change:
        assert self.lab.viewed_step is not None
        step, now, config = self.lab.viewed_step, self.lab.time.now, self.lab.trainer.config
        ask = AskFork(
            step,
            now,
            self.lab.time.would_discard(step),
            then,
            config.lr,
            config.steps - step,
            self.lab.selection.temperature,
        )
        return Change(ask=ask)

    def check_fork(self, values: Mapping[str, str]) -> tuple[ForkPlan | None, dict[str, str]]:
        """The fork dialog's fields as typed: what the branch would change, or a message per field."""
        step = self.lab.viewed_step if self.lab.viewed_step is not None else self.lab.time.now
        return check_fork(values, replace(self.lab.trainer.config, temperature=self.lab.selection.temperature), step)

    def fork_answer(self, choice: object, then: str, waited: bool = False) -> Change:
        """The learner answered the fork question: fork (with a plan: changed settings) and go on
        training, back to now, or stay. A fork whose last step's weights before are not at hand forks once a
        replay off the UI thread brings them (the status line says so meanwhile); `waited`: it did."""
        if choice == "now":
            return self.back_to_now()
        if choice != "fork" and not isinstance(choice, ForkPlan):
            return Change()
        time, step = self.lab.time, self.lab.viewed_step
        assert step is not None
        before = None if waited else fork_waits_for(time, step)  # (waited once: never a second replay)
        if before is not None:
            going = self.going
            going.fork_at(step, before, choice, then)
            if going.running is not None:
                return Change()  # when it lands, the lab goes on from there to the fork
            # (to the fork step itself unless it is kept: a replay from the snapshot before would drop it)
            going.running = time.plan(before if time.kept(step) else step)
            return self.lab._say(going.note, work="replay")
        forked = self.fork(choice if isinstance(choice, ForkPlan) else None)
        change = self.lab.step() if then == "step" else self.lab.run_or_pause()
        return self.lab._say(f"{forked} · {change.note}")

    def fork(self, plan: ForkPlan | None = None) -> str:
        """Rewind the trainer to the viewed step; the later steps become a run of their own in the list
        (not lost). A plan changes lr, the total steps or the temperature from here on."""
        time, step = self.lab.time, self.lab.viewed_step
        assert step is not None
        live = self.lab.current_run
        self.going.reset()
        discarded = time.fork(step)
        self.lab.experiments.held_out.forked(live.number, step)  # (its later held-out figures were the old branch's)
        self.lab.viewed_step = None
        self.lab.version += 1
        self.lab.stepping.rewound(record_at(time, step))  # (the embedding map's copy came from the discarded steps)
        latest = self.lab.stepping.latest
        self.lab._set_sequence(SequenceView.from_step(latest) if latest else self.lab._next_document_view())
        self.lab.saved_step = min(self.lab.saved_step, step)
        changed = ""
        if plan is not None:
            before = self.lab.trainer.config
            self.lab.trainer.retarget(plan.steps, plan.lr)
            time.keep(capture(self.lab.trainer))  # the fork point, with the schedule the branch trains on
            self.lab.selection = replace(self.lab.selection, temperature=plan.temperature)
            changed = fork_changes(before, self.lab.trainer.config, plan.temperature, live.config.temperature)
            live.config = replace(self.lab.trainer.config, temperature=plan.temperature)
            if changed:
                live.origin = f"forked at step {step:,}{changed}"
        if len(discarded):
            branch = self.lab.book.add(
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
            steps = f"steps {step + 1:,}–{step + len(discarded):,}"
            kept = f"{steps} are kept as branch {len(time.branches)} ({branch.name}, w)"
        else:
            kept = "no later steps to keep"
        note = f"forked at step {step:,}{changed}: {kept}"
        self.lab._notify(f"{note}; training continues from step {step:,}", title="forked")
        self.lab._say(note)
        return note
