"""Provides share codes: where the app is now, in a short printable text that reopens that exact screen.

A code is tokens joined by `_`, each a letter and a value, after the prefix `mg1` (the code's version)
and before a check (`c` and four hex digits of CRC-32 over what comes before it), e.g.

    mg1_s500_h2_z0.2_c9fd4

Only what differs from a new session is written. Where the run is: `s` the step trained to, `v` the
step viewed (time travel; absent: now). The view and its selection: `w` the view on top (`v` forward
pass, `m` matrix, `g` graph, `e` embeddings, `c` compare; absent: the main screen), `l` layer, `h` head,
`a` all heads side by side, `p` position, `b` before the last update; `z` an ablated head as
`layer.head`, or `layer` for the whole layer (one `z` per ablation). The settings, by their
command-line options: `E` n_embd, `H` n_head, `L` n_layer, `B` block_size, `N` steps, `R` lr, `S` seed,
`T` temperature, `P` the plain engine; the data: `D` the file's name (base32 of its UTF-8), `Y` its
size, `X` the first 12 hex digits of its SHA-256 (absent: the bundled names). `Q` is the lesson's
chapter open when the code was made (base32): opening the code opens it again.

Every letter, digit, `.`, `_` and `-` is safe in a URL, a shell word and a chat message. Reading a code
(`parse`) checks everything and raises CodeError in one line; nothing in it is run: a replay presses
the keys that reach its state.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass, field, replace

from microgpt_engine import Config, ConfigError
from microgpt_engine.config import MAX_WHOLE
from microgpt_tui import language, option_rules
from microgpt_tui.language import N_

PREFIX = "mg1"
MAX_CODE = 600  # characters: a long file name still fits
SAFE = re.compile(r"[A-Za-z0-9._-]+")
VIEWS = {"v": "forward", "m": "matrix", "g": "graph", "e": "embeddings", "c": "compare"}  # the key -> the view
SCREENS = {  # the screen on top (its class's name) -> the key that opens it
    "ForwardScreen": "v",
    "MatrixScreen": "m",
    "GraphScreen": "g",
    "EmbeddingScreen": "e",
    "CompareScreen": "c",
}
SETTINGS = {"E": "n_embd", "H": "n_head", "L": "n_layer", "B": "block_size", "N": "steps", "R": "lr", "S": "seed"}
SETTINGS |= {"T": "temperature"}
DEFAULTS = Config()


class CodeError(ValueError):
    """A code that cannot be read; the message is one line."""


@dataclass(frozen=True)
class DataRef:
    """The data a code needs: the file's name, its size and the start of its SHA-256."""

    name: str
    size: int
    sha: str  # the first 12 hex digits

    def describe(self) -> str:
        return language._("{name} ({size} bytes, sha256 {sha}…)").format(
            name=self.name, size=f"{self.size:,}", sha=self.sha
        )


@dataclass(frozen=True)
class ScreenCode:
    """Everything a code says: the run (settings, engine, data), its step, the view and its selection."""

    config: Config = DEFAULTS
    engine: str = "fused"
    data: DataRef | None = None  # None: the bundled names
    step: int = 0  # trained to
    viewed: int | None = None  # the step on the panels (None: now)
    layer: int = 0
    head: int = 0
    all_heads: bool = False
    position: int = 0
    before: bool = False  # the model before the last update ('d')
    ablation: frozenset[tuple[int, int | None]] = field(default_factory=frozenset)
    view: str = ""  # the key that opens the view on top ("": the main screen)
    lesson: str | None = None  # the lesson's chapter (the lessons feature's hook)

    def text(self) -> str:
        """The code: `mg1_…_cXXXX`."""
        tokens = [PREFIX]
        for letter, name in SETTINGS.items():
            value = getattr(self.config, name)
            if value != getattr(DEFAULTS, name):
                tokens.append(f"{letter}{value!r}" if isinstance(value, float) else f"{letter}{value}")
        if self.engine != "fused":
            tokens.append("Pplain")
        if self.data is not None:
            tokens += [f"D{_b32(self.data.name)}", f"Y{self.data.size}", f"X{self.data.sha}"]
        tokens += [f"s{self.step}"] if self.step else []
        tokens += [f"v{self.viewed}"] if self.viewed is not None else []
        tokens += [f"w{self.view}"] if self.view else []
        tokens += [f"l{self.layer}"] if self.layer else []
        tokens += [f"h{self.head}"] if self.head else []
        tokens += ["a"] if self.all_heads else []
        tokens += [f"p{self.position}"] if self.position else []
        tokens += ["b"] if self.before else []
        for layer, head in sorted(self.ablation, key=lambda pair: (pair[0], -1 if pair[1] is None else pair[1])):
            tokens.append(f"z{layer}" if head is None else f"z{layer}.{head}")
        if self.lesson is not None:
            tokens.append(f"Q{_b32(self.lesson)}")
        body = "_".join(tokens)
        return f"{body}_c{zlib.crc32(body.encode()) & 0xFFFF:04x}"


def _b32(text: str) -> str:
    return base64.b32encode(text.encode("utf-8")).decode("ascii").rstrip("=").lower()


def _unb32(value: str, what: str) -> str:
    try:
        raw = base64.b32decode(value.upper() + "=" * (-len(value) % 8))
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise CodeError(language._("its {what} is not readable").format(what=language._(what))) from None


