"""Provides `styled`: a translated sentence as rich `Text`, each {named} field in a style of its own.

A view that draws a sentence in several styles (a bold name, a green character) cannot glue styled
fragments around translated pieces: a translation must be free to reorder the fields. The sentence is one
template, `_()` of it is passed here, and the fields keep their styles wherever the translation puts them.
"""

from __future__ import annotations

import string

from rich.style import StyleType
from rich.text import Text


def styled(template: str, style: StyleType = "", **fields: object) -> Text:
    """`template` with its {named} fields filled (format specs such as {step:,} apply), its own words in `style`;
    a field given as (value, style) is drawn in that style, a `Text` as it is."""
    text = Text()
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            text.append(literal, style)
        if name is None:
            continue
        value, value_style = fields[name], style
        if isinstance(value, tuple):
            value, value_style = value
        if isinstance(value, Text):
            text.append(value)
            continue
        if conversion == "r":
            value = repr(value)
        text.append(format(value, spec or ""), value_style)
    return text
