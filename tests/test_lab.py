"""The lab without an app: the learner's intents, the interlocks between features, the views, the training run."""

import asyncio
import csv
import inspect
import math
import re
import threading
from pathlib import Path

import pytest
from lab_helpers import CONFIG, begun_lab, replays

from microgpt_engine import Config, Trainer, load_checkpoint
from microgpt_tui.core import lab as lab_module
from microgpt_tui.core.lab import Lab
from microgpt_tui.core.session import Session
from microgpt_tui.core.views import AskChar, AskFork, AskQuit, AskStep, CompareView, healthy, log_reference
from microgpt_tui.features.sampling.sample_log import SampleLog
from microgpt_tui.features.training.run import RateMeter, TrainingRun
from microgpt_tui.features.training.step_effect import most_changed


@pytest.fixture
def lab(small_docs, tmp_path):
    return begun_lab(small_docs, tmp_path)


def train(lab, steps):
    for _ in range(steps):
        lab.step()


def run_in_thread(lab):
    """What the app's worker does with lab.stepping.run: `work` on a thread of its own."""
    run = lab.stepping.run
    thread = threading.Thread(target=run.work, args=(lambda: None,))
    thread.start()
    return run, thread


# -- intents and their notes -------------------------------------------------------------


def test_begin_shows_the_next_document_and_says_which_keys_to_press(lab):
    assert lab.sequence.kind == "next" and lab.sequence.text == lab.trainer.document(0)
    assert lab.event.startswith(f"next document: “{lab.sequence.text}”") and lab.mode == "paused"


def test_a_step_keeps_its_record_once_and_says_the_loss_before_and_after(lab):
    change = lab.step()
    record = lab.stepping.latest
    assert lab.history.now == lab.trainer.step_count == 1 and lab.history.losses == [record.loss]
    assert (
        change.note
        == lab.event
        == (
            f"step 1 on “{record.doc}”: loss {record.loss:.3f} → {record.loss_after:.3f} after the update "
            f"({record.loss_after - record.loss:+.3f}) · "
            + most_changed(
                [p.probs for p in record.positions], [p.probs for p in record.after.positions], lab.vocab_labels
            )
        )
    )
    assert lab.sequence.kind == "train" and lab.sequence.text == record.doc
    assert lab.status().step == 1 and lab.status().loss == record.loss


def test_the_status_note_is_derived_from_the_lens_before_the_latest_event(lab):
    train(lab, 3)
    event = lab.event
    lab.travel.view(1)
    assert lab.status_note().startswith("viewing step 1 of 3 (now)")
    lab.interventions.ablate_head()
    note = lab.status_note()
    assert (
        note.startswith("viewing step 1 of 3 (now)")
        and "ABLATED L0H0" in note
        and note.endswith("u undoes ablations and time travel")
    )
    lab.interventions.undo_interventions()
    assert lab.status_note() == lab.event != event and lab.event.startswith("interventions undone")


def test_only_say_writes_the_event():
    """One writer for the note: every intent's words pass through `Session.say`."""
    source = inspect.getsource(Session)
    assert source.count("self.event =") == 2  # the initial "" and `say`
    assert "self.event = note" in inspect.getsource(Session.say)
    # The features (sampling, time travel, experiments, ...) only ever call `session.say`.
    for module in Path(lab_module.__file__).parent.glob("*.py"):
        if module.name != "session.py":
            assert not re.search(r"\.event\s*=[^=]", module.read_text()), module.name


