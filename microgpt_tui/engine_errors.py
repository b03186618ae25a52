"""Provides `said`: an error's one line in the current language, and `in_language` for a finished sentence of the
engine's (or of its data loader's).

The engine speaks English only and never imports the app; apart from PathError (which carries its template),
its errors are one finished line: a sentence with a path or a number put in. Every such sentence a command
or a dialog can show is listed here as its template, marked for the catalog. `in_language` finds which
template a line is, takes the values from where its placeholders are, and says it in the current language
with the same values; the sentences inside it (a reason, a config error inside a checkpoint's) are said in
turn. A line that is none of these stays as the engine wrote it.
"""

from __future__ import annotations

import re
from functools import cache

from microgpt_tui import language
from microgpt_tui.language import N_, _

FORMS = (
    # engine/paths.py read_capped: the reasons it gives itself, and those of each file it reads for a caller
    N_("{path}: not a regular file"),
    N_("{path}: permission denied"),
    N_("{path}: not enough memory to read it"),
    N_("{path}: cannot read ({reason})"),
    N_("{path}: no such file"),
    N_("{path}: is a directory"),
    N_("{path}: it is a directory"),
    N_("{path}: too large"),
    N_("{path}: is a directory, not a text file"),
    N_("{path}: more than {size} bytes is more than this loader reads"),
    N_("{path}: no such checkpoint"),
    N_("{path}: is a directory, not a checkpoint"),
    N_("{path}: more than {size} bytes is too large for a checkpoint"),
    N_("{path}: is a directory, not a Python file"),
    N_("{path}: more than {size} bytes, not a single-file microgpt"),
    N_("{path}: too large for a script run"),
    N_("{path}: it is a directory, not a recording"),
    N_("{path}: more than {size} bytes is not a recording this app wrote"),
    # engine/paths.py named(), said through read_capped as a finished line
    N_("{what} is empty: give the name of a file"),
    N_("{what} {value} holds a NUL character, which no file name can"),
    # data/__init__.py
    N_("{path}: not UTF-8 text (bad byte at offset {offset})"),
    N_("{path}: no documents (the file is empty or only blank lines)"),
    # engine/checkpoint.py: loading
    N_("{path}: not a checkpoint (not UTF-8 JSON)"),
    N_("{path}: not a valid checkpoint (far more {what} than any model has)"),
    N_("{path}: not a valid checkpoint (nested too deeply)"),
    N_("{path}: not a checkpoint or truncated (invalid JSON: {reason})"),
    N_("{reason}: line {line} column {column} (char {char})"),  # (the json module's, its reason below)
    N_("{path}: bad config: {reason}"),
    N_("{path}: checkpoint format version {version} is not supported (this is version {current})"),
    N_("{path}: its vocabulary ({theirs}) does not match the data's ({ours})"),
    N_("{path}: not a valid checkpoint ({reason})"),
    N_("step {step} is not between 0 and {steps}"),
    N_("{name} does not have {rows} rows"),
    N_("{name} rows are not {cols} finite numbers"),
    N_("Adam {key} is not {count} finite numbers"),
    N_("{count} tokens: {chars}"),
    # engine/checkpoint.py: saving (the path errors, "cannot write" said "cannot save to")
    N_("cannot save to {path}: the state holds numbers that are not finite"),
    N_("cannot save to {target}: directory {folder} does not exist"),
    N_("cannot save to {target}: directory {folder} is not writable ({reason})"),
    N_("cannot save to {target}: directory {folder}: {reason}"),
    N_("cannot save to {target}: {folder} is a file, not a directory"),
    N_("cannot save to {target}: it is a symbolic link (give the file it points to, or a new name)"),
    N_("cannot save to {target}: it is a directory"),
    N_("cannot save to {target}: not a regular file"),
    N_("cannot save to {target}: {reason}"),
    # engine/config.py and engine/train.py
    N_("{name} must be a positive whole number, got {value}"),
    N_("{name} must be a positive whole number (or 0), got {value}"),
    N_("{name} must be at most {most}, got {value}"),
    N_("attention must be true or false, got {value}"),
    N_("seed must be a whole number, got {value}"),
    N_("seed must be from -{most} to {most}, got {value}"),
    N_("a number of {digits} digits"),
    N_("n_embd ({n_embd}) must be divisible by n_head ({n_head})"),
    N_("block_size must be at least 2 (one token in, one to predict), got {value}"),
    N_("{name} must be a number, got {value}"),
    N_("{name} is too large, got a number of {digits} digits"),
    N_("lr must be greater than 0, got {value}"),
    N_("temperature must be greater than 0, got {value}"),
    N_("temperature {value} is too small to divide by"),
    N_("beta1 and beta2 must be in [0, 1), got {beta1} and {beta2}"),
    N_("eps must be in (0, 1), got {value}"),
    N_("init_std must be greater than 0, got {value}"),
    N_(
        "a model of {count} parameters with block size {block_size} would need about {gb} GB per training step "
        "(the limits are {most} parameters and {most_gb} GB); choose a smaller n_embd, n_layer or block_size"
    ),
    N_("unknown config fields: {names}"),
    N_("steps ({steps}) must be at least the steps already done ({done})"),
)
# The words the engine puts into a sentence above (a `{reason}` or a `{what}`), said in the current language too.
WORDS = (
    N_("objects"),
    N_("lists"),
    N_("strings"),
    N_("values"),
    N_("missing the microgpt-tui format marker"),
    N_("config is not an object"),
    N_("vocab is not a list of characters"),
    N_("vocab is not sorted and unique"),
    N_("weights do not name the model's matrices in order"),
    N_("Adam state does not match the step"),
    N_("Adam v has negative entries"),
    N_("RNG state is malformed"),
    N_("data fingerprint is malformed"),
    # the json module's reasons (a checkpoint that is no JSON)
    N_("Expecting value"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Expecting ':' delimiter"),
    N_("Expecting ',' delimiter"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
    N_("Invalid \\escape"),
    N_("Invalid \\uXXXX escape"),
    N_("Extra data"),
    N_("Illegal trailing comma before end of object"),
    N_("Illegal trailing comma before end of array"),
)
INNER = frozenset({"reason", "what", "value", "theirs", "ours"})  # placeholders that may hold a sentence of their own
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each template as a pattern of its English (a placeholder matches any text; one named twice, the same
    text), the most literal first, so that "{path}: no such file" wins over "{path}: {reason}"-like ones."""
    made = []
    for template in FORMS:
        parts, seen = [], set()
        for i, piece in enumerate(PLACEHOLDER.split(template)):
            if i % 2 == 0:
                parts.append(re.escape(piece))
            elif piece in seen:
                parts.append(f"(?P={piece})")
            else:
                seen.add(piece)
                parts.append(f"(?P<{piece}>.+?)")
        made.append((re.compile("".join(parts), re.DOTALL), template))
    return sorted(made, key=lambda pair: -len(PLACEHOLDER.sub("", pair[1])))


def in_language(line: str) -> str:
    """The engine's English `line` in the current language (itself when it is no sentence listed here)."""
    for pattern, template in _patterns():
        found = pattern.fullmatch(line)
        if found is not None:
            values = {name: in_language(value) if name in INNER else value for name, value in found.groupdict().items()}
            return _(template).format(**values)
    return _(line)  # (a word of WORDS, a reason of engine/paths.py, or a line no one translated: itself)


SAID_FIELDS = ("reason", "what")  # an error's fields that are words of its own (the rest: paths, numbers, names)


def said(error: Exception) -> str:
    """An error's one line in the current language: from its template and fields when it carries them (the
    engine's PathError), else found among the engine's sentences (in_language), else as it is."""
    template = getattr(error, "template", None)
    fields = getattr(error, "fields", None)
    if not isinstance(template, str) or not isinstance(fields, dict):
        text = str(error)
    else:
        words = {name: _(v) if name in SAID_FIELDS and isinstance(v, str) else v for name, v in fields.items()}
        text = _(template).format(**words) if fields else _(template)
    if language.current() != "en" and text == str(error):  # (no template, or one no catalog holds: a finished line)
        return in_language(text)
    return text
