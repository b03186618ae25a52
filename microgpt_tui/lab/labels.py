"""Provides `visible`: a token's label as it can be seen on screen (a space becomes ␣)."""

VISIBLE = {" ": "␣", "\t": "⇥", "\n": "⏎"}


def visible(label: str) -> str:
    """A label that shows on screen (a space becomes ␣)."""
    return VISIBLE.get(label, label)
