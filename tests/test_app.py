"""Pilot tests for the app: every key binding, pressed, then the state and the screen checked."""

import inspect

import pytest
from app_helpers import (
    DOCS,
    landed,
    make_app,
    make_gated_app,
    palette_searched,
    panel,
    percents,
    send,
    settled,
    until,
    wait_until,
    widget_text,
)
from quick_pilot import keys, palette_typed

from microgpt_engine import Config, Trainer, load_checkpoint, save_checkpoint
from microgpt_tui.app import MicroGPTApp
from microgpt_tui.bindings import BINDINGS
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.screens.help import HelpScreen

SIZE = (120, 40)


async def test_space_three_times_takes_three_steps_and_shows_each_loss_before_and_after():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space", "space")
        assert app.lab.trainer.step_count == 3
        assert "step 3/40" in panel(app, "#status")
        record = app.lab.stepping.latest
        assert record.loss_after is not None
        assert f"loss {record.loss:.3f} → {record.loss_after:.3f} after the update" in panel(app, "#status")
        assert app.lab.sequence.kind == "train" and app.lab.sequence.text == record.doc


async def test_after_a_step_the_panels_show_the_document_the_vocabulary_the_matrices_and_the_run():
    """One step, then each panel: the attention labels are the document's characters with BOS visible, the
    token panel the whole vocabulary summing to one, the parameter panel a row per matrix and the total, the
    status line the run at a glance."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        doc = app.lab.stepping.latest.doc
        header = panel(app, "#attention").splitlines()[1].strip("│ ")
        assert header.split() == ["◆", *doc]
        lines = panel(app, "#attention").splitlines()[2:-1]
        rows = [line.strip("│ ").split()[0].lstrip("▸") for line in lines if line.strip("│ ")]  # (tall rows: 1 label)
        assert rows == ["◆", *doc]

        text = panel(app, "#tokens")
        shown = percents(text)[2:]  # the first two: the marked token's p before → after the update, in the header
        assert len(shown) == app.lab.trainer.tokenizer.vocab_size
        assert sum(shown) == pytest.approx(100, abs=0.05 * len(shown))

        text = panel(app, "#params")
        for stats in app.lab.stepping.latest.params:
            assert stats.name in text
        assert f"total {app.lab.trainer.model.num_params:,}" in text

        text = panel(app, "#status")
        for part in ("step 1/40", "loss", "ema", "lr", "PAUSED", "4,192", "names.txt", "200 docs"):
            assert part in text


async def test_right_marks_the_actual_next_character_and_left_and_right_stay_within_the_document():
    """The token panel marks the actual next character with p and −log p; ← → move the selected position
    within the document."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "right")
        doc = app.lab.stepping.latest.doc
        p = app.lab.stepping.latest.positions[1].probs[app.lab.stepping.latest.positions[1].target]
        text = panel(app, "#tokens")
        assert f"actual next {doc[1]}" in text
        assert f"p {p * 100:.1f}%" in text
        marked = [line for line in text.splitlines() if "▸" in line]
        assert len(marked) == 1 and marked[0].strip("│ ").startswith(f"▸{doc[1]}")
        await keys(pilot, "right")
        assert app.lab.selection.position == 2
        assert "pos 2 after" in panel(app, "#tokens")
        selected = [line for line in panel(app, "#attention").splitlines() if "▸" in line]
        assert len(selected) == 1 and selected[0].strip("│ ").startswith("▸" + app.lab.stepping.latest.doc[1])
        await keys(pilot, *["left"] * 5)
        assert app.lab.selection.position == 0
        await keys(pilot, *["right"] * 30)
        assert app.lab.selection.position == len(app.lab.sequence) - 1


