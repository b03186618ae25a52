"""Reliability of the app: blown-up numbers, failed saves, quitting mid-run, tiny terminals, key fuzz.

Each test drives the app through Pilot as a user would and then checks that the
answer was clear (a message on screen), nothing was lost (files, steps) and no
exception escaped (run_test re-raises any; `RecordingApp` catches failed workers).
"""

import asyncio
import importlib
import io
import math
import os
import pkgutil
import random
import string
import unicodedata

import pytest
from app_helpers import DOCS, panel, until, wait_until
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.geometry import Size
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.worker import Worker, WorkerState

import microgpt_engine.checkpoint
import microgpt_tui.screens
import microgpt_tui.widgets
from microgpt_engine import Config, Trainer, load_checkpoint
from microgpt_tui.app import MicroGPTApp
from microgpt_tui.features.saving.quit_screen import QuitScreen
from microgpt_tui.screens.main import MIN_HEIGHT, MIN_WIDTH, MainScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)  # fast steps: the fuzz presses 2,000 keys in seconds
FUZZ_SEED = int(os.environ.get("MICROGPT_FUZZ_SEED", 20_260_611))  # another seed: set the variable


class RecordingApp(MicroGPTApp):
    """The app, noting every worker that ends in error (exit_on_error=False hides them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker_errors = []
        self.saving = 0  # saves in progress (a save first waits for the trainer's step)

    async def action_save(self):
        self.saving += 1
        try:
            await super().action_save()
        finally:
            self.saving -= 1

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_errors.append(f"{event.worker.name}: {event.worker.error!r}")


def make(tmp_path, steps=40, sample_interval=0.35, **config):
    """A fixed-seed app on 200 names that saves into tmp_path."""
    trainer = Trainer(DOCS, Config(steps=steps, seed=42, **config))
    return RecordingApp(
        trainer, "names.txt", tmp_path / "ckpt.json", DOCS, show_timing=False, sample_interval=sample_interval
    )


def notes(app, severity=None):
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


def all_finite(values):
    return all(map(math.isfinite, values))


# -- numbers: a learning rate that blows up ------------------------------------------


@pytest.mark.parametrize("how", ["space", "r"])
async def test_lr_100_stops_at_the_diverged_step_says_so_and_saves_the_last_finite_weights(tmp_path, how):
    app = make(tmp_path, lr=100.0, sample_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        if how == "space":
            await pilot.press("space", "space")
        else:
            await pilot.press("r")
            await wait_until(pilot, lambda: app.lab.mode == "paused")
            assert any("diverged" in n for n in notes(app, "error"))
        trainer = app.lab.trainer
        assert trainer.diverged and app.lab.stepping.latest.diverged
        assert app.lab.stepping.latest.step == trainer.step_count + 1  # stopped at the step that blew up
        assert "diverged" in panel(app, "#status")
        assert len(app.lab.history) == trainer.step_count  # no inf in the loss history
        assert all_finite(trainer.model.flat_weights())
        # the last finite state stays inspectable: move, switch head, sample a name
        await pilot.press("right", "l")
        assert app.lab.selection.position == 1 and app.lab.selection.head == 1
        await pilot.press("s")
        await wait_until(pilot, lambda: not app.lab.drawing.sampling)
        assert app.lab.drawing.samples.entries
        await pilot.press("ctrl+s")
        assert app.lab.saved_step == trainer.step_count
        checkpoint = load_checkpoint(tmp_path / "ckpt.json")
        assert checkpoint.step == trainer.step_count
        assert all(all_finite(row) for matrix in checkpoint.weights.values() for row in matrix)
        assert checkpoint.restore(DOCS).model.flat_weights() == trainer.model.flat_weights()
        assert app.return_code is None and not app.worker_errors


@pytest.mark.parametrize("lr", [1e100, 1e300, 1.7e308])
async def test_an_absurd_lr_overflowing_floats_diverges_the_same_way_and_sampling_says_it_cannot(tmp_path, lr):
    """Weights near the float limit overflow when squared or multiplied: still no exception."""
    app = make(tmp_path, lr=lr, sample_interval=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space")
        assert app.lab.trainer.diverged and "diverged" in app.lab.event
        assert all_finite(app.lab.trainer.model.flat_weights())
        await pilot.press("right", "a", "s")  # the views draw NaN probabilities; the sampler may refuse
        await wait_until(pilot, lambda: not app.lab.drawing.sampling)
        assert app.lab.drawing.samples.entries or any("cannot sample" in n for n in notes(app, "error"))
        await pilot.press("r")  # training again diverges at once, and says so
        await wait_until(pilot, lambda: app.lab.mode == "paused")
        assert any("diverged" in n for n in notes(app, "error"))
        await pilot.press("ctrl+s")
        assert load_checkpoint(tmp_path / "ckpt.json").step == app.lab.trainer.step_count
        assert app.return_code is None and not app.worker_errors


# -- saving where it cannot -------------------------------------------------------------


def missing_directory(tmp_path, monkeypatch):
    return tmp_path / "no-such-dir" / "ckpt.json"


def path_is_a_directory(tmp_path, monkeypatch):
    (tmp_path / "a-dir").mkdir()
    return tmp_path / "a-dir"


def disk_full_part_way(tmp_path, monkeypatch):
    """The temp file is written, then the disk fills before it is complete."""

    def fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(microgpt_engine.checkpoint.os, "fsync", fsync)
    return tmp_path / "ckpt.json"


async def test_a_failed_save_shows_one_error_line_keeps_the_session_and_the_old_file(tmp_path, monkeypatch):
    app = make(tmp_path)
    good = tmp_path / "ckpt.json"
    async with app.run_test(size=SIZE) as pilot:
        # one session meets each failure in turn, saving well before each
        for failure in [missing_directory, path_is_a_directory, disk_full_part_way]:
            app.lab.session.save_path = good
            await pilot.press("space", "ctrl+s")  # a good checkpoint at this step
            saved, before, errors_before = app.lab.trainer.step_count, good.read_bytes(), len(notes(app, "error"))
            assert app.lab.saved_step == saved and "could not save" not in panel(app, "#status")  # (said afresh)
            with monkeypatch.context() as failing:
                app.lab.session.save_path = failure(tmp_path, failing)
                await pilot.press("space", "ctrl+s")
                errors = notes(app, "error")[errors_before:]
                assert len(errors) == 1 and "\n" not in errors[0] and "could not save" in errors[0], failure
                assert "could not save" in panel(app, "#status")
                assert app.lab.saved_step == saved  # the next step is not on disk, and the app knows it
                await pilot.press("space")  # the session goes on
                assert app.lab.trainer.step_count == saved + 2 and app.return_code is None
            assert good.read_bytes() == before, failure
            assert load_checkpoint(good).step == saved
            assert not [p.name for p in tmp_path.rglob("*.tmp")]  # no half-written temp file left behind


async def test_save_and_quit_stays_in_the_app_when_the_save_fails(tmp_path, monkeypatch):
    app = make(tmp_path)
    app.lab.session.save_path = missing_directory(tmp_path, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("s")
        await pilot.pause()
        assert app.return_code is None and app.screen is app.main
        assert [n for n in notes(app, "error") if "could not save" in n]
        assert "could not save" in panel(app, "#status") and app.lab.saved_step == 0


# -- quitting while training --------------------------------------------------------------


@pytest.mark.parametrize(
    "keys, saved",
    [(("q", "q"), False), (("q", "s"), True), (("ctrl+s", "q"), True)],
    ids=["quit_without_saving", "save_and_quit_from_dialog", "ctrl_s_then_quit"],
)
async def test_quitting_while_training_ends_the_worker_thread_cleanly(tmp_path, keys, saved):
    app = make(tmp_path, steps=100_000, **TINY)
    async with app.run_test(size=SIZE) as pilot:
        await fast_press(pilot, "r")
        await until(pilot, lambda: app.lab.trainer.step_count >= 5)
        worker = next(w for w in app.workers if w.group == "training")
        run = app.lab.stepping.run
        for key in keys:
            await fast_press(pilot, key)  # (Pilot.press waits for an idle CPU: seconds while training)
            await until(
                pilot, lambda: app.return_code is not None or isinstance(app.screen, QuitScreen) or app.lab.saved_step
            )
        if app.return_code is None:  # after ctrl+s training went on; q asked: quit without saving
            await fast_press(pilot, "q")
            await until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0
    assert run.finished  # the thread took its last step
    assert worker.state in (WorkerState.SUCCESS, WorkerState.CANCELLED)
    assert all(w.is_finished for w in app.workers)
    assert not app.worker_errors and app._exception is None
    path = tmp_path / "ckpt.json"
    assert path.exists() == saved
    if saved:
        assert load_checkpoint(path).step == app.lab.saved_step >= 5


# -- the terminal -----------------------------------------------------------------------------


async def test_below_the_minimum_size_a_message_shows_keys_are_inert_and_a_resize_recovers(tmp_path):
    app = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        # one session, three ways to be too small: each time the keys are inert and a resize recovers
        for steps, small in enumerate([(MIN_WIDTH - 1, 30), (100, MIN_HEIGHT - 1), (20, 5)], start=1):
            await pilot.resize_terminal(*small)
            await until(pilot, lambda: app.main.has_class("-too-small"))  # the resize lands on a later tick
            assert f"needs at least {MIN_WIDTH}×{MIN_HEIGHT}" in str(app.main.query_one("#too-small").render())
            await pilot.press("space", "r", "s")  # nothing to see: nothing happens
            assert app.lab.trainer.step_count == steps and app.lab.mode == "paused", small
            await pilot.resize_terminal(*SIZE)
            await until(pilot, lambda: not app.main.has_class("-too-small"))
            await pilot.press("space")
            assert app.lab.trainer.step_count == steps + 1 and f"step {steps + 1}/40" in panel(app, "#status"), small


# -- key fuzz -------------------------------------------------------------------------------


def bindings_of(*classes):
    for cls in classes:
        for klass in cls.__mro__:
            yield from klass.__dict__.get("BINDINGS", ())


def node_classes():
    """Every screen and widget class the app's package defines (new ones get fuzzed automatically)."""
    for package in (microgpt_tui.screens, microgpt_tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == module.__name__:
                    yield value


QUITS = {"quit", "app.quit", "help_quit", "app.help_quit", "command_palette", "app.command_palette"}
NEVER = {"ctrl+c", "ctrl+p"}  # Textual's help_quit, or the palette (whose enter can run Quit with nothing unsaved)
ASKS = {"q", "ctrl+q"}  # quit, asking first if there are unsaved steps


def fuzz_keys():
    """(binding keys, arbitrary keys): the app's and its screens' bindings, plus anything a user might hit."""
    bindings = Binding.make_bindings(bindings_of(MicroGPTApp, MainScreen, *node_classes()))
    bound = {b.key for b in bindings if b.action not in QUITS}
    arbitrary = set(string.ascii_letters + string.digits + string.punctuation) | {
        "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete",
        "backspace", "enter", "escape", "tab", "shift+tab", "space",
        *(f"f{i}" for i in range(1, 13)),
        *(f"ctrl+{c}" for c in string.ascii_lowercase),
        "ctrl+left", "ctrl+right", "shift+up", "shift+down",
    }  # fmt: skip
    return sorted(bound - NEVER), sorted(arbitrary - NEVER)


def key_event(key):
    """The Key event Pilot.press would send for `key` (its own recipe, without its idle waits)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def fast_press(pilot, key, everyone=True):
    """Press one key and wait until the app (and, if `everyone`, every widget on the screen)
    has handled it. Pilot.press waits for the CPU to go idle after every key (40 ms or
    more, seconds while training runs)."""
    app = pilot.app
    app.post_message(key_event(key))
    if everyone:
        await pilot._wait_for_screen()
    else:
        handled = asyncio.Event()
        app.call_later(handled.set)
        waits = [asyncio.create_task(handled.wait()), asyncio.create_task(app._exception_event.wait())]
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)  # a crash: run_test re-raises
        for task in pending:
            task.cancel()


def stacks():
    """What every asyncio task is waiting on (to diagnose a hang)."""
    out = io.StringIO()
    for task in asyncio.all_tasks():
        task.print_stack(limit=8, file=out)
    return out.getvalue()


async def fast_resize(pilot, width, height):
    """Pilot.resize_terminal without its wait for an idle CPU."""
    size = Size(width, height)
    pilot.app._driver._size = size  # the headless driver reports this size from now on
    pilot.app.post_message(events.Resize(size, size))
    await pilot._wait_for_screen()


async def test_two_thousand_random_keys_raise_nothing_and_leave_the_state_consistent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything a key writes (export, screenshot) lands here
    rng = random.Random(FUZZ_SEED)
    bound, arbitrary = fuzz_keys()
    assert {"space", "r", "s", "q", "ctrl+s"} <= set(bound)
    app = make(tmp_path, steps=3_000, sample_interval=0.02, **TINY)
    seen_modes, pressed, screens = set(), [], {}

    def where():
        return f"(seed {FUZZ_SEED}, key {len(pressed)}: ...{pressed[-12:]})"

    async with app.run_test(size=SIZE) as pilot:
        for i in range(2_000):
            if isinstance(app.screen, QuitScreen):
                key = rng.choice(["escape", "n"])  # stay: the dialog's own keys are tested elsewhere
            elif app.screen is not app.main and rng.random() < 0.1:
                key = "escape"  # leave other screens now and then, so the main screen gets most keys
            else:
                key = rng.choice(bound if rng.random() < 0.5 else arbitrary)
                if key in ASKS:
                    await pilot._wait_for_screen()  # every key before it is handled (a queued ctrl+s still saves)
                    await until(pilot, lambda: not app.saving, 5)  # ctrl+s, q: the save decides
                    if app.lab.trainer.step_count - app.lab.saved_step < 1:
                        key = "escape"  # nothing unsaved: q would quit at once, as it should
            seen_modes.add(app.lab.mode)
            screens[type(app.screen).__name__] = screens.get(type(app.screen).__name__, 0) + 1
            pressed.append(key)
            try:
                await asyncio.wait_for(fast_press(pilot, key, everyone=i % 10 == 0), 10)
            except TimeoutError:
                raise AssertionError(f"the app did not handle a key within 10 s {where()}\n{stacks()}") from None
            if key in ASKS:  # let the dialog open before the next key (q q quits, as it should)
                await until(
                    pilot, lambda: isinstance(app.screen, QuitScreen) or app.return_code is not None, 0.3, fail=False
                )
            assert app.return_code is None, f"the app quit {where()}"
            assert not app.worker_errors, f"{app.worker_errors} {where()}"
            if i % 200 == 199:
                await pilot.pause(0.05)  # let the worker and the timers run a while
                width, height = rng.choice([SIZE, (70, 20), (100, 30)])
                await fast_resize(pilot, width, height)
        await fast_resize(pilot, *SIZE)
        # settle: back to the main screen, training paused, sampling over
        for _ in range(10):
            if app.screen is app.main:
                break
            await fast_press(pilot, "n" if isinstance(app.screen, QuitScreen) else "escape")
        assert app.screen is app.main, f"stuck on {app.screen!r} {where()}"
        if app.lab.mode == "training":
            await fast_press(pilot, "r")
        await until(pilot, lambda: app.lab.mode != "training" and app.lab.stepping.run is None, 5)
        await pilot.pause()  # the last progress message, if still queued
        assert app.lab.trainer.step_count == len(app.lab.history), where()
        assert {"training", "sampling"} <= seen_modes, (
            f"the fuzz never hit {seen_modes ^ {'training', 'sampling', 'paused'}}"
        )
        # still responsive: it answers a resize (keys may mean other things in a mode a key left on)
        await fast_resize(pilot, 60, 20)
        await until(pilot, lambda: app.main.has_class("-too-small"), 5)
        await fast_resize(pilot, *SIZE)
        await until(pilot, lambda: not app.main.has_class("-too-small"), 5)
        assert app.return_code is None
        assert not app.worker_errors, where()
        assert not [w for w in app.workers if w.state == WorkerState.ERROR], where()
    print(
        f"fuzz seed {FUZZ_SEED}: {len(pressed)} keys, {app.lab.trainer.step_count} steps, "
        f"{len(app.lab.drawing.samples.entries)} samples, modes {sorted(seen_modes)}, screens {screens}"
    )
