"""Provides the rule of every number a user types: an option of any command or a settings field, read once.

The command line (the app, `train`, `sample`, `serve`, and the commands to
come) and the settings and fork dialogs read a typed value through `parse`,
so a value one of them refuses, all refuse, in the same words: empty, not a
number, inf or nan, thousands of digits, out of its range. What depends on
several values at once (n_head divides n_embd, the memory a step needs) is the
engine's `Config.validate`, which every caller runs next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from microgpt_engine import ConfigError
from microgpt_engine.config import MAX_WHOLE
from microgpt_tui.language import _

MAX_TYPED = 40  # characters of a typed number: "1e-05", "1000000000"; a paste of 5,000 digits is no setting
MAX_SAMPLES = 10_000  # names a command draws at once: 10^20 would run forever, 10,000 take a few seconds
MAX_FRAMES = 1_000  # frames of an animated SVG: each is a whole screenshot (about 100 KB at 80x24)
SVG_FRAMES = 40  # an animated SVG's frames unless told (export --frames; the app's X)


class OptionError(ConfigError):
    """A typed value its rule refuses; the message is one line naming the value by its rule's name."""


@dataclass(frozen=True)
class Rule:
    """What one option accepts. `name` is how messages call it (a Config field, or the command's flag)."""

    name: str
    whole: bool
    least: int | None = None  # the range of a value no Config checks (counts, ports)
    most: int | None = None


# Config's fields: their ranges and the rules between them are Config.validate's.
RULES: dict[str, Rule] = {
    name: Rule(name, whole=name not in ("lr", "temperature"))
    for name in ("n_embd", "n_head", "n_layer", "block_size", "steps", "seed", "lr", "temperature")
}
RULES |= {
    "samples": Rule("--samples", whole=True, least=0, most=MAX_SAMPLES),
    "num": Rule("-n", whole=True, least=1, most=MAX_SAMPLES),
    "port": Rule("--port", whole=True, least=1, most=65535),
    "max_sessions": Rule("--max-sessions", whole=True, least=1, most=64),
    "remaining": Rule("remaining steps", whole=True, least=1),  # the fork dialog's
    # `check`'s: the steps of the script to compare, and the fence it runs in (seconds, megabytes).
    "check_steps": Rule("--steps", whole=True, least=1, most=MAX_WHOLE),
    "time_limit": Rule("--time-limit", whole=True, least=1, most=7 * 24 * 3600),
    "memory_limit": Rule("--memory-limit", whole=True, least=64, most=1024 * 1024),
    "frames": Rule("--frames", whole=True, least=1, most=MAX_FRAMES),
    "speed": Rule("--speed", whole=False, least=0, most=1000),  # play: times the recorded pace (0: at once)
    "seek_key": Rule("--seek-key", whole=True, least=1),
    "seek_step": Rule("--seek-step", whole=True, least=0),
}


def shown(text: str, width: int = 24) -> str:
    """A typed value as a message quotes it: at most `width` characters."""
    return text if len(text) <= width else text[: width - 1] + "…"


def parse(name: str, text: str) -> int | float:
    """The value typed for the option `name` (a key of RULES), or OptionError in one line."""
    rule = RULES[name]
    label = rule.name
    text = text.strip().replace("_", "")
    if not text:
        empty = _("{label} is empty: give a whole number") if rule.whole else _("{label} is empty: give a number")
        raise OptionError(empty.format(label=label))
    digits = text.lstrip("+-")
    if rule.whole and digits.isascii() and digits.isdigit() and len(text) > MAX_TYPED:
        most = rule.most if rule.most is not None else MAX_WHOLE
        bound = (
            _("{label} must be at least -{most}, got a number of {digits} digits")
            if text.startswith("-")
            else _("{label} must be at most {most}, got a number of {digits} digits")
        )
        raise OptionError(bound.format(label=label, most=f"{most:,}", digits=f"{len(digits):,}"))
    try:
        # ASCII and short, before int() / float() see it: int() raises past 4,300 digits and reads
        # other scripts' digits (١٢ would be 12).
        if not (text.isascii() and len(text) <= MAX_TYPED):
            raise ValueError
        value = int(text) if rule.whole else float(text)
    except ValueError:
        wrong = (
            _("{label} must be a whole number, got {got}") if rule.whole else _("{label} must be a number, got {got}")
        )
        raise OptionError(wrong.format(label=label, got=repr(shown(text)))) from None
    if not math.isfinite(value):
        raise OptionError(_("{label} must be a finite number, got {got}").format(label=label, got=repr(shown(text))))
    low, high = rule.least, rule.most
    if (low is not None and value < low) or (high is not None and value > high):
        got = f"{value:,}"
        if high is None:
            raise OptionError(
                _("{label} must be at least {low}, got {got}").format(label=label, low=f"{low:,}", got=got)
            )
        if low is None:
            raise OptionError(
                _("{label} must be at most {high}, got {got}").format(label=label, high=f"{high:,}", got=got)
            )
        raise OptionError(
            _("{label} must be from {low} to {high}, got {got}").format(
                label=label, low=f"{low:,}", high=f"{high:,}", got=got
            )
        )
    return value
