"""Share codes: a screen's code reopens that screen; a bad code is one line."""

import pytest
from app_helpers import DOCS, make_app, press_sent, until
from recording_helpers import shown

from microgpt_engine import Config, Trainer
from microgpt_tui.app import MicroGPTApp
from microgpt_tui.features.recording import codes
from microgpt_tui.opening import open_screen

SMALL = {"n_embd": 2, "n_head": 2, "block_size": 4}  # (a step in ~1.5 ms: 500 of them twice in seconds)


def test_a_code_says_what_differs_from_a_new_session_and_reads_back():
    code = codes.ScreenCode(
        Config(n_embd=8, n_head=2, steps=500, lr=1e-05, seed=-3, temperature=0.7),
        engine="plain",
        data=codes.DataRef("my names ü.txt", 1234, "0123456789ab"),
        step=480,
        viewed=470,
        layer=0,
        head=1,
        all_heads=True,
        position=3,
        before=True,
        ablation=frozenset({(0, 1), (0, None)}),
        view="v",
        lesson="2.3",
    )
    text = code.text()
    assert codes.parse(text) == code
    assert codes.SAFE.fullmatch(text) and "R1e-05" in text and "s480" in text
    assert codes.parse(codes.ScreenCode().text()) == codes.ScreenCode()
    assert len(codes.ScreenCode(step=500, head=2, ablation=frozenset({(0, 2)})).text()) < 30


GOOD = codes.ScreenCode(step=500, head=2, ablation=frozenset({(0, 2)})).text()
BAD = {
    "empty": ("", "not a microgpt-tui code"),
    "another prefix": ("xx1_s5_c0000", "not a microgpt-tui code"),
    "shell": ("mg1_$(reboot)", "not a microgpt-tui code"),
    "mistyped": (GOOD.replace("s500", "s600"), "check does not match"),
    "cut short": (GOOD[:-2], "check does not match"),
    "too long": ("mg1_" + "s1_" * 400, "at most"),
}


def signed(body):
    import zlib

    return f"{body}_c{zlib.crc32(body.encode()) & 0xFFFF:04x}"


BAD |= {
    "step past the run": (signed("mg1_s2000"), "step must be a whole number up to 1,000"),
    "viewed after the step": (signed("mg1_s5_v9"), "viewed step"),
    "no such head": (signed("mg1_s5_h4"), "head must be"),
    "ablating no such head": (signed("mg1_z0.7"), "does not have"),
    "bad setting": (signed("mg1_H5"), "divisible"),
    "huge number": (signed("mg1_s" + "9" * 5000), "at most"),
    "unknown letter": (signed("mg1_k3"), "which no code has"),
    "twice": (signed("mg1_s3_s4"), "twice"),
    "unknown view": (signed("mg1_wq"), "view"),
    "half the data": (signed("mg1_Dmfrgg"), "data is cut short"),
    "a path as data": (signed("mg1_D" + codes._b32("../x") + "_Y3_X0123456789ab"), "not a file's name"),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_code_is_one_line(kind):
    text, words = BAD[kind]
    with pytest.raises(codes.CodeError) as caught:
        codes.parse(text)
    assert words in str(caught.value) and "\n" not in str(caught.value)


async def test_a_code_at_step_500_with_a_head_and_an_ablation_reopens_the_screen(tmp_path):
    app = make_app(tmp_path, steps=500, config=SMALL)
    async with app.run_test(size=(100, 32)) as pilot:
        await press_sent(pilot, "r")
        await until(pilot, lambda: app.lab.mode == "paused" and app.lab.trainer.step_count == 500, timeout=60)
        await until(pilot, lambda: not app.workers)  # (the held-out measurement landed)
        await press_sent(pilot, "l", "z")
        recorded = await shown(app)
        await press_sent(pilot, "ctrl+l")
        code = app.clipboard
        assert app.lab.session.event == f"this screen's code: {code}"
    parsed = codes.parse(code)
    assert (parsed.step, parsed.head, parsed.ablation, parsed.config.n_embd) == (500, 1, {(0, 1)}, 2)

    again = MicroGPTApp(
        Trainer(DOCS, parsed.config), dataset_name="names.txt", save_path=tmp_path / "b.json", docs=DOCS,
        show_timing=False,
    )  # fmt: skip
    opened = []

    async def opening():
        await open_screen(again, parsed)
        opened.append(True)

    again.after_ready = opening
    async with again.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: opened, timeout=60)
        assert await shown(again) == recorded


def test_a_screen_gets_no_code_where_a_code_could_not_reopen_it(small_docs, tmp_path):
    """While training runs, on a run forked with other settings, on other data, or in a session from a
    checkpoint (which cannot be recorded either): the note says why, and nothing is copied."""
    from lab_helpers import begun_lab

    from microgpt_tui.core.lab import Lab

    lab = begun_lab(small_docs, tmp_path)
    lab.step()
    code, _ = lab.recording.share("MainScreen")
    assert codes.parse(code).step == 1 and codes.parse(code).data.name == "small"
    lab.run_or_pause()
    assert lab.recording.share("MainScreen")[0] is None and "pause it" in lab.session.event
    run = lab.stepping.run
    lab.run_or_pause()
    run.work(lambda: None)  # (the worker, here: it acts on the pause at once)
    lab.take_steps()
    assert lab.stepping.run is None
    lab.session.current_run.origin = "forked at step 1 with lr 0.02"
    assert lab.recording.share("MainScreen")[0] is None and "did not start from its settings" in lab.session.event
    lab.session.current_run.origin = ""
    lab.session.docs = small_docs[1:]
    assert lab.recording.share("MainScreen")[0] is None and "data chosen in the settings" in lab.session.event

    trainer = Trainer(small_docs, Config(n_embd=8, n_head=2, steps=5))
    trainer.step()  # (as --load CKPT brings it)
    loaded = Lab(trainer, small_docs, "small", tmp_path / "ckpt.json")
    assert "cannot record" in loaded.recording.toggle().note and not loaded.recording.recording
    assert loaded.recording.share("MainScreen")[0] is None