def test_each_part_owns_its_state(lab):
    """The sampler, the quiz, the ablation, the training run and the tour live on their parts, which alone
    write them: the lab has no copy, nothing outside a part touches its private state, and its properties
    cannot be assigned."""
    gone = ("sampler", "sampling", "samples", "quiz", "ablation", "nearest", "forced", "auto_sample")
    gone += ("run", "rate", "pace", "latest", "_wte", "_runs", "_stopped_by_itself")
    gone += ("guide", "tour", "tour_card", "_last_mode", "offer_tour", "state_path")
    for name in gone:
        assert not hasattr(lab, name), name
    package = Path(lab_module.__file__).parent
    private = re.compile(r"\b(drawing|quizzing|interventions|stepping|touring)\._\w")
    for module in [*package.glob("*.py"), *package.parent.glob("*.py"), *package.parent.glob("cli/*.py")]:
        assert not private.search(module.read_text()), module.name
    owned = [(lab.drawing, "sampler"), (lab.quizzing, "state"), (lab.interventions, "ablation")]
    owned += [(lab.stepping, name) for name in ("run", "rate", "pace", "latest", "wte")]
    owned += [(lab.touring, "tour"), (lab.touring, "card")]
    for part, name in owned:
        with pytest.raises(AttributeError):
            setattr(part, name, None)


# -- the interlocks ------------------------------------------------------------------------


def test_a_step_closes_the_quiz_switches_the_ablation_off_and_drops_a_half_drawn_sample(lab):
    train(lab, 2)
    asyncio.run(lab.quizzing.toggle_quiz())
    lab.interventions.ablate_layer()
    assert lab.quizzing.on and lab.interventions.ablation
    lab.step()
    assert not lab.quizzing.on and not lab.interventions.ablation
    assert [n.message for n in lab.take_notices()] == [
        "ablation off: training always uses every head (ablations only change the view)"
    ]
    lab.drawing.sample()
    assert lab.drawing.sampling
    lab.step()
    assert lab.drawing.sampler is None and lab.mode == "paused"


def test_training_from_the_past_asks_to_fork_and_forking_keeps_the_later_steps_as_a_branch(lab):
    train(lab, 5)
    losses = lab.history.losses
    lab.travel.view(3)
    change = lab.step()
    assert change.ask == AskFork(3, 5, 2, "step", lr=0.01, remaining=27, temperature=0.5)
    assert lab.trainer.step_count == 5
    change = lab.travel.fork_answer("fork", "step")
    assert replays(lab, change) == 1 and lab.trainer.step_count == 5  # (3 and 2 are not at hand: replayed first)
    change = lab.travel.landed(lab.travel.replay_work().run())  # what the app's worker does
    assert change.note.startswith("forked at step 3: steps 4–5 are kept as branch 1 (run 0 steps 4–5, w) · step 4 on")
    assert lab.trainer.step_count == 4 and lab.viewed_step is None
    assert lab.history.losses == losses[:4]  # the same step 4 again: training has no randomness
    assert lab.time.branches[0].history.losses == losses[3:]


def test_the_fork_question_answered_now_returns_to_now_and_none_stays(lab):
    train(lab, 3)
    lab.travel.view(1)
    assert lab.travel.fork_answer(None, "run").note is None and lab.viewing_past
    assert lab.travel.fork_answer("now", "run").note == "back to now: step 3" and not lab.viewing_past


def test_sampling_returns_to_now_and_the_sample_is_kept_in_the_log(lab):
    train(lab, 3)
    lab.travel.view(1)
    lab.drawing.sample()
    assert not lab.viewing_past and lab.mode == "sampling" and lab.drawing.auto
    while lab.drawing.sampling:
        lab.drawing.advance_sample()
    name = lab.drawing.sampler.text
    assert lab.samples_view().entries[0] == (name, name in lab.docs) and lab.mode == "paused"
    assert lab.event.startswith(f"sampled “{name}” at temperature 0.5")


def test_looking_back_while_training_halts_the_run_and_takes_every_step_it_took(small_docs, tmp_path):
    lab = Lab(Trainer(small_docs, Config(n_embd=8, n_head=2, steps=100_000, seed=5)), small_docs)
    lab.begin()
    lab.run_or_pause()
    run, thread = run_in_thread(lab)
    while lab.trainer.step_count < 5:
        pass
    change = asyncio.run(lab.travel.view_step(-1))
    if replays(lab, change) == 1:  # what the app does: run the lab's replay (on a worker), hand the result back
        lab.travel.landed(lab.travel.replay_work().run())
    thread.join(5)
    assert lab.stepping.run is None and run.finished and run.outcome.reason == "paused"
    assert lab.history.now == lab.trainer.step_count and lab.viewed_step == lab.trainer.step_count - 1
    assert lab.event.startswith(f"paused at step {lab.trainer.step_count:,}")