async def test_a_shows_all_heads_h_l_and_tab_change_the_head_and_brackets_the_layer():
    """a shows all heads side by side (h is off meanwhile); h, l, tab and shift+tab change the head; [ ] are
    disabled with one layer and change it with two."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.check_action("layer", ()) is None
        await keys(pilot, "right_square_bracket")
        assert app.lab.selection.layer == 0
        await keys(pilot, "space", "a")
        assert app.lab.selection.all_heads
        text = panel(app, "#attention")
        assert "all 4 heads" in text
        assert [f"head {h}" for h in range(4)] == [
            w + " " + n for w, n in zip(text.split()[::1], text.split()[1:]) if w == "head" and n.isdigit()
        ]
        assert app.check_action("head", ()) is None
        await keys(pilot, "a")
        assert not app.lab.selection.all_heads and "head 0 of 4" in panel(app, "#attention")
        await keys(pilot, "l")
        assert app.lab.selection.head == 1 and "head 1 of 4" in panel(app, "#attention")
        await keys(pilot, "h", "h")
        assert app.lab.selection.head == 3
        await keys(pilot, "tab")
        assert app.lab.selection.head == 0
        await keys(pilot, "shift+tab")
        assert app.lab.selection.head == 3
    app = make_app(config=dict(n_layer=2))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "right_square_bracket")
        assert app.lab.selection.layer == 1 and "layer 1 of 2" in panel(app, "#attention")
        await keys(pilot, "left_square_bracket")
        assert app.lab.selection.layer == 0


async def test_r_trains_in_the_background_and_r_again_pauses():
    app = make_app(steps=100_000)
    async with app.run_test(size=SIZE) as pilot:
        send(app, "r", "r")  # (keys are sent, not pressed, while training: Pilot waits ~1 s for an idle CPU)
        await until(pilot, lambda: app.lab.mode == "training")
        await until(pilot, lambda: app.lab.trainer.step_count >= 10 and app.lab.stepping.latest is not None)
        send(app, "l", "l")  # the UI still answers while the worker trains
        await until(pilot, lambda: app.lab.selection.head == 1)
        assert app.check_action("step", ()) is None  # no single step while running
        assert app.check_action("sample", ()) is None
        await pilot.press("r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        steps = app.lab.trainer.step_count
        await settled(pilot)  # the worker has ended: no step can follow
        assert app.lab.trainer.step_count == steps
        assert len(app.lab.history) == steps
        assert f"step {steps:,}/" in panel(app, "#status")
        assert "PAUSED" in panel(app, "#status")


async def test_training_stops_by_itself_at_the_configured_steps():
    app = make_app(steps=6)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert app.lab.trainer.step_count == 6
        assert "training finished" in panel(app, "#status")
        assert app.check_action("run", ()) is None and app.check_action("step", ()) is None


async def test_s_samples_a_name_one_character_at_a_time_and_stops_at_bos():
    app = make_app(sample_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "s")
        await wait_until(pilot, lambda: not app.lab.drawing.sampling)
        sampler = app.lab.drawing.sampler
        last = sampler.records[-1]
        block = app.lab.trainer.config.block_size
        assert last.chosen == app.lab.trainer.tokenizer.bos or len(sampler.records) == block
        assert app.lab.mode == "paused"
        assert app.lab.sequence.kind == "sample" and len(app.lab.sequence) == len(sampler.records)
        name, known = app.lab.drawing.samples.entries[0]
        assert name == sampler.text and known == (name in app.lab.docs)
        assert sampler.text[:8] in panel(app, "#samples")
        # the attention panel follows the sample: its columns are ◆ then the characters
        header = panel(app, "#attention").splitlines()[1].strip("│ ")
        assert header.split() == [app.lab.trainer.tokenizer.label(r.token) for r in sampler.records]


async def test_n_reveals_exactly_one_character_and_stops_auto_advance():
    app = make_app(sample_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        assert app.check_action("next_char", ()) is None  # nothing to advance yet
        await keys(pilot, "s")
        assert app.lab.mode == "sampling"
        assert len(app.lab.drawing.sampler.records) == 1
        await keys(pilot, "n")
        assert len(app.lab.drawing.sampler.records) == 2 or app.lab.drawing.sampler.done
        assert app._sample_timer is None
        assert app.lab.selection.position == len(app.lab.drawing.sampler.records) - 1
        assert "sampled" in panel(app, "#tokens")


async def test_plus_and_minus_change_the_sampling_temperature_within_bounds():
    app = make_app(sample_interval=3600)  # the sample waits for n: no character drawn between the checks
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "plus")
        assert app.lab.selection.temperature == pytest.approx(0.6)
        assert "samples: T 0.6" in panel(app, "#tokens")
        await keys(pilot, "minus", "minus")
        assert app.lab.selection.temperature == pytest.approx(0.4)
        await keys(pilot, *["minus"] * 10)
        assert app.lab.selection.temperature == pytest.approx(0.1)
        await keys(pilot, "s", "plus")
        assert app.lab.drawing.sampler.temperature == pytest.approx(0.2)
        assert "bars: T 0.1 · next: T 0.2" in panel(app, "#tokens")  # the bars stay at 0.1 until the next draw


async def test_ctrl_s_saves_a_checkpoint_that_loads_and_the_quit_dialog_can_save_then_quit(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "ctrl+s")
        path = tmp_path / "ckpt.json"
        assert path.exists()
        assert app.lab.saved_step == 2
        assert str(path) in panel(app, "#status")
        assert load_checkpoint(path).restore(app.lab.docs).step_count == 2
        await pilot.press("space", "q", "s")  # the quit dialog can save (step 3 now), then quit
        await pilot.pause()
        assert load_checkpoint(path).step == 3
        assert app.return_code == 0


async def test_ctrl_s_while_training_saves_and_keeps_training(tmp_path):
    app = make_app(tmp_path, steps=100_000)
    async with app.run_test(size=SIZE) as pilot:
        send(app, "r", "r")  # (keys are sent, not pressed, while training: Pilot waits ~1 s for an idle CPU)
        await until(pilot, lambda: app.lab.trainer.step_count >= 3)
        send(app, "ctrl+s")
        await until(pilot, lambda: app.lab.saved_step > 0)
        saved = app.lab.saved_step
        assert saved >= 3 and (tmp_path / "ckpt.json").exists()
        assert app.lab.mode == "training"
        await until(pilot, lambda: app.lab.trainer.step_count > saved + 2)
        send(app, "r", "r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")


async def test_q_quits_at_once_when_nothing_is_unsaved():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        assert app.return_code == 0


async def test_help_lists_every_key_and_q_ctrl_q_and_the_palettes_quit_ask_first_with_unsaved_steps():
    """? lists every key and closes; with an unsaved step ctrl+q and the palette's quit ask like q (one dialog
    at a time), and q asks first, then quits."""
    from microgpt_tui.bindings import long_name

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-table").render())
        rows = {row[1] for row in app.screen.rows}
        assert {long_name(b) for b in BINDINGS} <= rows and "guided tour" in rows
        assert text  # rendered
        await pilot.press("escape")
        assert app.screen is app.main

        await pilot.press("space", "ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("ctrl+q")  # already asking: no second dialog
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert app.screen is app.main and app.return_code is None
        await palette_typed(pilot, "quit")
        await palette_searched(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen))
        await pilot.press("escape")
        assert app.return_code is None

        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        assert app.check_action("step", ()) is False  # the dialog's keys apply, not the app's
        await pilot.press("escape")
        assert app.screen is app.main and app.return_code is None
        await pilot.press("q", "q")
        assert app.return_code == 0


def test_every_binding_has_its_action_on_the_app():
    """Textual finds a key's action by name: each bound action (most of them one-line intent actions, or the
    own-screen functions) is a method of the app, taking the binding's parameters."""
    for binding in BINDINGS:
        name, _, params = binding.action.partition("(")
        method = getattr(MicroGPTApp, f"action_{name}", None)
        assert callable(method), binding.action
        assert len(inspect.signature(method).parameters) >= 1 + bool(params.strip(")")), binding.action


