"""Provides how values print wherever they show: a token's label (a space becomes ␣, ESC becomes ␛),
a piece of the data (every character that does not print escaped), a figure not known yet (—).

Every character of the data reaches the screen through `visible` (one token)
or `visible_text` (a name, a sample, a note): the data can never write to the
terminal. Both rest on the engine's `printable`, which the command line and
the CSV export use too.
"""

from microgpt_engine.printable import printable, standalone

VISIBLE = {" ": "␣", "\t": "⇥", "\n": "⏎"}
DASH = "—"  # what a figure not known yet (no step taken, nothing measured) shows


def visible(label: str) -> str:
    """A token's label as it shows on screen: a space becomes ␣, a control character its picture (␛),
    a combining mark sits on ◌; the BOS symbol and other printable labels are unchanged."""
    if label in VISIBLE:
        return VISIBLE[label]
    return standalone(label) if len(label) == 1 else printable(label)


def visible_text(text: str) -> str:
    """A piece of the data (a name, a sample, a document) with every non-printable character escaped."""
    return printable(text)


def clipped(text: str, most: int = 40) -> str:
    """At most `most` characters of `text`, with … where it was cut (a 1 MB line of data is no name to print:
    measuring it for the screen alone takes seconds)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def number_or_dash(x: float | None, spec: str) -> str:
    """`x` in the format `spec` (".3f", ".2e", ","), or "—" when it is None."""
    return DASH if x is None else format(x, spec)


def learning_rate(lr: float | None) -> str:
    """A learning rate as every screen prints it: 0.0100 down to 0.0010, then 9.99e-04 (never 0.0000); from
    10,000 up 1.00e+154 (never 155 digits)."""
    return number_or_dash(lr, ".2e" if lr is not None and not 1e-3 <= lr < 1e4 else ".4f")


def plural(n: int, word: str) -> str:
    """ "1 step", "2 steps"."""
    return f"{n} {word}{'' if n == 1 else 's'}"
