"""Provides `whole_number`: what a dialog makes of a typed number, without ever raising.

Text typed or pasted into a dialog is anything: `int()` raises on a
5,000-digit paste (past Python's 4,300-digit limit) and accepts digits of
other scripts; a dialog wants ASCII digits within a range, or a message.
"""

import re

DIGITS = re.compile(r"-?[0-9]{1,18}")  # 18 digits: more than any step or index, fewer than int()'s limit


def whole_number(text: str, low: int, high: int) -> int | None:
    """The number `text` spells, if it is a whole number from `low` to `high`; otherwise None."""
    text = text.strip()
    if not DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None