async def test_command_palette_offers_the_actions_that_apply():
    app = make_app()
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "step (space)" in titles and "sample (s)" in titles
        assert not any(t.startswith("next char") for t in titles)  # no sample in progress


async def test_footer_shows_the_keys():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def shown():
            return " ".join(widget_text(key) for key in app.main.query("FooterKey, FooterLabel") if key.display)

        for word in ("space", "step", "run/pause", "sample", "help", "tour"):
            assert word in shown()
        assert "quit" not in shown()  # the last keys do not fit whole at 120 columns: they stay out
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        await pilot.pause()
        assert "quit" in shown()  # a wide terminal shows every key


async def test_too_small_terminal_shows_a_message_then_recovers():
    app = make_app()
    async with app.run_test(size=(79, 23)) as pilot:
        assert app.main.has_class("-too-small")
        assert "needs at least 80×24" in str(app.main.query_one("#too-small").render())
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.main.has_class("-too-small")
        assert app.main.query_one("#attention").region.width > 0


async def test_the_layout_fits_100_by_30():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await keys(pilot, "space")
        screen = app.main.region
        for selector in ("#status", "#loss", "#attention", "#tokens", "#params", "#samples"):
            region = app.main.query_one(selector).region
            assert region.area > 0 and screen.contains_region(region), selector
        assert "total 4,192" in panel(app, "#params")


