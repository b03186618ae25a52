"""Provides `printable`: text from the data made safe to print, every character that is not printable escaped.

The data is untrusted: a line holding `\\x1b]0;pwned\\x07` would retitle the
terminal, a NUL or a bidi override would garble it. Whatever prints a piece
of the data (the app, the command line, the CSV log) passes it through here:
a control character becomes its one-cell picture (ESC → ␛, BEL → ␇, NUL → ␀),
any other character that does not print (format characters, odd spaces,
unassigned code points) becomes `\\u202e`-style text. Printable characters,
wide or combining, are kept as they are.
"""

import unicodedata

CONTROL_PICTURES = 0x2400  # U+2400..U+241F picture the C0 controls in order; U+2421 is DEL's


def printable_char(ch: str) -> str:
    """One character as it can safely print (itself, if it prints)."""
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x20:
        return chr(CONTROL_PICTURES + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with every character that does not print escaped (see the module's docstring)."""
    if text.isprintable():
        return text  # the common case, in one C call
    return "".join(map(printable_char, text))


def standalone(ch: str) -> str:
    """A single character as a label of its own: a combining mark, which would merge with
    whatever is printed before it, sits on a dotted circle (◌́), as Unicode charts show it."""
    shown = printable_char(ch)
    if shown == ch and unicodedata.combining(ch):
        return "\u25cc" + ch
    return shown
