"""The way into the app: a terminal that cannot draw (TERM=dumb) is told so instead of drawn on, and what
the command line notes before the app opens (the --load note about other data) is shown in the app too,
not only on stderr behind it until quit."""

import os
import subprocess

from cli_helpers import ENTRY

from microgpt_engine import Config, Trainer, save_checkpoint
from microgpt_tui.cli.launch import make_app
from microgpt_tui.cli.options import build_parser, make_trainer

TINY = ["--n-embd", "8", "--n-head", "2", "--steps", "5"]


def test_term_dumb_is_refused_in_one_line_even_on_a_terminal(tmp_path):
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "dumb", "HOME": str(tmp_path)}
    proc = subprocess.Popen([*ENTRY, *TINY], stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    os.close(slave)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert proc.returncode == 2
    assert err.decode().strip() == (
        "microgpt-tui: error: the app needs a terminal that can draw (TERM is dumb); "
        "for headless training use 'microgpt-tui train'"
    )


async def test_the_load_note_about_other_data_is_shown_in_the_app(tmp_path):
    ckpt, data = tmp_path / "c.json", tmp_path / "other.txt"
    save_checkpoint(Trainer(["emma", "ava", "mia"], Config(steps=5, n_embd=8, n_head=2)), ckpt)
    data.write_text("ava\nmia\nemma\nemma\n")  # the same characters, other documents
    args = build_parser().parse_args(["--load", str(ckpt), "--data", str(data), "--save", str(tmp_path / "s.json")])
    trainer, docs, name, extra = make_trainer(args)
    app = make_app(args, trainer, docs, name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("was trained on other data (3 documents); continuing on other.txt (4)" in m for m in shown), shown
