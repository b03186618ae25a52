"""The held-out names: a fixed set of the data, each run's loss on the ones it never trained on (no app)."""

import math
import random

from lab_helpers import begun_lab

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_engine.insight.held_out import (
    HELD_OUT,
    held_out_names,
    loss_on_unseen,
    name_losses,
    trained_names,
    training_order,
)
from microgpt_tui.features.runs.compare_renderable import held_out_sentence
from microgpt_tui.features.runs.held_out_losses import describe

NAMES = load_documents(bundled_names_path())


def test_the_held_out_set_is_the_same_whatever_the_order_or_seed_of_the_run():
    shuffled = list(NAMES)
    random.Random(7).shuffle(shuffled)
    names = held_out_names(NAMES)
    assert len(names) == HELD_OUT == len(set(names))
    assert held_out_names(shuffled) == names and set(names) <= set(NAMES)
    assert held_out_names(["b", "a", "a"]) == held_out_names(["a", "b"])  # a small file: every distinct name


def test_the_training_order_is_the_trainers_own():
    """The run's steps are known in advance: step i trains on document i of the seeded shuffle."""
    docs = NAMES[:300]
    for seed in (42, 5):
        trainer = Trainer(docs, Config(seed=seed, steps=400))
        order = training_order(docs, seed)
        assert order == trainer.docs
        assert trained_names(order, 350) == {trainer.document(i) for i in range(350)}
        assert trained_names(order, 10**6) == set(docs)  # round the data: every name is trained on


def test_a_default_run_leaves_almost_all_the_held_out_names_unseen(reference_docs):
    """What the module's docstring says: 1,000 steps on the reference names see about 3% of the set."""
    names = set(held_out_names(reference_docs))
    unseen = names - trained_names(training_order(reference_docs, 42), 1000)
    assert len(names) == HELD_OUT and 0.95 * HELD_OUT <= len(unseen) < HELD_OUT


def test_measuring_the_held_out_names_leaves_the_reference_run_bit_identical(reference_docs):
    trainer = Trainer(reference_docs, Config(seed=42))
    names = held_out_names(reference_docs)[:20]
    losses = name_losses(trainer.model, trainer.tokenizer, names)
    assert losses[names[0]] == trainer.evaluate(names[0]).loss  # the loss a step on that name measures
    assert f"{trainer.step().loss:.4f}" == "3.3660"


def test_loss_on_unseen_leaves_out_every_name_any_run_trained_on():
    losses = {"ann": 1.0, "bob": 2.0, "cy": 4.0}
    assert loss_on_unseen(losses, [{"ann"}]) == (3.0, 2)
    assert loss_on_unseen(losses, [{"ann"}, {"cy"}]) == (2.0, 1)
    assert loss_on_unseen(losses, [set(losses)]) == (None, 0)


def test_a_runs_figure_is_its_mean_loss_on_the_names_it_did_not_train_on(tmp_path):
    docs = NAMES[:60]
    lab = begun_lab(docs, tmp_path)
    for _ in range(12):
        lab.step()
    jobs = lab.experiments.held_out_jobs()
    assert [job.key for job in jobs] == [(0, 12)]
    lab.experiments.held_out_landed([job.measure() for job in jobs])
    row = lab.experiments.runs_view().rows[0]
    seen = {lab.trainer.document(i) for i in range(12)}
    unseen = sorted(set(docs) - seen)
    expected = math.fsum(lab.trainer.evaluate(name).loss for name in unseen) / len(unseen)
    assert row.held_out is not None and row.held_out.names == len(unseen) and row.held_out.pool == len(set(docs))
    assert math.isclose(row.held_out.losses[0], expected, rel_tol=1e-12)
    assert lab.experiments.held_out_jobs() == []  # kept per step: never measured twice


def test_the_end_of_a_run_says_its_held_out_loss(tmp_path):
    lab = begun_lab(NAMES[:60], tmp_path)
    lab.run_or_pause()
    run = lab.stepping.run
    run.work(lambda: None)  # (what the app's worker does, here on this thread)
    lab.take_steps(run.id)
    (measuring,) = [job for job in lab.session.take_jobs() if job.group == "held_out"]  # (the app runs it off the UI)
    assert lab.event == "training finished: 30 steps. Press s to sample names."
    change = measuring.land(measuring.run(lambda: False, lambda: None))
    held = lab.experiments.runs_view().rows[0].held_out
    assert held is not None
    assert change.note == lab.event
    assert lab.event.startswith("training finished: 30 steps; held-out names: loss ")
    assert f"loss {held.losses[0]:.3f} on the {held.names} of {held.pool} this run never trained on" in lab.event
    assert lab.event.endswith("Press s to sample names.")


def test_a_run_that_trained_on_every_name_says_it_has_none_left():
    from microgpt_tui.core.views import HeldOut

    assert "trained on every one of them" in describe(HeldOut((None,), 0, 10), 2.0)


def test_the_compare_says_which_run_is_lower_on_the_names_neither_trained_on(tmp_path):
    lab = begun_lab(NAMES[:60], tmp_path)
    for _ in range(5):
        lab.step()
    lab.experiments.keep_current()
    lab.rules.install(Trainer(lab.docs, Config(n_embd=8, n_head=2, steps=30, seed=9)), lab.docs, "small")
    for _ in range(20):
        lab.step()
    lab.experiments.held_out_landed([job.measure() for job in lab.experiments.held_out_jobs()])
    view = lab.experiments.compare_runs(0, 1)
    assert view is not None and view.held_out is not None
    seen = training_order(lab.docs, 5)[:5] + training_order(lab.docs, 9)[:20]
    unseen = set(lab.docs) - set(seen)
    assert view.held_out.names == len(unseen)
    loss_a, loss_b = view.held_out.losses
    assert loss_a is not None and loss_b is not None
    sentence = held_out_sentence(view)
    low, high = ("run 0", "run 1") if loss_a < loss_b else ("run 1", "run 0")
    assert f"the {len(unseen)} held-out names neither run trained on, {low} is lower by" in sentence
    assert f"{abs(loss_a - loss_b):.4f}" in sentence and f"for {high}" in sentence


def test_a_fork_forgets_the_held_out_figures_of_the_steps_it_dropped(tmp_path):
    from microgpt_tui.features.runs.held_out_losses import HeldOutLosses

    lab = begun_lab(NAMES[:60], tmp_path)
    for _ in range(6):
        lab.step()
    losses: HeldOutLosses = lab.experiments.held_out
    stale = lab.experiments.held_out_jobs()  # at step 6, on its way when the fork comes
    losses.landed([job.measure() for job in lab.experiments.held_out_jobs() or stale])
    assert (0, 6) in losses.measured
    losses.forked(0, 3)  # what time travel's fork at step 3 tells it
    assert (0, 6) not in losses.measured
    losses.landed([job.measure() for job in stale])  # a result asked for before the fork is dropped
    assert (0, 6) not in losses.measured
