"""Runs kept side by side, without an app: new runs from checked settings, the runs book, the speed control."""

import asyncio
import json
import threading
from dataclasses import replace

import pytest
from lab_helpers import CONFIG, begun_lab

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer, load_checkpoint, save_checkpoint
from microgpt_engine.insight.baselines import bigram_loss
from microgpt_engine.insight.history import RunHistory
from microgpt_tui.core.runs import RunBook
from microgpt_tui.core.views import AskNewRun, RunsView
from microgpt_tui.features.runs.settings_form import BUNDLED, CURRENT
from microgpt_tui.features.sampling.sample_log import SampleLog
from microgpt_tui.features.training.run import SPEEDS, Pace, TrainingRun


@pytest.fixture
def lab(small_docs, tmp_path):
    return begun_lab(small_docs, tmp_path)


def form(lab, **changes):
    """The settings form with the live run's values, some fields typed over."""
    values = {name: str(getattr(lab.trainer.config, name)) for name in ("lr", "steps", "n_embd", "n_head")}
    values.update({name: str(value) for name, value in changes.items()})
    return values


def train(lab, steps):
    for _ in range(steps):
        lab.step()


def test_a_typed_value_is_checked_by_the_engines_rules_and_named_by_its_field(lab):
    choice, errors = lab.experiments.check_settings(form(lab, n_embd=10, n_head=4), "fused", CURRENT, "")
    assert choice is None and errors == {"n_embd": "n_embd (10) must be divisible by n_head (4)"}
    choice, errors = lab.experiments.check_settings(form(lab, lr="fast"), "fused", CURRENT, "")
    assert choice is None and errors == {"lr": "lr must be a number, got 'fast'"}
    choice, errors = lab.experiments.check_settings(form(lab, steps=0), "fused", CURRENT, "")
    assert errors == {"steps": "steps must be a positive whole number, got 0"}


def test_a_model_too_big_for_memory_is_refused_before_anything_is_allocated(lab, monkeypatch):
    allocated = []
    monkeypatch.setattr("microgpt_engine.model.GPT.init_weights", lambda self, rng: allocated.append(1))
    choice, errors = lab.experiments.check_settings(form(lab, n_embd=4096, n_head=4), "fused", CURRENT, "")
    assert choice is None and "would need about" in errors["n_embd"] and not allocated


def test_the_dataset_can_be_the_bundled_names_or_a_file_and_a_bad_file_says_why(lab, tmp_path):
    choice, errors = lab.experiments.check_settings(form(lab), "fused", BUNDLED, "")
    bundled = load_documents(bundled_names_path())
    assert not errors and choice.dataset_name == "names.txt" and len(choice.docs) == len(bundled)
    words = tmp_path / "words.txt"
    words.write_text("cat\ndog\nbird\n")
    choice, errors = lab.experiments.check_settings(form(lab), "fused", "file", str(words))
    assert not errors and choice.docs == ("cat", "dog", "bird") and choice.dataset_name == "words.txt"
    choice, errors = lab.experiments.check_settings(form(lab), "fused", "file", str(tmp_path / "missing.txt"))
    assert choice is None and errors["dataset"].endswith("no such file")


def test_applying_new_settings_keeps_the_first_run_and_starts_a_second(lab):
    train(lab, 5)
    lab.session.saved_step = lab.trainer.step_count  # (nothing unsaved: no question)
    first_history = lab.history
    choice, _ = lab.experiments.check_settings(form(lab, lr=0.05), "fused", CURRENT, "")
    change = asyncio.run(lab.experiments.apply_settings(choice))
    assert change.new_run and lab.trainer.config.lr == 0.05 and lab.trainer.step_count == 0
    earlier, live = lab.book.runs
    assert earlier.history is first_history and len(earlier.history) == 5  # kept, not copied
    assert live is lab.book.current and live.history is lab.history and len(live.history) == 0
    assert earlier.final is not None and earlier.final.step == 5  # its final state, to save it later
    assert lab.book.differs(live) == "lr 0.05" and change.note.startswith("run 1 started (lr 0.05)")


