"""Choosing the data of the next run in a folder tree (settings, browse…): a good file trains, a bad one says why."""

import os

import pytest
from app_helpers import make_app, panel, trained, until, widget_text
from quick_pilot import keys
from textual.widgets import Button, Input

from microgpt_tui.features.runs.folder_tree import FolderTree
from microgpt_tui.features.runs.settings_screen import SettingsScreen

SIZE = (120, 40)
PETS = ["rex", "fido", "spot", "bella", "max", "luna", "coco"]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """The current folder: a text file of names, an empty one, a binary one, a FIFO and a sub-folder."""
    here = tmp_path / "pets"
    here.mkdir()
    (here / "pets.txt").write_text("\n".join(PETS) + "\n")
    (here / "empty.txt").write_text("\n\n")
    (here / "photo.bin").write_bytes(b"\x89PNG\x00\xff\xfe")
    os.mkfifo(here / "pipe")  # reading it would block: refused unread
    (here / "more").mkdir()
    (here / ".hidden").write_text("x\n")
    monkeypatch.chdir(here)
    return here


async def open_tree(pilot):
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    await pilot.click("#browse")
    tree = pilot.app.screen.query_one("#set-tree", FolderTree)
    await until(pilot, lambda: len(tree.root.children) == 5)
    await pilot.pause()
    return tree


async def choose(pilot, tree, name):
    """Move the tree's cursor to `name` with the arrow keys and press enter, as a user does."""
    tree.focus()
    while tree.cursor_node is None or str(tree.cursor_node.label) != name:
        await keys(pilot, "down")
    await pilot.press("enter")
    await pilot.pause()


def dataset_message(app):
    return " ".join(widget_text(app.screen.query_one("#err-dataset")).split())


async def test_a_file_chosen_in_the_folder_tree_is_the_next_runs_data(folder):
    app = make_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        tree = await open_tree(pilot)
        names = [str(node.label) for node in tree.root.children]
        assert names == ["more", "empty.txt", "pets.txt", "photo.bin", "pipe"]
        assert str(tree.root.label) == "pets/ (the current folder)"  # and hidden files are left out
        await choose(pilot, tree, "pets.txt")
        assert app.screen.query_one("#set-path", Input).value == str(folder / "pets.txt")
        summary = widget_text(app.screen.query_one("#settings-summary"))
        assert "4 steps on pets.txt (7 documents)" in summary
        await pilot.click("#apply")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen) and len(app.lab.book.runs) == 2
        assert app.lab.docs == PETS and app.lab.trainer.tokenizer.vocab_size == len(set("".join(PETS))) + 1
        await trained(pilot)
        assert app.lab.trainer.step_count == 4 and len(app.lab.history) == 4
        assert "pets.txt 7 docs" in " ".join(panel(app, "#status").split())


async def test_a_bad_file_in_the_tree_shows_why_inline_and_cannot_be_applied(folder):
    app = make_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        tree = await open_tree(pilot)
        apply = app.screen.query_one("#apply", Button)
        for name, why in [
            ("empty.txt", "no documents (the file is empty or only blank lines)"),
            ("photo.bin", "not UTF-8 text (bad byte at offset 0)"),
            ("pipe", "not a regular file"),
        ]:
            await choose(pilot, tree, name)
            assert dataset_message(app) == f"{folder / name}: {why}" and apply.disabled
        await pilot.click("#apply")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen) and len(app.lab.book.runs) == 1  # nothing changed
        await pilot.click("#browse")  # hide files: the tree goes, the chosen path stays
        await pilot.pause()
        assert not tree.display and str(app.screen.query_one("#browse", Button).label) == "browse…"


async def test_a_file_name_that_does_not_print_shows_escaped_in_the_tree(folder):
    (folder / "bad\x1b[2Jname.txt").write_text("\n".join(PETS) + "\n")
    app = make_app(steps=4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.click("#browse")
        tree = app.screen.query_one("#set-tree", FolderTree)
        await until(pilot, lambda: len(tree.root.children) == 6)
        await pilot.pause()
        names = [str(node.label) for node in tree.root.children]
        assert "bad␛[2Jname.txt" in names  # (before: the ESC dropped, `bad[2Jname.txt`)
        assert "bad␛[2Jname.txt" in widget_text(tree)
