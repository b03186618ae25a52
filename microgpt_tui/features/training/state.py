"""Provides `Stepping`: training, its state and its intents (one step, run or pause, the run's steps taken in).

This part owns what training leaves behind between intents: the run in
progress (`run`, a `TrainingRun`), the last step's full record (`latest`),
the embedding rows the worker handed over last (`wte`), the speed (`pace`)
and the measured steps per second (`rate`). Others read these properties;
only the intents here (and `reset` / `rewound` / `change_speed`, called by
the rules and the features that start another run, fork or change the speed)
write them. What a step asks of other features (the quiz closes, an ablation ends, a
sample half-drawn is dropped) goes through `Interlocks.before_training`.

Training runs on a worker thread the app starts for `run` (its `Job`: `TrainingRun.work`);
this part takes its steps in on the UI thread (`take_steps`) and never reads
the trainer while it trains, except through the run's hand-overs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from microgpt_engine import StepRecord
from microgpt_tui.core.jobs import Job
from microgpt_tui.core.said import Said
from microgpt_tui.core.sequence import SequenceView
from microgpt_tui.core.views import Change
from microgpt_tui.features.training.run import Batch, Limit, Pace, RateMeter, TrainingRun
from microgpt_tui.features.training.step_effect import most_changed
from microgpt_tui.language import N_, _

if TYPE_CHECKING:
    from microgpt_tui.core.interlocks import Interlocks
    from microgpt_tui.core.session import Session


class Stepping:
    """The training run in progress, the last step's record, the speed, and the intents that train."""

    def __init__(self, session: Session, rules: Interlocks) -> None:
        self.session, self.rules = session, rules
        self._run: TrainingRun | None = None  # training in progress
        self._runs = 0  # runs started this session (each run's id)
        self._rate = RateMeter()
        self._pace = Pace()  # steps per second while training runs (None: as fast as it can)
        self._latest: StepRecord | None = None  # the last step's full record
        self._wte: tuple[int, tuple] | None = None  # (step, wte) the training worker last handed over
        self._stopped_by_itself = False  # the last run ended without the learner pausing it
        self._then_run = False  # r again after a pause its worker had already acted on: train on once it stops
        self.limits: Callable[[], Limit | None] = lambda: None  # a replay's: how far each new run may train

    @property
    def run(self) -> TrainingRun | None:
        """The training in progress (None: none)."""
        return self._run

    @property
    def rate(self) -> RateMeter:
        return self._rate

    @property
    def pace(self) -> Pace:
        return self._pace

    @property
    def latest(self) -> StepRecord | None:
        """The last step's full record (None: no step yet on this run)."""
        return self._latest

    @property
    def wte(self) -> tuple[int, tuple] | None:
        """(step, wte rows) the training worker last handed over (None: none yet on this run)."""
        return self._wte

    def reset(self) -> None:
        """Another run is live: no step of it taken in yet."""
        self._latest = None
        self._wte = None

    def rewound(self, record: StepRecord | None) -> None:
        """The run forked back to `record`'s step: the later steps (and the embedding copy from them) are gone."""
        self._latest = record
        self._wte = None

    def change_speed(self, delta: int) -> bool:
        """Train slower (delta < 0) or faster; False if already the slowest or fastest. The rate is measured anew."""
        moved = self._pace.move(delta)
        self._rate.reset()
        return moved

    def speed(self, delta: int) -> Change:
        """Train slower or faster: 1, 2, 5, 10, 30 steps a second or as fast as it goes."""
        if not self.change_speed(delta):
            pace = self.pace_words()
            if delta < 0:
                end = Said(N_("{pace} is the slowest there is"), pace=pace)
                self.session.notify(end, timeout=3)
                return self.session.say(Said(N_("speed: {pace} is the slowest there is (}} is faster)"), pace=pace))
            end = Said(N_("{pace} is the fastest there is"), pace=pace)
            self.session.notify(end, timeout=3)
            return self.session.say(Said(N_("speed: {pace} is the fastest there is ({{ is slower)"), pace=pace))
        return self.session.say(Said(N_("speed: {pace}"), pace=self.pace_words()))

    def pace_words(self) -> str:
        """The pace as the notes say it: its label (max speed, 5 steps/s), said again after a switch."""
        rate = self._pace.rate
        if rate is None:
            return _(self._pace.label)
        return Said(N_("{rate} step/s") if rate == 1 else N_("{rate} steps/s"), rate=f"{rate:g}")

    def ended_by_itself(self) -> bool:
        """The last run ended without the learner pausing it (finished or failed); asking forgets it."""
        ended, self._stopped_by_itself = self._stopped_by_itself, False
        return ended

    def step(self) -> Change:
        """One step on the next document, then that document's loss again after the update."""
        session = self.session
        held = self.rules.training_held("step")
        if held is not None:
            return held
        self.rules.before_training()
        # space is a run of one step, taken here on the UI thread (~6 ms) and handed over as r's steps are
        run = TrainingRun(0, session.trainer, session.time.due, steps=1, loss_after=True)
        run.work(lambda: None)
        batches = run.take()
        for batch in batches:
            self._take(batch, measured=False)
        records = [record for batch in batches for record in batch.records]
        if not records:  # (the trainer raised: said, and the app stays usable)
            note = Said(N_("the step failed: {error}"), error=run.outcome.error or run.outcome.reason)
            session.notify(note, severity="error", timeout=10)
            return session.say(note)
        record = records[-1]
        session.set_sequence(SequenceView.from_step(record))
        if record.diverged:
            return session.say(
                Said(N_("step {step} diverged on “{doc}”: update not applied"), step=record.step, doc=record.doc)
            )
        assert record.loss_after is not None and record.after is not None
        moved = most_changed(
            [p.probs for p in record.positions], [p.probs for p in record.after.positions], session.vocab_labels
        )
        return session.say(
            Said(
                N_("step {step} on “{doc}”: loss {before} → {after} after the update ({change}) · {moved}"),
                step=record.step,
                doc=record.doc,
                before=f"{record.loss:.3f}",
                after=f"{record.loss_after:.3f}",
                change=f"{record.loss_after - record.loss:+.3f}",
                moved=moved,
            )
        )

    def run_or_pause(self) -> Change:
        """Start continuous training (the app starts `run`'s worker), or ask it to pause.

        r again before a pause took effect takes the pause back: the same run (and thread) trains on, so a
        burst of r's starts one worker and an odd count of them trains. If the worker has already acted on
        the pause, training starts again as soon as it has stopped (`_run_ended`).
        """
        session, rules = self.session, self.rules
        if self._run is not None:
            if self._run.stop_requested and not self._then_run:
                self._then_run = not self._run.take_back_stop()
                return session.say(N_("training: r to pause"))
            self._then_run = False
            rules.leave_quiz()
            self._run.request_stop()
            return session.say(N_("pausing…"))
        held = rules.training_held("run")
        if held is not None:
            return held
        rules.before_training()
        self._rate.reset()
        self._runs += 1
        self._wte = None  # the embedding map waits for this run's first hand-over
        run = self._run = TrainingRun(
            self._runs,
            session.trainer,
            session.time.due,
            pace=lambda: self._pace.rate,
            wants_state=lambda: rules.matrix_open,
            limit=self.limits(),
        )
        # (a pause asks the run to stop rather than cancelling its worker: a cancelled worker whose thread has
        # not started yet would never say it finished)
        session.start(
            Job(
                "training",
                lambda cancelled, report: run.work(report, cancelled),
                lambda _: self.take_steps(run.id),
                progress=lambda: self._progress(run),
            )
        )
        return session.say(N_("training: r to pause"))

    def _progress(self, run: TrainingRun) -> Change | None:
        """The worker handed steps over: taken in; None while it trains on (the app redraws at its own
        pace), else what its end said."""
        change = self.take_steps(run.id)
        return None if self._run is run else change

    def pause(self) -> None:
        """Ask the worker to stop after its step, without waiting for it (`halt` waits); an r after this
        takes the pause back as after r's own."""
        if self._run is not None:
            self._then_run = False
            self._run.request_stop()

    def take_steps(self, run_id: int | None = None) -> Change:
        """Take in every step the worker handed over; once it has finished, end the run. Returns the note."""
        session, run = self.session, self._run
        if run is None or (run_id is not None and run_id != run.id):
            return Change()  # a run already ended and waited for
        batches = run.take()
        for batch in batches:
            self._take(batch)
        if batches and self._latest is not None:
            session.set_sequence(SequenceView.from_step(self._latest))  # the last step's document
        return self._run_ended() if run.finished else Change()

    async def halt(self) -> str | None:
        """Ask the worker to stop, wait until its step has finished and take in every step it took:
        what happens next sees the session exactly where the trainer is.

        Returns why it stopped ("paused" unless it finished, diverged or failed meanwhile), or None.
        """
        run = self._run
        if run is None:
            return None
        self._then_run = False  # (standing still: an r before this no longer restarts it)
        run.request_stop()
        await run.wait_async()
        self.take_steps(run.id)
        return run.outcome.reason

    def _run_ended(self) -> Change:
        """The worker takes no more steps: back to paused, and say why."""
        session = self.session
        assert self._run is not None
        outcome, self._run = self._run.outcome, None
        self._stopped_by_itself = outcome.reason != "paused"
        then_run, self._then_run = self._then_run, False
        if then_run and outcome.reason == "paused":
            return self.run_or_pause()  # (the r that came too late to take the pause back: a new run)
        if self._latest is not None:
            session.set_sequence(SequenceView.from_step(self._latest))
        step = session.trainer.step_count
        if outcome.reason == "done":
            return self.rules.run_finished()  # (the runs feature measures it on the held-out names)
        if outcome.reason == "diverged":
            note = Said(
                N_("training diverged at step {next}: the loss is no longer a number; weights kept from step {step}"),
                next=step + 1,
                step=step,
            )
        elif outcome.reason == "error":
            note = Said(N_("training stopped: {error}"), error=outcome.error)
        else:
            return session.say(
                Said(N_("paused at step {step}. r to continue, space for one step, s to sample."), step=f"{step:,}")
            )
        session.notify(note, severity="error", timeout=10)
        return session.say(note)

    def _take(self, batch: Batch, measured: bool = True) -> None:
        """Keep what a run handed over: its steps, the states time travel keeps, the weights the last step
        started from, the matrix view's numbers; `measured`: the steps count towards the rate (a run's)."""
        session = self.session
        for record in batch.records:
            self._keep(record)
        for snap in batch.snapshots:
            session.time.keep(snap)
        if batch.before is not None:
            session.time.keep_before(*batch.before)
        if batch.state is not None:
            self.rules.hand_matrix_state(batch.state)
        last = batch.records[-1] if batch.records else self._latest
        if last is not None:
            if measured:
                self._rate.add(last.step, batch.at)
            self._wte = (last.step - 1 if last.diverged else last.step, batch.wte)  # (a diverged step: not applied)

    def _keep(self, record: StepRecord) -> None:
        self.session.history.append(record)  # (a diverged step is not kept)
        self._latest = record
        self.session.version += 1
