"""Provides `Stepping`: training, its state and its intents (one step, run or pause, the run's steps taken in).

This part owns what training leaves behind between intents: the run in
progress (`run`, a `TrainingRun`), the last step's full record (`latest`),
the embedding rows the worker handed over last (`wte`), the speed (`pace`)
and the measured steps per second (`rate`). Others read these properties;
only the intents here (and `reset` / `rewound` / `change_speed`, called by
the lab and the parts that start another run, fork or change the speed)
write them. The rules between features stay on the lab: a step first calls
`Lab._before_training`.

Training runs on a worker thread the app starts for `run` (`TrainingRun.work`);
this part takes its steps in on the UI thread (`take_steps`) and never reads
the trainer while it trains, except through the run's hand-overs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from microgpt_engine import StepRecord
from microgpt_engine.insight.timetravel import capture

from .sequence import SequenceView
from .step_effect import most_changed
from .training_run import Pace, RateMeter, TrainingRun, weights_copy
from .views import Change

if TYPE_CHECKING:
    from .lab import Lab


class Stepping:
    """The training run in progress, the last step's record, the speed, and the intents that train."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self._run: TrainingRun | None = None  # training in progress
        self._runs = 0  # runs started this session (each run's id)
        self._rate = RateMeter()
        self._pace = Pace()  # steps per second while training runs (None: as fast as it can)
        self._latest: StepRecord | None = None  # the last step's full record
        self._wte: tuple[int, tuple] | None = None  # (step, wte) the training worker last handed over
        self._stopped_by_itself = False  # the last run ended without the learner pausing it
        self._then_run = False  # r again after a pause its worker had already acted on: train on once it stops

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

    def ended_by_itself(self) -> bool:
        """The last run ended without the learner pausing it (finished or failed); asking forgets it."""
        ended, self._stopped_by_itself = self._stopped_by_itself, False
        return ended

    def _held(self, action: str) -> Change | None:
        """What keeps `action` ("step" or "run") from training now, said to the learner: a graph view being
        built or a replay on its way (they wait), or a past step shown (training from there forks)."""
        lab = self.lab
        if lab.inside.building.running is not None:
            return lab.inside.wait_for_graph()
        if lab.travel.moving:
            return lab.travel.wait_for_it()
        if lab.viewing_past:
            return lab.travel.ask_fork(action)
        return None

    def step(self) -> Change:
        """One step on the next document, then that document's loss again after the update."""
        lab = self.lab
        held = self._held("step")
        if held is not None:
            return held
        lab._before_training()
        weights = weights_copy(lab.trainer.model.weights)  # (the weights this step starts from)
        record = lab.trainer.step(loss_after=True)
        if not record.diverged:
            lab.time.keep_before(record.step, weights)
        self._keep(record)
        if not record.diverged and lab.time.due(record.step):
            lab.time.keep(capture(lab.trainer))
        lab._set_sequence(SequenceView.from_step(record))
        if record.diverged:
            return lab._say(f"step {record.step} diverged on “{record.doc}”: update not applied")
        assert record.loss_after is not None and record.after is not None
        moved = most_changed(
            [p.probs for p in record.positions], [p.probs for p in record.after.positions], lab.vocab_labels
        )
        return lab._say(
            f"step {record.step} on “{record.doc}”: loss {record.loss:.3f} → "
            f"{record.loss_after:.3f} after the update ({record.loss_after - record.loss:+.3f}) · {moved}"
        )

    def run_or_pause(self) -> Change:
        """Start continuous training (the app starts `run`'s worker), or ask it to pause.

        r again before a pause took effect takes the pause back: the same run (and thread) trains on, so a
        burst of r's starts one worker and an odd count of them trains. If the worker has already acted on
        the pause, training starts again as soon as it has stopped (`_run_ended`).
        """
        lab = self.lab
        if self._run is not None:
            if self._run.stop_requested and not self._then_run:
                self._then_run = not self._run.take_back_stop()
                return lab._say("training: r to pause")
            self._then_run = False
            lab.quizzing.leave_quiz()
            self._run.request_stop()
            return lab._say("pausing…")
        held = self._held("run")
        if held is not None:
            return held
        lab._before_training()
        self._rate.reset()
        self._runs += 1
        self._wte = None  # the embedding map waits for this run's first hand-over
        self._run = TrainingRun(
            self._runs,
            lab.trainer,
            lab.time.due,
            pace=lambda: self._pace.rate,
            wants_state=lambda: lab.matrices.wants_state,
        )
        return lab._say("training: r to pause")

    def pause(self) -> None:
        """Ask the worker to stop after its step, without waiting for it (`halt` waits); an r after this
        takes the pause back as after r's own."""
        if self._run is not None:
            self._then_run = False
            self._run.request_stop()

    def take_steps(self, run_id: int | None = None) -> Change:
        """Take in every step the worker handed over; once it has finished, end the run. Returns the note."""
        lab, run = self.lab, self._run
        if run is None or (run_id is not None and run_id != run.id):
            return Change()  # a run already ended and waited for
        batches = run.take()
        for batch in batches:
            for record in batch.records:
                self._keep(record)
            for snap in batch.snapshots:
                lab.time.keep(snap)
            if batch.before is not None:
                lab.time.keep_before(*batch.before)
            if batch.state is not None:
                lab.matrices.handed = batch.state
            last = batch.records[-1] if batch.records else self._latest
            if last is not None:
                self._rate.add(last.step, batch.at)
                self._wte = (
                    last.step - 1 if last.diverged else last.step,
                    batch.wte,
                )  # a diverged step was not applied
        if batches and self._latest is not None:
            lab._set_sequence(SequenceView.from_step(self._latest))  # the last step's document
        return self._run_ended() if run.finished else Change()

    async def halt(self) -> str | None:
        """Ask the worker to stop, wait until its step has finished and take in every step it took:
        what happens next sees the lab exactly where the trainer is.

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
        lab = self.lab
        assert self._run is not None
        outcome, self._run = self._run.outcome, None
        self._stopped_by_itself = outcome.reason != "paused"
        then_run, self._then_run = self._then_run, False
        if then_run and outcome.reason == "paused":
            return self.run_or_pause()  # (the r that came too late to take the pause back: a new run)
        if self._latest is not None:
            lab._set_sequence(SequenceView.from_step(self._latest))
        step = lab.trainer.step_count
        if outcome.reason == "done":
            lab.experiments.measure_after_run()
            return lab._say(lab.experiments.finished_note(), work="held_out")
        if outcome.reason == "diverged":
            note = (
                f"training diverged at step {step + 1}: the loss is no longer a number; weights kept from step {step}"
            )
        elif outcome.reason == "error":
            note = f"training stopped: {outcome.error}"
        else:
            return lab._say(f"paused at step {step:,}. r to continue, space for one step, s to sample.")
        lab._notify(note, severity="error", timeout=10)
        return lab._say(note)

    def _keep(self, record: StepRecord) -> None:
        self.lab.history.append(record)  # (a diverged step is not kept)
        self._latest = record
        self.lab.version += 1