def test_unsaved_steps_ask_first_and_saving_then_starting_keeps_both(lab):
    train(lab, 3)
    choice, _ = lab.experiments.check_settings(form(lab, steps=12), "fused", CURRENT, "")
    change = asyncio.run(lab.experiments.apply_settings(choice))
    assert isinstance(change.ask, AskNewRun) and change.ask.unsaved == 3 and len(lab.book.runs) == 1
    assert (
        asyncio.run(lab.experiments.new_run_answer(None, choice)).note is None and lab.trainer.step_count == 3
    )  # stay
    asyncio.run(lab.experiments.new_run_answer("save", choice))
    assert lab.save_path.exists() and len(lab.book.runs) == 2 and lab.trainer.config.steps == 12


def test_only_a_new_temperature_needs_no_new_run(lab):
    choice, _ = lab.experiments.check_settings({"temperature": "0.9"}, "fused", CURRENT, "")
    asyncio.run(lab.experiments.apply_settings(choice))
    assert len(lab.book.runs) == 1 and lab.selection.temperature == 0.9


def test_the_loss_view_draws_earlier_runs_and_the_runs_view_lists_them(lab):
    train(lab, 4)
    lab.session.saved_step = lab.trainer.step_count
    for lr in (0.02, 0.03):
        choice, _ = lab.experiments.check_settings(form(lab, lr=lr), "fused", CURRENT, "")
        asyncio.run(lab.experiments.apply_settings(choice))
        train(lab, 2)
        lab.session.saved_step = lab.trainer.step_count
    view = lab.loss_view(100)
    assert [c.name for c in view.others] == ["run 0", "run 1"] and view.name == "run 2"
    run0 = lab.book.runs[0]
    assert list(view.others[0].means) == list(run0.history.trailing_means())  # (short: not downsampled)
    rows = lab.experiments.runs_view().rows
    assert [(r.number, r.differs, r.steps, r.live) for r in rows] == [
        (0, "", 4, False),
        (1, "lr 0.02", 2, False),
        (2, "lr 0.03", 2, True),
    ]
    assert rows[0].mean_last == pytest.approx(sum(run0.history.losses) / 4)
    assert isinstance(lab.experiments.show_runs().ask, RunsView)


def test_runs_can_be_renamed_and_removed_but_not_the_live_one(lab):
    train(lab, 2)
    lab.session.saved_step = 2
    choice, _ = lab.experiments.check_settings(form(lab, lr=0.02), "fused", CURRENT, "")
    asyncio.run(lab.experiments.apply_settings(choice))
    assert lab.experiments.rename_run(0, "  baseline  ").note == "run 0 is now “baseline”"
    assert lab.book.runs[0].name == "baseline" and lab.loss_view(50).others[0].name == "baseline"
    assert lab.experiments.remove_run(1).note == "run 1 is the live run: start another one before removing it"
    lab.experiments.remove_run(0)
    assert [r.number for r in lab.book.runs] == [1] and lab.loss_view(50).others == ()


def test_comparing_two_runs_gives_each_matrix_last_statistics_from_their_histories(lab):
    train(lab, 3)
    lab.session.saved_step = 3
    choice, _ = lab.experiments.check_settings(form(lab, lr=0.05), "fused", CURRENT, "")
    asyncio.run(lab.experiments.apply_settings(choice))
    train(lab, 2)
    view = lab.experiments.compare_runs(0, 1)
    a, b = lab.book.runs
    assert [row.number for row in view.rows] == [0, 1]
    wte_a = next(p for p in a.history.params(3) if p.name == "wte")
    name, stats_a, stats_b = view.params[0]
    assert name == "wte" and stats_a[view.stat_names.index("std")] == wte_a.std
    assert stats_b[view.stat_names.index("grad_norm")] == b.history.params(2)[0].grad_norm


