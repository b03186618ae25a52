"""The hostile re-test of the views added since issue 14 was filed, under Pilot: what reaches the terminal,
what a widget reads as markup, what a dialog makes of a paste, what a loaded run may hold."""

import json
import re

from app_helpers import make_app, press_sent, settled, until, widget_text
from quick_pilot import keys
from quick_steps import start_run
from textual.renderables.background_screen import BackgroundScreen
from textual.widgets import Select

from microgpt_tui.features.graph.screen import GraphScreen
from microgpt_tui.features.runs.runs_screen import RunsScreen
from microgpt_tui.features.runs.settings_screen import SettingsScreen

SIZE = (120, 40)
TINY = dict(n_embd=8, n_head=2)
# Every key that opens a screen from the main screen (the dialogs that ask for a step, a character or a
# fork open from a mode, and are typed into below).
SCREENS = ["v", "m", "g", "e", "c", "y", "k", "w", "o", "i", "b", "question_mark", "slash"]
HOSTILE = ["\x1b]0;pwned\x07", "a\x00b\x7f", "\u202eevil", "\u200bzz", "\x9b2J", "字字", "e\u0301mma", "emma", "ava"]
# What Textual itself writes around the text: colours (CSI … m), cursor moves (CSI … H), hyperlinks (OSC 8 … ST).
TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;:]*[mH]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")


def written(app) -> str:
    """The bytes the app would write to the terminal for the whole screen now, less Textual's own sequences."""
    update = app.screen._compositor.render_update(full=True)
    return TEXTUAL_OWN.sub("", update.render_segments(app.console))


def control_characters(text: str) -> set[str]:
    """Characters in what reaches the terminal that a terminal would act on or that garble it."""
    return {ch for ch in text if not ch.isprintable() and ch not in "\n"}


async def close_all(pilot, app):
    for _ in range(4):
        if app.screen is app.main:
            return
        await keys(pilot, "escape")  # (each drawn as it is left: the escape is not what is tested)


async def opened(pilot, *names):
    """Press keys that open a screen (their wiring is test_wiring's), let any worker they start end, and draw."""
    await press_sent(pilot, *names)
    await settled(pilot)


async def test_no_view_writes_a_control_character_of_the_data_to_the_terminal(tmp_path, monkeypatch):
    """Also (moved here from test_app_drain.py, to walk the screens once): every screen over the main one,
    the quit dialog and Textual's command palette included, is opaque, so Textual draws nothing under it and
    tints nothing. It re-tinted every segment of the whole screen under a translucent dialog on every render of
    it (~2,000 segments at 120x40, twice an open): most of what a q n cost in a burst of keys."""
    tinted = []
    process = BackgroundScreen.process_segments.__func__

    def counting(cls, segments, color):
        for segment in process(cls, segments, color):
            tinted.append(segment)
            yield segment

    monkeypatch.setattr(BackgroundScreen, "process_segments", classmethod(counting))
    app = make_app(tmp_path, docs=HOSTILE * 4, steps=100, config={**TINY, "temperature": 3.0})
    app.lab.session.dataset_name = "bad\x1b[2Jname.txt"
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, *["space"] * 5)
        seen = {"main": written(app)}
        for key in [*SCREENS, "q", "ctrl+p"]:
            await opened(pilot, key)  # (the graph is built on a worker)
            assert app.screen is not app.main and app.screen.styles.background.a == 1, (key, app.screen.styles)
            if key == "g":  # the graph's nodes: open the logits of position 0 (one per token of the data)
                await press_sent(pilot, "enter", "down", "enter")
            if key == "slash":  # what the learner pastes into the probe box is shown too
                app.screen.query_one("#probe-input").value = "\x1b]0;typed\x07\u202e"
            await settled(pilot)
            seen[key] = written(app)
            await close_all(pilot, app)
        await keys(pilot, "s", *["n"] * 20)
        seen["sampling"] = written(app)
    leaks = {key: control_characters(text) for key, text in seen.items() if control_characters(text)}
    assert not leaks, leaks
    assert tinted == []  # (no screen tinted the one under it)
    assert "logit[␛]" in seen["g"] and "logit[␀]" in seen["g"]  # (shown escaped, not only dropped)
    assert "this run's (bad␛[2Jname.txt)" in seen["o"]


MARKUP = ["x[/]y", "[/]ab", "ab[/]", "c[/b]", "[b]d[/]"]  # a closing tag with nothing to close raised MarkupError


