"""Words a new user tripped over, checked without an app: plurals of one step, in English and in 中文 (the same
figures in both: tests/in_both.py)."""

import pytest
from in_both import LANGUAGES, quotes, said, shown, speaking
from lab_helpers import begun_lab

from microgpt_engine import Config, Trainer
from microgpt_tui import language, texts
from microgpt_tui.core.lab import Lab
from microgpt_tui.core.reasons import complete
from microgpt_tui.features.reference.facts import session_facts as facts
from microgpt_tui.features.training.run import Pace


def trained_to_the_end(docs: list[str], folder, steps: int) -> Lab:
    """A small lab whose run (r) trained all its `steps` and landed."""
    lab = Lab(Trainer(docs, Config(n_embd=8, n_head=2, steps=steps, seed=5)), docs, "small", folder / "c.json")
    lab.begin()
    lab.run_or_pause()
    run = lab.stepping.run
    run.work(lambda: None)  # (the app's worker, here on this thread)
    lab.take_steps(run.id)
    return lab


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_step_is_one_step_not_one_steps(small_docs, tmp_path, lang):
    with speaking(lang):
        lab = trained_to_the_end(small_docs, tmp_path, steps=1)
        assert lang != "en" or lab.event == "training finished: 1 step. Press s to sample names."
        assert quotes(shown(lab.event), "1")  # (as the status line says it, in either language)
        assert lang != "en" or complete(lab.trainer.config).startswith("training is complete: its one step is taken")
        one = (
            "training is complete: its one step is taken. "
            "s draws samples; the , key looks back at earlier steps; o starts a new run with other settings"
        )
        assert shown(complete(lab.trainer.config)) == said(one)
        ending = language._(texts.TOUR[-1].body).format(**facts(lab.session, lab.rules))
        assert quotes(ending, "1") and (lang != "en" or ("now, 1 step in:" in ending and "steps in" not in ending))
        assert Pace(1).label == "1 step/s"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_note_at_the_end_of_training_says_the_learning_rate_the_last_step_used(small_docs, tmp_path, lang):
    """reasons.complete: "all 4 steps are taken, the last at 1/4 of the learning rate" (old: "decayed to 0")."""
    with speaking(lang):
        lab = trained_to_the_end(small_docs, tmp_path, steps=4)
        last = lab.history.lr(4)
        assert lab.trainer.done and last == pytest.approx(lab.trainer.config.lr / 4) and last > 0
        note = shown(complete(lab.trainer.config))
        assert quotes(note, "4", "1", "4")
        assert lang != "en" or "all 4 steps are taken, the last at 1/4 of the learning rate" in note


@pytest.mark.parametrize("lang", LANGUAGES)
def test_many_steps_stay_plural(small_docs, tmp_path, lang):
    with speaking(lang):
        lab = begun_lab(small_docs, tmp_path)
        lab.step()
        lab.step()
        steps_in = facts(lab.session, lab.rules)["steps_in"]
        assert quotes(steps_in, "2") and (lang != "en" or steps_in == "2 steps")


def test_learner_screens_print_plain_decimals_and_keep_the_exponent_for_extremes():
    from microgpt_tui.core.labels import decimal, learning_rate
    from microgpt_tui.features.panels.param_table import number, signed

    assert decimal(-0.287, 3, sign=True) == "-0.287" and learning_rate(1.14e-05) == "0.0000114"
    assert learning_rate(0.01) == "0.0100" and learning_rate(2.5e-4) == "0.000250"
    assert signed(-0.0094) == "-0.0094" and number(0.00012) == "0.00012"
    assert decimal(3e154, 3) == "3.00e+154" and signed(-1.2e-6) == "-1.2e-06"  # too small or large for decimals
