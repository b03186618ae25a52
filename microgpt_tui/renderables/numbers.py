"""Provides `number_or_dash`: a figure that may not be known yet, as text."""

DASH = "—"  # what a figure not known yet (no step taken, nothing measured) shows


def number_or_dash(x, spec):
    """`x` in the format `spec` (".3f", ".2e", ","), or "—" when it is None."""
    return DASH if x is None else format(x, spec)
