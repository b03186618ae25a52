"""Provides `CellFormatter`: argparse's help, wrapped by the cells a terminal gives each character.

argparse wraps help at a number of characters (textwrap), but a Chinese character takes two cells, so a
zh line ran past the terminal's edge and wrapped mid-word there; and textwrap breaks only at spaces,
which Chinese does not have. Here a wide character is a unit of its own, two cells wide, and a line never
begins with a closing mark (，。）: the character before it goes down with it), as Chinese typesetting has it.
"""

from __future__ import annotations

import argparse
import re
import unicodedata

UNITS = re.compile(r"\s+|[^\s\u1100-\uffff]+|.", re.DOTALL)  # a space run, a run of narrow characters, or one character
NO_LINE_START = frozenset("，。、：；！？）】」』》…")  # full-width marks that close what comes before them
HEADING = re.compile(r"^(\S[^\n]*[\u1100-\uffff]):$", re.MULTILINE)  # a section's title in Chinese ("选项:")


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """`text`'s words and wide characters, in lines of at most `width` cells (a longer word is cut)."""
    lines: list[str] = []
    line = ""
    for unit in UNITS.findall(" ".join(text.split())):
        if not line and unit.isspace():
            continue
        if cells(line + unit) <= width:
            line += unit
            continue
        carry = ""
        if unit in NO_LINE_START and len(line) > 1 and not line[-1].isspace():
            carry, line = line[-1], line[:-1]  # (the mark stays with the character it closes)
        if line.strip():
            lines.append(line.rstrip())
        line = "" if unit.isspace() else carry + unit
        while cells(line) > width > 0:  # (a word wider than the column: cut it, as textwrap does)
            cut = max(1, next(i for i in range(len(line), 0, -1) if cells(line[:i]) <= width))
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


class CellFormatter(argparse.HelpFormatter):
    """argparse's formatter, wrapping descriptions and option help by cells (`wrap`)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def format_help(self) -> str:
        """argparse's help, a Chinese section title ending in a full-width colon (argparse writes its ASCII one)."""
        return HEADING.sub("\\1：", super().format_help())