def test_ten_kept_thousand_step_runs_cost_what_their_histories_cost():
    """The figure the note quotes: ten 1,000-step runs of the default model, histories plus final states."""
    docs = load_documents(bundled_names_path())[:50]
    trainer = Trainer(docs, Config(steps=1000))
    record = trainer.step()
    from microgpt_engine.insight.timetravel import capture

    final = capture(trainer)
    book = RunBook()
    for _ in range(10):
        history = RunHistory(trainer.model.shapes)
        for step in range(1, 1001):
            history.append(replace(record, step=step))
        book.add(
            config=trainer.config,
            engine="fused",
            dataset="names",
            history=history,
            samples=SampleLog(docs),
            uniform=3.3,
            final=final,
        )
    per_run = book.nbytes() / 10
    assert 700_000 < per_run < 950_000  # ~0.78 KB a step (ten numbers a matrix) plus one 100 KB final state
    assert book.nbytes() < 9 * 1024**2


def test_the_speed_control_steps_through_its_speeds_and_says_so(lab):
    assert lab.stepping.pace.rate is None and lab.status().speed == "max speed"
    assert lab.stepping.speed(-1).note == "speed: 30 steps/s"
    for _ in range(10):
        note = lab.stepping.speed(-1).note
    assert (
        lab.stepping.pace.rate == SPEEDS[0] == 1
        and lab.take_notices()[-1].message == "1 step/s is the slowest there is"
    )
    assert note == "speed: 1 step/s is the slowest there is (} is faster)"  # the status line says it too
    for _ in range(10):
        note = lab.stepping.speed(+1).note
    assert note == "speed: max speed is the fastest there is ({ is slower)"
    assert Pace(2).label == "2 steps/s" and Pace(2).every_step_drawn and not Pace(30).every_step_drawn


