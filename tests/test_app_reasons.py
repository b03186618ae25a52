"""Keys that do nothing now say why and what to do instead; esc leaves sampling; everything counts from 0."""

from app_helpers import make_app, panel, trained

from microgpt_data import bundled_names_path, load_documents
from microgpt_engine import Config, Trainer
from microgpt_tui.app import MicroGPTApp

SIZE = (120, 40)


def note(app):
    return app.lab.event


async def test_space_and_r_after_the_last_step_say_training_is_complete():
    app = make_app(steps=2)
    async with app.run_test(size=SIZE) as pilot:
        await trained(pilot)
        assert app.lab.trainer.done
        for key in ("space", "r"):
            app.lab.session.event = ""
            await pilot.press(key)
            assert app.lab.trainer.step_count == 2
            assert note(app).startswith("training is complete: all 2 steps are taken"), note(app)
            assert "training is complete" in panel(app, "#status")


async def test_n_f_comma_full_stop_brackets_and_h_say_why_they_do_nothing_now():
    """One app, fresh: n and f with no sample say s starts one; , before any step and . at the newest step say
    why; ] with one layer and h with all heads shown say why."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert note(app) == "no sample in progress: s starts one, then n reveals one more character"
        await pilot.press("f")
        assert note(app) == "no sample on screen: s starts one, then ← → pick a position and f replaces its letter"
        assert app.screen is app.main  # no dialog opened

        await pilot.press("comma")
        assert note(app) == "no step taken yet: time travel needs at least one (space takes one)"
        await pilot.press("space", "full_stop")
        assert note(app) == "already at the newest step (1, now): , goes back in time"
        assert app.lab.viewed_step is None

        await pilot.press("right_square_bracket")
        assert note(app).startswith("this model has one layer (layer 0 of 1)")
        await pilot.press("a", "h")
        assert note(app) == "all heads are shown side by side: a shows one head again, then h and l change it"
        assert app.lab.selection.head == 0


async def test_a_finished_checkpoint_opens_with_what_to_do_instead_of_space():
    docs = load_documents(bundled_names_path())[:200]
    trainer = Trainer(docs, Config(steps=2, seed=42))
    trainer.step()
    trainer.step()
    app = MicroGPTApp(trainer, dataset_name="names.txt", docs=docs, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = panel(app, "#status")
        assert "space trains" not in status and "training is complete" in status


async def test_escape_leaves_sampling_and_shows_the_training_document_again():
    app = make_app(sample_interval=3600)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "s", "n")
        assert app.lab.mode == "sampling" and app.lab.sequence.kind == "sample"
        await pilot.press("escape")
        assert app.lab.mode == "paused" and app.lab.drawing.sampler is None
        assert app.lab.sequence.kind == "train" and app.lab.sequence.text == app.lab.stepping.latest.doc
        assert note(app).startswith("left sampling")
        app.lab.session.event = ""
        await pilot.press("escape")  # nothing to leave: esc stays quiet
        assert note(app) == ""


async def test_layers_heads_and_ablations_count_from_zero_like_the_matrix_names():
    app = make_app(config=dict(n_layer=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert "layer 0 of 2 · head 0 of 4" in panel(app, "#attention")
        await pilot.press("right_square_bracket", "l", "z")
        assert "layer 1 of 2 · head 1 of 4" in panel(app, "#attention")
        assert "ABLATED L1H1" in panel(app, "#status")
        assert "layer1.attn_wq" in panel(app, "#params")