async def test_loss_plot_draws_the_uniform_and_bigram_reference_lines():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await keys(pilot, "space", "space")
        text = panel(app, "#loss")
        assert "uniform 3.30" in text
        assert f"bigram {app.lab.bigram:.2f}" in text


async def test_command_palette_runs_an_action_by_name():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await palette_typed(pilot, "step (space)")
        await palette_searched(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: app.lab.trainer.step_count == 1)
        await settled(pilot)
        assert app.lab.trainer.step_count == 1


async def test_diverging_training_stops_and_says_so():
    app = make_app(config=dict(lr=1000.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert app.lab.trainer.diverged and app.lab.stepping.latest.diverged
        assert "diverged" in panel(app, "#status")
        assert len(app.lab.history) == app.lab.trainer.step_count  # the bad step is not in the history
        await keys(pilot, "space")  # a single step on a diverged model says so too
        assert "diverged" in panel(app, "#status")


async def test_q_while_training_pauses_then_asks():
    app = make_app(steps=100_000)
    async with app.run_test(size=SIZE) as pilot:
        send(app, "r", "r")  # (sent, not pressed: while training Pilot waits ~1 s for an idle CPU)
        await until(pilot, lambda: app.lab.trainer.step_count >= 3)
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen) and app.lab.mode == "paused"
        steps = app.lab.trainer.step_count
        await settled(pilot)  # the worker has ended
        assert app.lab.trainer.step_count == steps  # nothing trains behind the dialog
        assert app.screen.unsaved_steps == steps
        await pilot.press("escape")
        assert app.check_action("run", ()) is True


# -- stopping training leaves the app exactly where the trainer is ------------------------


class ProbedApp(MicroGPTApp):
    """The app, noting its state the moment a probed action returns (before any message queued meanwhile)."""

    def __init__(self, *args, probed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.probed = probed
        self.started = set()  # probed actions that began (and wait, if they wait, for the step in flight)
        self.after = {}  # action -> state() when it returned

    async def run_action(self, action, default_namespace=None, namespaces=None):
        if action in self.probed:
            self.started.add(action)
        handled = await super().run_action(action, default_namespace, namespaces)
        if action in self.probed:
            self.after[action] = state(self)
        return handled


def state(app):
    """What the app holds and shows, beside what the trainer has done."""
    timeline = app.lab.time
    return dict(
        steps=app.lab.trainer.step_count,
        now=timeline.now,
        history=len(app.lab.history),
        latest=app.lab.stepping.latest.step,
        shown=app.lab.sequence.text,
        last_doc=app.lab.history.summary(timeline.now).doc,
        sequence=app.lab.sequence,
        card=app.main.query_one("#quiz").card if app.lab.quizzing.on else None,
    )


@pytest.mark.parametrize("key, char, action", [("p", "p", "quiz"), ("comma", ",", "view_step(-1)")])
async def test_a_key_that_stops_training_continues_on_every_step_taken_and_later_messages_change_nothing(
    key, char, action
):
    app = make_gated_app(app_class=ProbedApp, probed={action})
    async with app.run_test(size=SIZE) as pilot:
        send(app, "r", "r")
        # (and the app took in a batch: , with no step in the history says there is none and trains on)
        await until(pilot, lambda: app.lab.trainer.step_count >= 10 and len(app.lab.history) > 0)
        app.lab.trainer.hold()
        await until(pilot, lambda: app.lab.trainer.waiting.is_set())  # the worker is inside a step
        send(app, key, char)
        await until(pilot, lambda: app.lab.stepping.run.stop_requested)  # the key's action waits for that step
        app.lab.trainer.release()  # the step ends; its record is in no batch the app has seen yet
        await until(pilot, lambda: action in app.after)
        seen = app.after[action]
        assert seen["history"] == seen["latest"] == seen["steps"] == seen["now"]
        assert seen["shown"] == seen["last_doc"]
        await settled(pilot)  # the worker has ended and its last messages arrived: nothing left to absorb
        await landed(pilot)  # (and , lands on the step before: its replay ran off the UI thread)
        assert app.lab.mode == "paused"
        assert state(app) == seen and app.lab.sequence is seen["sequence"]
        if key == "p":
            assert app.main.query_one("#quiz").card is seen["card"]
        else:
            assert app.lab.viewed_step == seen["now"] - 1


async def test_a_run_that_fails_while_a_key_stops_it_says_it_failed_not_paused():
    app = make_gated_app()
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        app.lab.trainer.hold()
        send(app, "r", "r")
        await until(pilot, lambda: app.lab.trainer.waiting.is_set())
        send(app, "comma", ",")
        await until(pilot, lambda: app.lab.stepping.run.stop_requested)  # , waits for the held step
        app.lab.trainer.fail = RuntimeError("boom")
        app.lab.trainer.release()
        await until(pilot, lambda: app.lab.viewed_step == 1)
        assert app.lab.mode == "paused" and app.lab.event == "training stopped: RuntimeError: boom"
        assert any("RuntimeError: boom" in n.message and n.severity == "error" for n in app._notifications)


async def test_ctrl_s_while_pausing_saves_and_stays_paused(tmp_path):
    app = make_gated_app(tmp_path, app_class=ProbedApp, probed={"save"})
    async with app.run_test(size=SIZE) as pilot:
        send(app, "r", "r")
        await until(pilot, lambda: app.lab.trainer.step_count >= 3)
        app.lab.trainer.hold()
        await until(pilot, lambda: app.lab.trainer.waiting.is_set())
        send(app, "r", "r")  # pausing…
        send(app, "ctrl+s")  # …and saving before the step in progress has ended
        await until(pilot, lambda: "save" in app.started)  # (it waits for that step)
        assert app.lab.trainer.waiting.is_set()
        app.lab.trainer.release()
        await until(pilot, lambda: app.lab.saved_step > 0)
        steps = app.lab.trainer.step_count
        await settled(pilot)  # the worker has ended: nothing trains after the save
        assert app.lab.mode == "paused" and app.lab.trainer.step_count == steps == app.lab.saved_step
        assert load_checkpoint(tmp_path / "ckpt.json").step == steps


# -- every way to quit asks about unsaved steps --------------------------------------------


# -- the loss curve of a run loaded from a checkpoint -----------------------------------------


async def test_after_loading_a_step_10_checkpoint_the_next_two_losses_plot_at_steps_11_and_12(tmp_path):
    trainer = Trainer(DOCS, Config(steps=40, seed=42))
    for _ in range(10):
        trainer.step()
    save_checkpoint(trainer, tmp_path / "ckpt.json")
    restored = load_checkpoint(tmp_path / "ckpt.json").restore(DOCS)
    app = MicroGPTApp(restored, "names.txt", tmp_path / "ckpt.json", DOCS, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        drawn = app.main.query_one("#loss").plt._active.monitor  # what plotext was handed
        (steps, mean_steps), (losses, _) = drawn.x, drawn.y
        assert steps == mean_steps == [11, 12]
        assert losses == app.lab.history.losses


# -- a sample paused half-way ----------------------------------------------------------------


async def test_n_on_a_paused_half_written_sample_is_sampling_and_space_and_r_always_agree():
    app = make_app(sample_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "s", "comma")  # looking back keeps the sample, unfinished
        assert app.lab.mode == "paused" and app.lab.drawing.sampling
        assert app.check_action("step", ()) == app.check_action("run", ()) is True
        await keys(pilot, "n")
        assert not app.lab.drawing.sampler.done and len(app.lab.drawing.sampler.records) == 2
        assert app.lab.mode == "sampling" and "SAMPLING" in panel(app, "#status")
        assert app.check_action("step", ()) == app.check_action("run", ()) is True
        await keys(pilot, "space")  # training drops the unfinished sample
        assert app.lab.trainer.step_count == 2 and app.lab.mode == "paused" and app.lab.drawing.sampler is None
