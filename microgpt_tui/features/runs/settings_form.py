"""Provides the settings form's rules: what the learner typed, turned into a new run's settings or into why not.

Every field is checked by the engine's own rules (`Config.validate`, then
`Config.check_size` for the memory a step would need), so the form says
exactly what the command line would, next to the field it is about, before
anything is allocated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

import microgpt_data
from microgpt_engine import Config, ConfigError, Tokenizer
from microgpt_tui import option_rules
from microgpt_tui.core.labels import visible_text
from microgpt_tui.core.said import Said
from microgpt_tui.core.views import ForkPlan
from microgpt_tui.language import N_, _

FIELDS = ("lr", "steps", "n_embd", "n_head", "n_layer", "block_size", "seed", "temperature")
WHOLE = {f.name for f in fields(Config) if f.type in ("int", int)}
ENGINES = ("fused", "plain")
CURRENT, BUNDLED = "current", "bundled"  # the dataset choices besides a file
COPY = microgpt_data.COPY  # the copy task, made by the app (data/copy_task.py)
BUILT = (CURRENT, BUNDLED, COPY)  # the choices that name no file
# Presets that build microgpt up, each a run on the same data (a field not named stays as it is); the
# ladder (the lessons' chapter 9) trains the same ones.
PRESETS: dict[str, dict[str, str]] = {
    "no block": {"n_layer": "0", "attention": "on"},
    "no attention": {"n_layer": "1", "attention": "off"},
    "microgpt": {"n_embd": "16", "n_head": "4", "n_layer": "1", "block_size": "16", "lr": "0.01", "attention": "on"},
    "bigger": {"n_embd": "32", "n_head": "4", "n_layer": "2", "attention": "on"},
}


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
    """One field's text as its number, or a ConfigError: the rule every command's option follows too."""
    return option_rules.parse(name, text)


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
    with the package), COPY (the copy task) or anything else for the file at `path`. `values` may say
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
        vocab_size = vocab_size_of(new_docs)
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
            numbers[name] = parse(name, values.get(name, str(default)))
        except ConfigError as exc:
            errors[name] = str(exc)
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
        return read_once(file), file.name
    if dataset == COPY:
        return copy_task(), COPY
    if not path.strip():
        raise microgpt_data.DataError(_("type the path of a file, one document per line"))
    try:
        file = Path(path.strip()).expanduser()
    except RuntimeError:  # `~` with no home to expand to
        raise microgpt_data.DataError(_("{path}: no home folder to expand ~ to").format(path=path.strip())) from None
    return read_once(file), file.name


# The form is checked again at every keystroke in any field: the data file it names is read once per
# identity (device, inode, size, modification time), not per key (a 60 MB file froze the UI 2-4 s a key),
# and its vocabulary counted once per list of documents.
_last_read: dict[tuple[int, ...], list[str]] = {}
_last_vocab: dict[int, tuple[list[str], int]] = {}


def read_once(file: Path) -> list[str]:
    """The documents of `file`, read again only when it changed (or is another file)."""
    try:
        st = os.stat(file)
        key: tuple[int, ...] | None = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except (OSError, ValueError):
        key = None  # (load_documents says why, in one line)
    if key is not None and key in _last_read:
        return _last_read[key]
    docs = microgpt_data.load_documents(file)
    if key is not None:
        _last_read.clear()  # one file kept: the one the form names now
        _last_read[key] = docs
    return docs


_copy_task: list[str] = []


def copy_task() -> list[str]:
    """The copy task's documents, made once (the same list each time: its vocabulary is counted once too)."""
    if not _copy_task:
        _copy_task.extend(microgpt_data.built_in(COPY)[0])
    return _copy_task


def vocab_size_of(docs: list[str]) -> int:
    """The vocabulary size of `docs`, counted once per list (the live run's, or the file's last read)."""
    kept = _last_vocab.get(id(docs))
    if kept is not None and kept[0] is docs:  # (the list itself is kept, so its id cannot be reused)
        return kept[1]
    size = Tokenizer.from_documents(docs).vocab_size
    if len(_last_vocab) >= 2:  # the live run's and the file's
        _last_vocab.clear()
    _last_vocab[id(docs)] = (docs, size)
    return size


def fork_changes(before: Config, after: Config, temperature: float, old_temperature: float) -> str:
    """What a fork changed, in words (" with lr 0.1, 300 steps"), or ""."""
    parts: list[str] = []
    if after.lr != before.lr:
        parts.append(Said(N_("lr {lr} (was {was})"), lr=f"{after.lr:g}", was=f"{before.lr:g}"))
    if after.steps != before.steps:
        steps = N_("1 step in all (was {was})") if after.steps == 1 else N_("{steps} steps in all (was {was})")
        parts.append(Said(steps, steps=f"{after.steps:,}", was=f"{before.steps:,}"))
    if temperature != old_temperature:
        parts.append(Said(N_("temperature {t}"), t=f"{temperature:g}"))
    if not parts:
        return ""
    listed = Said(", ".join(f"{{p{i}}}" for i in range(len(parts))), **{f"p{i}": p for i, p in enumerate(parts)})
    return Said(N_(" with {changes}"), changes=listed)