def test_at_a_set_pace_the_worker_waits_between_steps_and_hands_each_one_over(small_docs):
    trainer = Trainer(small_docs, CONFIG)
    run = TrainingRun(1, trainer, lambda step: False, pace=lambda: 20)
    handed = threading.Semaphore(0)  # released at each hand-over
    thread = threading.Thread(target=run.work, args=(handed.release,))
    thread.start()
    for _ in range(6):
        assert handed.acquire(timeout=10)
    run.request_stop()
    at_stop = trainer.step_count  # (a step in flight may still end)
    thread.join(10)
    assert not thread.is_alive() and trainer.step_count <= at_stop + 1  # the pause cut the wait short
    batches = run.take()
    assert len(batches) == trainer.step_count >= 6
    assert all(len(b.records) == 1 for b in batches)  # each step handed over on its own
    times = [b.at for b in batches]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert 0.03 < sorted(gaps)[len(gaps) // 2] < 0.2  # 20 steps/s: about 50 ms apart (generous)


def test_a_fork_with_ten_times_the_lr_differs_from_the_step_after_the_fork_on(lab):
    """Step 7's own loss is measured before its update, on step 6's weights: the same in both. Its update
    differs (the loss after it), and so does every loss from step 8 on."""
    train(lab, 10)
    original = lab.history.losses
    after_7 = lab.time.view_at(7, lab.trainer.document(6)).loss  # the first run's loss after step 7's update
    lab.travel.view(6)
    plan, errors = lab.travel.check_fork({"lr": "0.1", "remaining": "24", "temperature": "0.7"})
    assert not errors and plan.lr == 0.1 and plan.steps == 30
    lab.travel.fork_answer(plan, "step")
    assert (
        lab.stepping.latest.step == 7
        and lab.stepping.latest.loss == original[6]
        and lab.stepping.latest.loss_after != after_7
    )
    train(lab, 3)
    losses = lab.history.losses
    assert losses[:7] == original[:7]  # the shared past (and step 7's loss, measured before its update)
    assert all(a != b for a, b in zip(losses[7:10], original[7:10]))  # step 8 on: another run
    assert lab.trainer.config.lr == 0.1 and lab.selection.temperature == 0.7
    branch = lab.book.runs[1]
    assert branch.history.start == 6 and branch.history.losses == original[6:] and branch.config.lr == 0.01
    assert branch is not lab.book.current and "fork of run 0 at step 6" in branch.origin
    assert [c.name for c in lab.loss_view(100).others] == ["run 0 steps 7–10"]
    assert lab.current_run.origin == "forked at step 6 with lr 0.1 (was 0.01), temperature 0.7"


def test_time_travel_before_a_changed_fork_replays_with_the_old_lr(lab):
    """Snapshots carry the schedule they ran with: viewing step 3 after a fork at 6 with lr 0.1 replays at 0.01."""
    train(lab, 10)
    before = lab.time.view_at(3, lab.trainer.document(3)).loss
    lab.travel.view(6)
    plan, _ = lab.travel.check_fork({"lr": "0.1"})
    lab.travel.fork_answer(plan, "step")
    assert lab.time.view_at(3, lab.trainer.document(3)).loss == before  # (raises if a replay disagreed)
    lab.travel.view(5)
    lab.shown()


def test_the_fork_dialog_fields_are_checked(lab):
    train(lab, 4)
    lab.travel.view(2)
    assert lab.travel.check_fork({"lr": "-1"})[1] == {"lr": "lr must be greater than 0, got -1.0"}
    assert lab.travel.check_fork({"remaining": "0"})[1] == {"remaining": "remaining steps must be at least 1, got 0"}
    assert lab.travel.check_fork({"temperature": "hot"})[1] == {
        "temperature": "temperature must be a number, got 'hot'"
    }


def test_a_saved_run_loads_back_with_its_whole_loss_curve_name_and_samples(lab, tmp_path):
    train(lab, 6)
    lab.drawing.sample()
    while lab.drawing.sampling:
        lab.drawing.advance_sample()
    lab.experiments.rename_run(0, "first")
    path = tmp_path / "first.json"
    note = asyncio.run(lab.experiments.save_run(0, str(path))).note
    assert note == f"saved first (step 6, its loss curve of 6 steps) to {path}" and lab.saved_step == 6
    losses, sample = lab.history.losses, lab.drawing.samples.entries[0][0]
    change = asyncio.run(lab.experiments.load_run(str(path)))
    assert change.new_run and change.note == "loaded first at step 6 with its loss curve of 6 steps"
    live = lab.current_run
    assert live.number == 1 and live.name == "first" and lab.history.losses == losses
    assert lab.history.start == 0 and lab.time.start == 6 and lab.applies("view_step") is None  # no states before
    assert lab.drawing.samples.entries[0][0] == sample and lab.loss_view(100).xs == tuple(range(1, 7))
    lab.step()  # and it trains on from step 6
    assert lab.history.now == 7 and lab.trainer.step_count == 7


def test_an_earlier_run_is_saved_from_the_final_state_it_was_kept_with(lab, tmp_path):
    train(lab, 4)
    weights = [row[:] for row in lab.trainer.model.weights["wte"]]
    lab.session.saved_step = 4
    choice, _ = lab.experiments.check_settings(form(lab, lr=0.05), "fused", CURRENT, "")
    asyncio.run(lab.experiments.apply_settings(choice))
    path = tmp_path / "run0.json"
    asyncio.run(lab.experiments.save_run(0, str(path)))
    ckpt = load_checkpoint(path)
    assert ckpt.step == 4 and ckpt.config.lr == 0.01 and ckpt.weights["wte"] == weights
    assert ckpt.extra["history"]["loss"] == lab.book.runs[0].history.losses


def test_a_checkpoint_of_todays_format_loads_as_a_run_without_a_curve(lab, tmp_path):
    train(lab, 3)
    path = tmp_path / "old.json"
    save_checkpoint(lab.trainer, path)  # no history: what every earlier version wrote
    change = asyncio.run(lab.experiments.load_run(str(path)))
    assert change.note == "loaded run 1 at step 3 with no loss curve (an older checkpoint)"
    assert lab.history.start == 3 and len(lab.history) == 0 and lab.trainer.step_count == 3


def test_a_damaged_loss_curve_is_refused_with_a_message(lab, tmp_path):
    train(lab, 3)
    path = tmp_path / "bad.json"
    asyncio.run(lab.experiments.save_run(0, str(path)))
    state = json.loads(path.read_text())
    state["history"]["loss"] = state["history"]["loss"][:2]
    path.write_text(json.dumps(state))
    note = asyncio.run(lab.experiments.load_run(str(path))).note
    assert (
        note == f"could not load {path}: {path}: its loss curve is damaged (the history's loss does not hold 3 numbers)"
    )
    assert len(lab.book.runs) == 1


def test_the_bigram_preset_is_a_run_whose_loss_is_the_bigram_line_and_which_spells_names(lab):
    table, names = lab.experiments.bigram_work()()
    assert table.loss == bigram_loss(lab.docs, lab.trainer.tokenizer, lab.trainer.config.block_size)
    assert len(names) == 10 and all(set(name) <= set("".join(lab.docs)) for name in names)
    note = lab.experiments.add_bigram_run(table, names).note
    assert note.startswith(f"bigram table: loss {table.loss:.3f} with no training at all")
    run = lab.book.runs[1]
    assert run.level == run.mean_last() == table.loss and run is not lab.book.current
    assert [entry[0] for entry in run.samples.entries] == names
    (curve,) = lab.loss_view(100).others
    assert curve.level == table.loss and curve.xs == ()


def test_a_model_with_no_transformer_block_trains_embeddings_straight_into_lm_head(small_docs):
    trainer = Trainer(small_docs, Config(n_embd=8, n_head=2, n_layer=0, steps=30))
    assert list(trainer.model.shapes) == ["wte", "wpe", "lm_head"]

    def mean_loss():
        return sum(trainer.evaluate(doc).loss for doc in small_docs) / len(small_docs)

    before = mean_loss()
    records = [trainer.step() for _ in range(20)]
    assert mean_loss() < before - 0.3 and records[-1].attention == []


def test_saving_a_run_never_replaces_a_file_this_session_did_not_write(lab, tmp_path):
    train(lab, 2)
    other = tmp_path / "someone-else.json"
    other.write_text("precious")
    note = asyncio.run(lab.experiments.save_run(0, str(other))).note
    assert note.startswith(f"not saved: {other} exists") and other.read_text() == "precious"
    mine = tmp_path / "mine.json"
    asyncio.run(lab.experiments.save_run(0, str(mine)))
    train(lab, 1)
    assert asyncio.run(lab.experiments.save_run(0, str(mine))).note.startswith(
        "saved run 0 (step 3"
    )  # its own file again


@pytest.mark.parametrize("config", [dict(n_layer=0), dict(attention=False)], ids=["no block", "no attention"])
def test_the_smaller_models_train_the_same_numbers_on_the_fused_and_the_plain_graph(small_docs, config):
    """The presets that build microgpt up are the same algorithm on both engines (n_layer 0, attention off)."""
    losses = {}
    for engine in ("fused", "plain"):
        trainer = Trainer(small_docs, Config(n_embd=8, n_head=2, steps=4, **config), engine=engine)
        losses[engine] = [trainer.step().loss for _ in range(4)]
    assert losses["fused"] == losses["plain"]


def test_without_attention_the_blocks_keep_only_their_mlp(small_docs):
    config = Config(n_embd=8, n_head=2, attention=False, steps=20)
    trainer = Trainer(small_docs, config)
    assert [name for name in trainer.model.shapes if "attn" in name] == []
    assert trainer.model.num_params == config.param_count(trainer.tokenizer.vocab_size)
    before = sum(trainer.evaluate(doc).loss for doc in small_docs)
    for _ in range(20):
        record = trainer.step()
    assert sum(trainer.evaluate(doc).loss for doc in small_docs) < before and record.attention == []
