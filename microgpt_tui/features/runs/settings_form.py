"""Provides the settings form's rules: what the learner typed, turned into a new run's settings or into why not.

Every field is checked by the engine's own rules (`Config.validate`, then
`Config.check_size` for the memory a step would need), so the form says
exactly what the command line would, next to the field it is about, before
anything is allocated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

import microgpt_data
from microgpt_engine import Config, ConfigError, Tokenizer
from microgpt_tui.core.labels import clipped, visible_text
from microgpt_tui.core.views import ForkPlan

FIELDS = ("lr", "steps", "n_embd", "n_head", "n_layer", "block_size", "seed", "temperature")
WHOLE = {f.name for f in fields(Config) if f.type in ("int", int)}
ENGINES = ("fused", "plain")
CURRENT, BUNDLED = "current", "bundled"  # the dataset choices besides a file
MAX_TYPED = 40  # characters of a typed number: "1e-05", "1000000000"; a paste of 5,000 digits is no setting


@dataclass(frozen=True)
class SettingsForm:
    """What the settings screen opens with: the live run's values as text."""

    values: tuple[tuple[str, str], ...]  # (field, text) in FIELDS order
    engine: str
    attention: bool
    dataset_name: str  # the live run's data, by name


@dataclass(frozen=True)
class NewRun:
    """Checked settings for a run: the lab starts it as they are."""

    config: Config
    engine: str
    docs: tuple[str, ...]
    dataset_name: str
    num_params: int = 0
    extend: bool = False  # add steps to the live run instead of starting a new one
    preset: str = ""  # "bigram": the count table as a run of its own (no weights to train)


def form_for(config: Config, engine: str, dataset_name: str) -> SettingsForm:
    values = tuple((name, f"{getattr(config, name)}") for name in FIELDS)
    return SettingsForm(values, engine, config.attention, dataset_name)


def field_of(message: str) -> str:
    """Which field an engine message is about: the first one it names ("n_embd (10) must be …")."""
    named = [(message.find(name), name) for name in FIELDS if name in message]
    return min(named)[1] if named else "n_embd"


def parse(name: str, text: str) -> int | float:
    """One field's text as its number, or a ConfigError in the engine's words."""
    text = text.strip().replace("_", "")
    kind = "whole number" if name in WHOLE else "number"
    try:
        # ASCII and short, before int() / float() see it: int() raises past 4,300 digits and reads
        # other scripts' digits (١٢ would be 12); no setting needs more than MAX_TYPED characters.
        if not (text.isascii() and len(text) <= MAX_TYPED):
            raise ValueError
        value = int(text) if name in WHOLE else float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a {kind}, got {clipped(text, 24)!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number, got {clipped(text, 24)!r}")
    return value


def check(
    values: Mapping[str, str],
    engine: str,
    dataset: str,
    path: str,
    base: Config,
    docs: list[str],
    dataset_name: str,
) -> tuple[NewRun | None, dict[str, str]]:
    """The run the form describes, or None and a message per field ("dataset" for the data).

    `dataset` is CURRENT (the live run's `docs`), BUNDLED (the names shipped
    with the package) or anything else for the file at `path`. `values` may say
    "attention": "off" (the blocks keep only their MLP).
    """
    errors: dict[str, str] = {}
    numbers: dict[str, int | float] = {}
    for name in FIELDS:
        try:
            numbers[name] = parse(name, values.get(name, str(getattr(base, name))))
        except ConfigError as exc:
            errors[name] = str(exc)
    if engine not in ENGINES:
        errors["engine"] = f"engine must be one of {', '.join(ENGINES)}, got {engine!r}"
    try:
        new_docs, new_name = load(dataset, path, docs, dataset_name)
    except microgpt_data.DataError as exc:
        errors["dataset"] = visible_text(str(exc))  # (it names the file typed: its characters, escaped)
        new_docs, new_name = docs, dataset_name
    if errors:
        return None, errors
    try:
        attention = values.get("attention", "on" if base.attention else "off") != "off"
        config = replace(base, **numbers, attention=attention).validate()  # type: ignore[arg-type]  # (each by its kind)
        vocab_size = Tokenizer.from_documents(new_docs).vocab_size
        config.check_size(vocab_size, engine)  # before anything is allocated
    except ConfigError as exc:
        return None, {field_of(str(exc)): str(exc)}
    return NewRun(config, engine, tuple(new_docs), new_name, config.param_count(vocab_size)), {}


def check_fork(values: Mapping[str, str], base: Config, step: int) -> tuple[ForkPlan | None, dict[str, str]]:
    """The fork dialog's fields ("lr", "remaining", "temperature") as a plan, or a message per field."""
    errors: dict[str, str] = {}
    numbers: dict[str, int | float] = {}
    for name, default in (("lr", base.lr), ("remaining", base.steps - step), ("temperature", base.temperature)):
        try:
            numbers[name] = parse("steps" if name == "remaining" else name, values.get(name, str(default)))
        except ConfigError as exc:
            errors[name] = str(exc).replace("steps", "remaining steps", 1) if name == "remaining" else str(exc)
    if "remaining" in numbers and numbers["remaining"] < 1:
        errors["remaining"] = f"remaining steps must be at least 1, got {numbers['remaining']}"
    if errors:
        return None, errors
    try:
        config = replace(
            base, lr=numbers["lr"], steps=step + int(numbers["remaining"]), temperature=numbers["temperature"]
        )
        config.validate()
    except ConfigError as exc:
        return None, {field_of(str(exc)): str(exc)}
    return ForkPlan(config.lr, config.steps, config.temperature), {}


def load(dataset: str, path: str, docs: list[str], dataset_name: str) -> tuple[list[str], str]:
    """The documents of the chosen data, and its name."""
    if dataset == CURRENT:
        return docs, dataset_name
    if dataset == BUNDLED:
        file = microgpt_data.bundled_names_path()
        return microgpt_data.load_documents(file), file.name
    if not path.strip():
        raise microgpt_data.DataError("type the path of a file, one document per line")
    file = Path(path.strip()).expanduser()
    return microgpt_data.load_documents(file), file.name


def fork_changes(before: Config, after: Config, temperature: float, old_temperature: float) -> str:
    """What a fork changed, in words (" with lr 0.1, 300 steps"), or ""."""
    parts = []
    if after.lr != before.lr:
        parts.append(f"lr {after.lr:g} (was {before.lr:g})")
    if after.steps != before.steps:
        parts.append(f"{after.steps:,} steps in all (was {before.steps:,})")
    if temperature != old_temperature:
        parts.append(f"temperature {temperature:g}")
    return " with " + ", ".join(parts) if parts else ""
