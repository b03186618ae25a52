"""What a crash or a signal keeps: the recovery checkpoint was only tried beside the save path (a full or
read-only folder lost the steps), and only the live run was kept (the session's other unsaved runs lost)."""

import asyncio
import signal

from app_helpers import make_app

from microgpt_engine import load_checkpoint
from microgpt_tui.cli.launch import ended
from microgpt_tui.features.runs.settings_form import CURRENT

TINY = dict(n_embd=8, n_head=2)


def session(tmp_path, save_path):
    """An app (not running) whose lab trained run 0 for 3 steps, then run 1 (other lr) for 2 unsaved steps."""
    app = make_app(tmp_path, steps=10, config=TINY)
    lab = app.lab
    lab.session.save_path = save_path
    lab.begin()
    for _ in range(3):
        lab.step()
    lab.session.saved_step = 3  # (the new run starts without asking)
    values = {name: str(getattr(lab.trainer.config, name)) for name in ("lr", "steps", "n_embd", "n_head")}
    choice, errors = lab.experiments.check_settings({**values, "lr": "0.05"}, "fused", CURRENT, "")
    assert errors == {}
    asyncio.run(lab.experiments.apply_settings(choice))
    lab.session.saved_step = 0
    lab.step()
    lab.step()
    return app


def test_a_recovery_checkpoint_goes_to_the_working_folder_when_the_save_folder_cannot_take_it(
    tmp_path, monkeypatch, capsys
):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = session(tmp_path, tmp_path / "gone" / "ckpt.json")  # a folder that is not there (or full, read-only)
    assert ended(app, signal.SIGTERM) == 128 + signal.SIGTERM
    kept = sorted(p.name for p in here.iterdir())
    assert len(kept) == 2, kept  # the live run and the earlier one
    live = next(here / name for name in kept if "-run" not in name)
    assert load_checkpoint(live).step == 2
    assert f"its 2 unsaved steps are saved in {live}" in capsys.readouterr().err


def test_the_sessions_earlier_unsaved_runs_are_kept_too(tmp_path, capsys):
    app = session(tmp_path, tmp_path / "ckpt.json")
    ended(app, signal.SIGTERM)
    earlier = [p for p in tmp_path.iterdir() if "ckpt-run0.recovery-" in p.name]
    assert len(earlier) == 1
    ckpt = load_checkpoint(earlier[0])
    assert ckpt.step == 3 and ckpt.config.lr == 0.01 and len(ckpt.extra["history"]["loss"]) == 3
    assert f"run 0 (3 steps, not saved) is kept in {earlier[0]}" in capsys.readouterr().err


def test_an_app_ended_without_q_keeps_its_unsaved_steps(tmp_path, capsys):
    """Under `serve`, Textual's web driver ends the app on SIGTERM or a closed tab with exit code 0, so the
    recovery never ran: the steps of a training tab were lost without a word."""
    app = session(tmp_path, tmp_path / "ckpt.json")
    assert ended(app, None) == 0
    live = [p for p in tmp_path.iterdir() if p.name.startswith("ckpt.recovery-")]
    assert len(live) == 1 and load_checkpoint(live[0]).step == 2
    assert "was ended without q" in capsys.readouterr().err


def test_an_app_the_learner_quit_writes_no_recovery(tmp_path):
    app = session(tmp_path, tmp_path / "ckpt.json")
    asyncio.run(app.lab.saving.quit_answer("quit"))  # q, then "quit without saving"
    assert ended(app, None) == 0
    assert not [p for p in tmp_path.iterdir() if ".recovery-" in p.name]