def _whole(value: str, what: str, most: int = MAX_WHOLE) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 16 or int(value) > most:
        raise CodeError(
            language._("its {what} must be a whole number up to {most}, got {got}").format(
                what=language._(what), most=f"{most:,}", got=repr(option_rules.shown(value))
            )
        )
    return int(value)


def parse(code: str) -> ScreenCode:
    """The code's contents, every part checked against the others; CodeError in one line otherwise."""
    code = code.strip()
    if len(code) > MAX_CODE:
        raise CodeError(
            language._("a code is at most {most} characters; this one has {count}").format(
                most=MAX_CODE, count=f"{len(code):,}"
            )
        )
    if not SAFE.fullmatch(code) or not code.startswith(PREFIX + "_"):
        raise CodeError(
            language._("{code} is not a microgpt-tui code (they start {prefix}_)").format(
                code=repr(option_rules.shown(code)), prefix=PREFIX
            )
        )
    body, _, check = code.rpartition("_")
    if check != f"c{zlib.crc32(body.encode()) & 0xFFFF:04x}":
        raise CodeError(language._("the code is mistyped or cut short: its check does not match"))
    settings: dict[str, int | float] = {}
    found: dict[str, str] = {}
    ablation: set[tuple[int, int | None]] = set()
    for token in body.split("_")[1:]:
        letter, value = token[:1], token[1:]
        if letter == "z":
            layer, dot, head = value.partition(".")
            if dot and not head:
                raise CodeError(
                    language._("its ablation {token} names no head").format(token=repr(option_rules.shown(token)))
                )
            ablated = _whole(layer, N_("ablated layer"), 1000), _whole(head, N_("ablated head"), 1000) if head else None
            ablation.add(ablated)
            continue
        if letter in found:
            raise CodeError(language._("it says {letter} twice").format(letter=repr(letter)))
        if letter in SETTINGS:
            try:
                settings[SETTINGS[letter]] = option_rules.parse(SETTINGS[letter], value)
            except option_rules.OptionError as e:
                raise CodeError(language._("its {error}").format(error=e)) from None
        elif not letter or letter not in "PDYXsvwlhapbQ":
            raise CodeError(
                language._("it holds {token}, which no code has").format(token=repr(option_rules.shown(token)))
            )
        found[letter] = value
    try:
        config = replace(DEFAULTS, **settings).validate()  # type: ignore[arg-type]
    except ConfigError as e:
        raise CodeError(language._("its settings: {error}").format(error=e)) from None
    return _checked(config, found, frozenset(ablation))


def _checked(config: Config, found: dict[str, str], ablation: frozenset[tuple[int, int | None]]) -> ScreenCode:
    if found.get("P", "plain") != "plain":
        raise CodeError(
            language._("its engine must be plain, got {got}").format(got=repr(option_rules.shown(found["P"])))
        )
    data = None
    if {"D", "Y", "X"} & set(found):
        if not {"D", "Y", "X"} <= set(found):
            raise CodeError(language._("its data is cut short: it needs the file's name, size and hash"))
        name = _unb32(found["D"], N_("data file's name"))
        if not name.strip() or len(name) > 255 or any(c in name for c in "/\\\0"):
            raise CodeError(language._("its data file's name is not a file's name"))
        if not re.fullmatch(r"[0-9a-f]{12}", found["X"]):
            raise CodeError(language._("its data hash must be 12 hex digits"))
        data = DataRef(name, _whole(found["Y"], N_("data size")), found["X"])
    step = _whole(found.get("s", "0"), N_("step"), config.steps)
    viewed = _whole(found["v"], N_("viewed step"), step) if "v" in found else None
    view = found.get("w", "")
    if view and view not in VIEWS:
        raise CodeError(language._("its view {view} is none the app has").format(view=repr(option_rules.shown(view))))
    layer = _whole(found.get("l", "0"), N_("layer"), max(config.n_layer - 1, 0))
    head = _whole(found.get("h", "0"), N_("head"), config.n_head - 1)
    position = _whole(found.get("p", "0"), N_("position"), config.block_size - 1)
    for flag in ("a", "b"):
        if found.get(flag, ""):
            raise CodeError(language._("its {flag} takes no value").format(flag=repr(flag)))
    for pair_layer, pair_head in ablation:
        if pair_layer >= config.n_layer or (pair_head is not None and pair_head >= config.n_head):
            raise CodeError(
                language._("it ablates head {layer}.{head}, which this model does not have").format(
                    layer=pair_layer, head=pair_head
                )
            )
    lesson = _unb32(found["Q"], N_("lesson")) if "Q" in found else None
    return ScreenCode(
        config=config,
        engine="plain" if "P" in found else "fused",
        data=data,
        step=step,
        viewed=viewed,
        layer=layer,
        head=head,
        all_heads="a" in found,
        position=position,
        before="b" in found,
        ablation=ablation,
        view=view,
        lesson=lesson,
    )


def plain_config(config: Config) -> bool:
    """Whether a code can say this run's settings: only the typed ones may differ from the defaults."""
    typed = set(SETTINGS.values())
    return all(getattr(config, f) == getattr(DEFAULTS, f) for f in DEFAULTS.to_dict() if f not in typed)