async def test_no_widget_reads_the_data_or_a_run_name_as_markup(tmp_path):
    app = make_app(tmp_path, docs=MARKUP * 4, steps=6, config=TINY)
    app.lab.session.dataset_name = "bad[/]na[b]me.txt"
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        for key in SCREENS:
            await opened(pilot, key)
            assert app.screen is not app.main or key == "slash", key
            if key == "o":
                assert "this run's (bad[/]na[b]me.txt)" in written(app)
            if key == "c":
                title = written(app).splitlines()[0]
                assert re.search(r"compare · “[^”]*\[/", title), title  # the document, brackets and all
            await close_all(pilot, app)
        # a run named with markup, in the runs table and the comparison of two runs
        await keys(pilot, "w", "n")
        app.screen.query_one("#runs-input").value = "[/]x[@click=app.quit]"
        await opened(pilot, "enter")
        assert "[/]x[@click=app.quit]" in written(app)
        await close_all(pilot, app)
        start_run(app, lr=0.02)  # a second run
        await pilot.pause()
        await opened(pilot, "w", "space", "up", "c")
        assert "run 1 vs [/]x[@click=app.quit]" in written(app)
    assert app.return_code in (None, 0)


PASTES = {"4000 digits": "9" * 4000, "arabic digits": "١٢", "control": "\x1b[2J\x07", "1e999": "1e999", "nan": "nan"}


FIELDS = ["steps", "n_layer", "block_size", "seed", "lr"]


async def test_every_settings_field_answers_any_paste_with_a_message(tmp_path):
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "o")
        for field in FIELDS:  # (one form: each field is pasted into with every other one as it was)
            box = app.screen.query_one(f"#set-{field}")
            was = box.value
            for label, typed in PASTES.items():
                box.value = typed
                await pilot.pause()
                await keys(pilot, "enter")
                assert isinstance(app.screen, SettingsScreen), (field, label)  # refused: nothing applied
                error = " ".join(widget_text(app.screen.query_one(f"#err-{field}")).split())
                assert f"{field} must be a" in error and len(error) < 200, (field, label, error)
            box.value = was
    assert app.lab.book.current.number == 0 and app.return_code in (None, 0)


async def load_from_runs_screen(pilot, app, path):
    await keys(pilot, "w", "l")
    app.screen.query_one("#runs-input").value = str(path)
    await opened(pilot, "enter")


def damaged(saved, damage):
    """The saved run with huge numbers where `damage` says."""
    state = json.loads(saved)
    if damage == "weights 1e308":  # finite, but any sum of two overflows
        state["weights"] = {k: [[1e308] * len(row) for row in rows] for k, rows in state["weights"].items()}
    else:  # no step has a loss above 745 (-log of the smallest float above 0)
        state["history"]["loss"] = [1e308] * len(state["history"]["loss"])
    return json.dumps(state)


async def test_a_run_loaded_from_the_runs_screen_with_huge_numbers_draws_every_view_or_is_refused(tmp_path):
    app = make_app(tmp_path, config=TINY)
    path = tmp_path / "run.json"
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space", "space", "w", "s")
        app.screen.query_one("#runs-input").value = str(path)
        await opened(pilot, "enter")
        await close_all(pilot, app)
        saved = path.read_text()
        # one session loads both (the refused one first: it leaves the session as it was)
        for damage in ["losses 1e308", "weights 1e308"]:
            path.write_text(damaged(saved, damage))
            await load_from_runs_screen(pilot, app, path)
            assert isinstance(app.screen, RunsScreen), damage
            status = " ".join(widget_text(app.main.query_one("#status")).split())
            if damage == "losses 1e308":
                said = [notice.message for notice in app._notifications]
                assert any("its loss curve is damaged" in m and "a loss no step can have" in m for m in said), said
                assert len(app.lab.book.runs) == 1
            else:
                assert "loaded run 0 at step 3" in status
            await close_all(pilot, app)
            for key in [*SCREENS, "space"]:
                await opened(pilot, key)  # (each view drawn: settled ends in a pause, which draws the screen)
                if isinstance(app.screen, GraphScreen):
                    await keys(pilot, "enter", "down", "enter")
                await close_all(pilot, app)
    assert app.return_code in (None, 0)  # run_test re-raises what a view raised (m: NaN to int, w: fsum)


async def test_the_dataset_choice_shows_a_file_name_with_markup_and_controls_as_it_is(tmp_path):
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "o")
        app.screen.query_one("#set-dataset", Select).value = "file"
        app.screen.query_one("#set-path").value = str(tmp_path / "no[/]such\x1b.txt")
        await pilot.pause()
        error = "".join(widget_text(app.screen.query_one("#err-dataset")).split())  # (a long tmp path folds)
        assert "no[/]such␛.txt:nosuchfile" in error


