"""microgpt, number for number: seed 42 on the reference names list (skipped without ../shared)."""

import random

from conftest import REFERENCE_FIGURES

from microgpt_engine import Config, Sampler, Trainer


def test_first_twenty_losses_match_the_reference_to_four_decimals(reference_docs):
    expected = (REFERENCE_FIGURES / "microgpt-names-seed42-first20.txt").read_text().split()
    trainer = Trainer(reference_docs, Config())
    assert trainer.model.num_params == 4192 and trainer.tokenizer.vocab_size == 27
    got = [f"{trainer.step().loss:.4f}" for _ in range(20)]
    assert got == expected


def test_full_run_reaches_the_reference_loss_and_samples(reference_run):
    """1,000 steps: mean of the last 100 losses 2.276, then kamon, ann, karai, ... (the session's run of
    the default model on the reference list, conftest.py's `reference_run`: a plain Trainer stepped 1,000 times)."""
    trainer, losses = reference_run.trainer, reference_run.losses
    assert len(losses) == 1000 and trainer.done
    assert round(sum(losses[-100:]) / 100, 3) == 2.276
    rng = random.Random()
    rng.setstate(reference_run.rng_after)  # where training left it (the shared trainer's own rng stays put)
    names = [Sampler(trainer.model, trainer.tokenizer, rng, 0.5).run() for _ in range(20)]
    assert names[:8] == ["kamon", "ann", "karai", "jaire", "vialan", "karia", "yeran", "anna"]