def test_rules_say_what_applies_now(lab):
    assert lab.applies("view_step") is None and lab.applies("next_char") is None and lab.applies("layer") is None
    lab.step()
    assert lab.applies("view_step") is True and lab.applies("step") is True
    lab.toggle_heads()
    assert lab.applies("head") is None
    lab.drawing.sample()
    assert lab.applies("force_char") is True
    assert isinstance(lab.drawing.ask_force().ask, AskChar) and not lab.drawing.auto


# -- the training run ------------------------------------------------------------------------


def test_a_run_hands_over_every_step_with_the_snapshots_time_travel_asked_for(small_docs):
    trainer = Trainer(small_docs, CONFIG)
    run = TrainingRun(1, trainer, lambda step: step % 4 == 0, flush_every=0.0)
    wakes = []
    run.work(lambda: wakes.append(1))
    assert run.finished and run.outcome.reason == "done"
    batches = run.take()
    records = [r for b in batches for r in b.records]
    assert [r.step for r in records] == list(range(1, 31))
    assert [s.step for b in batches for s in b.snapshots] == [4, 8, 12, 16, 20, 24, 28]
    assert batches[-1].wte == tuple(map(tuple, trainer.model.weights["wte"]))
    assert len(wakes) == len(batches) + 1  # and one more once finished
    assert run.take() == []


def test_a_run_that_fails_says_why_and_keeps_the_steps_before(small_docs):
    trainer = Trainer(small_docs, CONFIG)
    calls = iter(range(100))
    step = trainer.step
    trainer.step = lambda **kw: step(**kw) if next(calls) < 3 else (_ for _ in ()).throw(RuntimeError("boom"))
    run = TrainingRun(1, trainer, lambda step: False)
    run.work(lambda: None)
    assert run.outcome.reason == "error" and run.outcome.error == "RuntimeError: boom"
    assert [r.step for b in run.take() for r in b.records] == [1, 2, 3]


def test_a_finished_run_ends_in_the_lab_and_says_so(lab):
    lab.run_or_pause()
    run, thread = run_in_thread(lab)
    thread.join(30)
    lab.take_steps(run.id)
    assert lab.stepping.run is None and lab.history.now == 30 == lab.trainer.step_count
    assert lab.event == "training finished: 30 steps. Press s to sample names."
    assert lab.applies("step") is None and lab.applies("run") is None


# -- views -------------------------------------------------------------------------------


def test_views_agree_with_the_history_and_are_reused_until_it_changes(lab):
    train(lab, 4)
    view = lab.loss_view(100)
    assert view.losses == tuple(lab.history.losses) and view.xs == (1, 2, 3, 4)
    assert lab.loss_view(100) is view
    lab.step()
    assert lab.loss_view(100) is not view and len(lab.loss_view(100).losses) == 5
    live = lab.param_view()
    assert [r.grad_norm for r in live.rows] == [p.grad_norm for p in lab.stepping.latest.params]
    assert live.rows[0].log_ratio == math.log10(lab.stepping.latest.params[0].update_ratio)
    lab.travel.view(2)
    past = lab.param_view()
    assert past.title == "parameters · step 2"
    assert [r.mean for r in past.rows] == [p.mean for p in lab.history.params(2)]
    assert len(past.rows[0].trend) == 2


def test_compare_and_go_to_ask_for_their_screens(lab):
    train(lab, 4)
    change = asyncio.run(lab.travel.compare())
    assert replays(lab, change) == 1 and change.ask is None  # step 2 needs a replay: the app runs it off the UI thread
    view = lab.travel.landed(lab.travel.replay_work().run()).ask
    assert isinstance(view, CompareView) and [title for title, _ in view.columns] == [
        "step 0 (start)",
        "step 2 (middle)",  # (no step viewed: the one halfway)
        "step 4 (now)",
    ]
    assert view.columns[2][1] == lab.trainer.evaluate(view.doc)
    assert asyncio.run(lab.travel.ask_step()).ask == AskStep(0, 4, None)
    lab.travel.go_to(4)
    assert not lab.viewing_past


