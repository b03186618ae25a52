"""Provides what the `check` tests share: the textbook file with a learner's edits typed into it, and tiny data."""

from microgpt_engine.textbook_file import TEXTBOOK

TINY = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn", "abigail"]


def variant(folder, name, edits=(), steps=None):
    """The textbook with `edits` made (each old text found exactly once), as folder/name."""
    text = TEXTBOOK.read_text(encoding="utf-8")
    if steps is not None:
        edits = [*edits, ("num_steps = 1000\n", f"num_steps = {steps}\n")]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