async def save_from_runs_screen(pilot, app, name):
    await keys(pilot, "w", "s")
    app.screen.query_one("#runs-input").value = name
    await opened(pilot, "enter")
    said = " ".join(widget_text(app.main.query_one("#status")).split())
    await close_all(pilot, app)
    return said


async def test_the_runs_screen_saves_only_to_a_new_name_and_answers_any_name_with_a_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # (short names: the status line shows the whole message)
    data = tmp_path / "data.txt"
    data.write_text("emma\nava\n")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "elsewhere.json")  # a write would follow it
    (tmp_path / "linked.json").symlink_to(data)
    app = make_app(tmp_path, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "space")
        for name in ("dangling.json", "linked.json"):
            said = await save_from_runs_screen(pilot, app, name)
            assert "exists and this session did not write it" in said, said
        said = await save_from_runs_screen(pilot, app, "9" * 5000)  # before: OSError "File name too long", a crash
        assert "could not save run 0" in said or "cannot save" in said, said
        (tmp_path / "microgpt-step2.csv").symlink_to(tmp_path / "exported-elsewhere.csv")
        await opened(pilot, "ctrl+x")  # the export goes around a dangling symlink of its name, not through it
    assert data.read_text() == "emma\nava\n" and (tmp_path / "dangling.json").is_symlink()
    assert not (tmp_path / "elsewhere.json").exists() and not (tmp_path / "exported-elsewhere.csv").exists()
    assert (tmp_path / "microgpt-step2-2.csv").is_file() and (tmp_path / "microgpt-step2-2.svg").is_file()
    assert app.return_code in (None, 0)


async def test_a_1mb_document_is_cropped_in_the_forward_views_note_and_the_glossary(tmp_path):
    from microgpt_tui.features.reference.facts import session_facts

    app = make_app(tmp_path, docs=["\x1b]0;x\x07" + "ab" * 500_000, "\x1b" + "ba" * 500_000], steps=20, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space")
        assert (
            len(session_facts(app.lab.session, app.lab.rules)["doc"]) <= 40
        )  # each glossary text escaped it whole: y took 15 s
        await keys(pilot, "v")
        note = str(app.screen.query_one("#forward-note").render())  # (before: the raw note, 1 MB, ESC and all)
        assert len(note) < 700 and not control_characters(note) and "␛" in note


async def test_the_matrix_views_rows_line_up_whatever_the_width_of_their_labels():
    from rich.cells import cell_len

    from microgpt_tui.features.matrix.screen import MatrixCells

    app = make_app(docs=["字字", "e\u0301mma", "emma", "ava", "a字b"] * 5, steps=20, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "m")
        rows = [
            line for line in widget_text(app.screen.query_one(MatrixCells)).splitlines() if re.search(r"[+-]\.\d", line)
        ]
        starts = {cell_len(line[: re.search(r"[+-]\.\d", line).start()]) for line in rows}
        assert any("字" in line for line in rows) and any("\u0301" in line for line in rows)
        assert len(starts) == 1, rows  # (before: the 字 row one cell right, the ◌́ row one cell left)


async def test_the_forward_view_and_the_graphs_logit_list_keep_their_columns_with_a_wide_character():
    from rich.cells import cell_len
    from rich.console import Console

    from microgpt_tui.features.forward.strips import ForwardStrips

    app = make_app(docs=["字字", "emma", "ava", "a字b"] * 5, steps=20, config=TINY)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "space", "v")
        stages = app.lab.forward.view().trace.stages
        await press_sent(pilot, "escape", "g")  # the graph of the same step, in the same session
        await until_graph(pilot, app)
        await keys(pilot, "o")  # the logits at position 0, one option per token
        options = app.screen.query_one("#graph-logits")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    labels = list(app.lab.vocab_labels)

    # the forward view: the characters over the logits
    def label_line(vocab):
        console = Console(width=120, record=True, color_system=None)
        console.print(ForwardStrips(stages, vocab))
        lines = console.export_text().splitlines()
        return next(lines[i - 1] for i, line in enumerate(lines) if line.lstrip().startswith("logits"))

    ascii_line = label_line(["x"] * len(labels))
    assert "字" in labels and cell_len(label_line(labels).rstrip()) == cell_len(ascii_line.rstrip())
    # the graph: its logit list
    starts = {cell_len(p[: p.index(" logit")]) for p in prompts}
    assert any(p.startswith("字") for p in prompts) and len(starts) == 1, prompts


async def until_graph(pilot, app):
    await until(pilot, lambda: isinstance(app.screen, GraphScreen) and app.screen.query("#graph-logits"), 10)
