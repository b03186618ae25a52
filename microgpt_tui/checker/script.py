"""Provides `Script`: a learner's microgpt.py as the checker reads it, never running it: its settings and its parts.

Its settings are the literal values it gives microgpt's globals (`n_embd = 16`, `learning_rate, beta1, beta2,
eps_adam = 0.01, 0.85, 0.99, 1e-8`, `random.seed(42)`, `def matrix(nout, nin, std=0.08)`), read with `ast`:
the reference is built for the same settings. A name it does not set as a literal keeps microgpt's value,
and the report says which. `part_of` says which part of the code a line is in (forward, loss, backward,
Adam, sampling), from where the training loop and its `backward()` call are.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from microgpt_engine import Config
from microgpt_engine.paths import read_capped
from microgpt_tui.engine_errors import said
from microgpt_tui.language import N_, _

# microgpt's global -> the engine's Config field.
SETTINGS = {
    "n_embd": "n_embd",
    "n_head": "n_head",
    "n_layer": "n_layer",
    "block_size": "block_size",
    "num_steps": "steps",
    "learning_rate": "lr",
    "beta1": "beta1",
    "beta2": "beta2",
    "eps_adam": "eps",
    "temperature": "temperature",
}
MODEL_FUNCTIONS = {"gpt", "linear", "rmsnorm", "attention", "mlp", "gelu", "relu"}
MAX_BYTES = 1024 * 1024  # a single-file microgpt is ~10 KB


class ScriptError(ValueError):
    """The file cannot be checked: one line saying why."""


@dataclass
class Script:
    path: Path
    source: str
    tree: ast.Module
    config: Config
    unset: list[str] = field(default_factory=list)  # microgpt's names it gives no literal value (defaults used)

    @property
    def name(self) -> str:
        return self.path.name

    def line(self, number: int) -> str:
        lines = self.source.splitlines()
        return lines[number - 1].strip() if 0 < number <= len(lines) else ""

    def statement(self, number: int) -> str:
        """The simple statement at line `number`, as code without its comments (at most 100 characters)."""
        compound = (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.FunctionDef, ast.ClassDef, ast.AsyncFor)
        found = [
            node
            for node in ast.walk(self.tree)
            if isinstance(node, ast.stmt)
            and not isinstance(node, compound)
            and node.lineno <= number <= (node.end_lineno or node.lineno)
        ]
        if not found:
            return self.line(number)
        code = ast.unparse(max(found, key=lambda node: node.lineno))
        return code if len(code) <= 100 else code[:99] + "…"

    def training_loop(self) -> ast.For | None:
        """The top-level `for` that calls `.backward()` (microgpt's `for step in range(num_steps)`)."""
        for node in self.tree.body:
            if isinstance(node, (ast.For, ast.While)) and any(backward_calls(node)):
                return node  # type: ignore[return-value]
        return None

    def part_of(self, frames: list[tuple[int, str]]) -> str:
        """The part of the code a traceback's frames (outermost first: (line, function)) stopped in."""
        if not frames:
            return N_("setup")
        functions = [name for _, name in frames[1:]]
        top = frames[0][0]
        loop = self.training_loop()
        if loop is None or top < loop.lineno:
            return (
                N_("the forward pass")
                if set(functions) & MODEL_FUNCTIONS
                else N_("setup (data, vocabulary or weights)")
            )
        if top > (loop.end_lineno or loop.lineno):
            return N_("sampling")
        backward_line = min(call.lineno for call in backward_calls(loop))
        if top > backward_line:
            return N_("Adam (the update)")
        if top == backward_line:
            return N_("backward")
        if set(functions) & MODEL_FUNCTIONS:
            return N_("the forward pass")
        if functions and "softmax" in functions or "loss" in self.line(top):
            return N_("the loss")
        return N_("the forward pass")


def backward_calls(node: ast.AST) -> Iterator[ast.Call]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "backward":
            yield sub


def read(named: str | Path) -> Script:
    """The script at `named`, its settings read; ScriptError (one line) when it cannot be checked."""
    raw = read_capped(
        named,
        MAX_BYTES,
        ScriptError,
        missing="no such file",
        directory="is a directory, not a Python file",
        too_large=f"more than {MAX_BYTES:,} bytes, not a single-file microgpt",
    )
    path = Path(named)
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScriptError(_("{path}: not a Python file (not UTF-8 text)").format(path=path)) from None
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as e:
        raise ScriptError(
            _("{path}: not Python: {error} at line {line}").format(path=path, error=e.msg, line=e.lineno)
        ) from None
    except ValueError as e:  # a NUL byte
        raise ScriptError(_("{path}: not Python: {error}").format(path=path, error=e)) from None
    found = literal_settings(tree)
    unset = [name for name in SETTINGS if name not in found]
    values = {SETTINGS[name]: value for name, value in found.items() if name in SETTINGS}
    if "seed" in found:
        values["seed"] = found["seed"]
    if "std" in found:
        values["init_std"] = found["std"]
    try:
        config = Config(**values).validate()  # type: ignore[arg-type]
    except (ValueError, TypeError) as e:
        raise ScriptError(
            _("{path}: its settings cannot be checked: {error}").format(path=path, error=said(e))
        ) from None
    return Script(path, source, tree, config, unset)


def literal_settings(tree: ast.Module) -> dict[str, object]:
    """microgpt's settings the script gives literal values at its top level (the last assignment wins),
    its `random.seed(N)` and the `std` default of its `matrix`."""
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for name, value in pairs(target, node.value):
                    found[name] = value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            for name, value in pairs(node.target, node.value):
                found[name] = value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = node.value
            if ast.unparse(call.func) == "random.seed" and len(call.args) == 1:
                seed = literal(call.args[0])
                if isinstance(seed, int):
                    found["seed"] = seed
        if isinstance(node, (ast.FunctionDef, ast.Assign)):
            std = std_default(node)
            if std is not None:
                found["std"] = std
    return found


def pairs(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, object]]:
    """(name, literal value) for `a = 1` and `a, b = 1, 2`; nothing for what is not a literal."""
    if isinstance(target, ast.Name) and target.id in SETTINGS:
        found = literal(value)
        if isinstance(found, (int, float)) and not isinstance(found, bool):
            yield target.id, found
    elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
        for t, v in zip(target.elts, value.elts):
            yield from pairs(t, v)


def literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def std_default(node: ast.stmt) -> float | None:
    """The `std=` default of `def matrix(...)` or `matrix = lambda ...: ...`."""
    args = None
    if isinstance(node, ast.FunctionDef) and node.name == "matrix":
        args = node.args
    elif (
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "matrix" for t in node.targets)
        and isinstance(node.value, ast.Lambda)
    ):
        args = node.value.args
    if args is None:
        return None
    defaults = dict(zip([a.arg for a in args.args][len(args.args) - len(args.defaults) :], args.defaults))
    value = literal(defaults["std"]) if "std" in defaults else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
