"""Provides `origin_words`: how a run began (`KeptRun.origin`) in the current language.

An origin is kept in English: a saved run's file carries it, and the features that begin runs (a fork, the
ladder, the bigram preset, a load) write it as they always did. The runs table shows it through the
templates below: each part of the English that one of them makes is said again in the current language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from microgpt_tui.language import N_, _

# The English each feature writes into an origin, as a template (the placeholders are the parts kept as they are).
TEMPLATES = (
    N_("preset: counts of which character follows which; no weights, no training"),
    N_("continued at step {done} to {steps}"),
    N_("loaded from {file}"),
    N_("the steps a fork of {name} at step {step} replaced"),
    N_("forked at step {step} with {changes}"),
    N_("lr {lr} (was {was})"),
    N_("{count} steps in all (was {was})"),
    N_("{count} step in all (was {was})"),
    N_("temperature {temperature}"),
    N_("ladder: {name} on {dataset}, trained apart from the live run"),
    N_("microgpt's run, beside {script}"),
)


NUMBERS = {"done", "steps", "step", "lr", "was", "count", "temperature"}  # (placeholders that hold a number)


def _pattern(template: str) -> re.Pattern[str]:
    """The English `template` makes, its placeholders caught by name (a number; words up to the next "; " at
    the end; any words between)."""
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        elif part in NUMBERS:
            out.append(rf"(?P<{part}>-?[\d.,]+(?:e[+-]?\d+)?)")
        else:
            out.append(rf"(?P<{part}>[^;]+)" if i == len(parts) - 2 and not parts[-1] else rf"(?P<{part}>.+?)")
    return re.compile("".join(out))


PATTERNS = tuple((template, _pattern(template)) for template in TEMPLATES)


def origin_words(origin: str) -> str:
    """`origin` (English) in the current language: every part a template made, translated; the rest as it is."""
    said = origin
    for template, pattern in PATTERNS:
        translated = _(template)
        if translated != template:
            said = pattern.sub(_said_as(translated), said)
    if said == origin:
        return origin
    # The parts were joined with English punctuation: after a full-width character, the translation's own.
    return WIDE_JOINS.sub(lambda found: "，" if found.group(1) == "," else "；", said)


WIDE_JOINS = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])([,;]) ")


def _said_as(translated: str) -> Callable[[re.Match[str]], str]:
    return lambda found: translated.format(**found.groupdict())
