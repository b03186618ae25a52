"""Provides how values print wherever they show: a token's label (a space becomes ␣), a figure not known yet (—)."""

VISIBLE = {" ": "␣", "\t": "⇥", "\n": "⏎"}
DASH = "—"  # what a figure not known yet (no step taken, nothing measured) shows


def visible(label: str) -> str:
    """A label that shows on screen (a space becomes ␣)."""
    return VISIBLE.get(label, label)


def number_or_dash(x: float | None, spec: str) -> str:
    """`x` in the format `spec` (".3f", ".2e", ","), or "—" when it is None."""
    return DASH if x is None else format(x, spec)