# -- files -------------------------------------------------------------------------------


def test_export_writes_one_csv_row_per_kept_step_and_the_svg_through_the_app(lab, tmp_path):
    train(lab, 3)
    shots = []
    change = lab.exporting.export(lambda path: shots.append(path) or path.write_text("<svg/>"))
    rows = list(csv.reader((tmp_path / "microgpt-step3.csv").open()))
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert [float(row[2]) for row in rows[1:]] == pytest.approx(lab.history.losses, abs=1e-6)
    assert shots == [tmp_path / "microgpt-step3.svg"] and "3 steps" in change.note


def test_save_then_quit_asks_only_with_unsaved_steps(lab):
    train(lab, 2)
    change = asyncio.run(lab.saving.request_quit())
    assert change.ask == AskQuit(2, str(lab.save_path)) and not change.exit
    change = asyncio.run(lab.saving.quit_answer("save"))
    assert change.exit and lab.saved_step == 2 and load_checkpoint(lab.save_path).step == 2
    assert asyncio.run(lab.saving.request_quit()).exit


# -- moved with the lab from the engine's history module -------------------------------------


def test_rate_meter_counts_steps_per_second_over_its_span():
    meter = RateMeter(span=2.0)
    assert meter.rate() is None
    meter.add(0, now=10.0)
    assert meter.rate() is None
    meter.add(50, now=10.5)
    assert meter.rate() == pytest.approx(100.0)
    for i in range(1, 11):
        meter.add(50 + 10 * i, now=10.5 + i)  # slows to 10 steps/s
    assert meter.rate() == pytest.approx(10.0, rel=0.01)


def test_rate_meter_reset_forgets_old_readings():
    meter = RateMeter()
    meter.add(0, now=0.0)
    meter.add(100, now=1.0)
    meter.reset()
    assert meter.rate() is None


@pytest.mark.parametrize(
    "log_ratio,is_healthy", [(-2.0, True), (-2.9, True), (-1.95, True), (-3.2, False), (-1.5, False), (None, False)]
)
def test_healthy_band_is_a_tenth_of_lr_over_std_up_to_it(log_ratio, is_healthy):
    reference = log_reference(0.01, 1.0)  # lr 0.01 over weights of std 1: a full Adam step is 10^-2 of them
    assert reference == pytest.approx(-2.0)
    assert healthy(log_ratio, reference) is is_healthy
    assert not healthy(log_ratio, None)


def test_the_default_runs_ratios_sit_in_the_adam_band_where_the_1e3_rule_would_call_them_unhealthy(lab):
    """Adam moves each weight by about lr: the ratio tracks lr_t / std all along the decaying schedule."""
    train(lab, 30)
    for step in (1, 10, 29):
        lab.travel.view(step)
        rows = lab.param_view().rows
        assert all(r.healthy for r in rows), [(r.name, r.log_ratio, r.log_reference) for r in rows]
        assert [r.log_reference for r in rows] == [
            pytest.approx(math.log10(lab.history.lr(step) / p.std)) for p in lab.history.params(step)
        ]


def test_sample_log_marks_names_in_the_training_data_newest_first():
    log = SampleLog(["emma", "ava"])
    assert log.add("emma") == ("emma", True)
    assert log.add("zorbla") == ("zorbla", False)
    assert list(log.entries) == [("zorbla", False), ("emma", True)]


def test_sample_log_keeps_at_most_limit_entries():
    log = SampleLog([], limit=2)
    for name in "abc":
        log.add(name)
    assert [name for name, _ in log.entries] == ["c", "b"]


def test_the_lab_imports_no_textual():
    import subprocess
    import sys

    code = "import microgpt_tui.core, sys; assert not any(m.split('.')[0] == 'textual' for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_app_is_no_mixin_stack():
    from microgpt_tui.app import MicroGPTApp

    ours = [c for c in MicroGPTApp.__mro__ if c.__module__.startswith("microgpt_tui")]
    assert ours == [MicroGPTApp]
