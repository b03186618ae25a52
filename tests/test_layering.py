"""The layers import one way, engine -> core and features -> app, and no module imports itself back.

Read from the source (`ast`). The layers count the imports that run; the
cycles count those under `if TYPE_CHECKING:` too: a type named only for the
checker still ties two modules together for a reader (and for mypy).
"""

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"microgpt_engine": ROOT / "engine", "microgpt_tui": ROOT / "microgpt_tui"}
# Words, a JSON file, the rule of every typed number (shared with the CLI), the catalog (gettext): no UI.
LAB_MAY_USE = {"microgpt_tui.texts", "microgpt_tui.user_state", "microgpt_tui.option_rules", "microgpt_tui.language"}
CORE = "microgpt_tui.core"  # the session, the interlocks, the lab that builds the features


def module_name(path: Path) -> str:
    for package, folder in PACKAGES.items():
        if folder in path.parents:
            parts = path.relative_to(folder).with_suffix("").parts
            return ".".join((package, *parts)).removesuffix(".__init__")
    raise ValueError(path)


def runtime_imports(path: Path) -> tuple[set[str], set[str]]:
    """The project modules `path` imports when it runs (relative imports resolved), and those it imports for the
    type checker as well: both from one reading of the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    checking_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    running: set[str] = set()
    checking: set[str] = set()
    for node in ast.walk(tree):
        found = set()
        if isinstance(node, ast.Import):
            found = {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found = {base} | {f"{base}.{alias.name}" for alias in node.names}  # `from . import texts` names a module
        checking |= found
        if id(node) not in checking_only:
            running |= found
    return running, checking


@functools.cache  # (read once a session: the tests only read them)
def graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The import graph of the imports that run, and of those counting the type checker's, from one reading."""
    files = [p for folder in PACKAGES.values() for p in folder.rglob("*.py")]
    names = {module_name(p) for p in files}
    running: dict[str, set[str]] = {}
    checking: dict[str, set[str]] = {}
    for p in files:
        name = module_name(p)
        ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}  # imported before it anyway
        for edges, found in zip((running, checking), runtime_imports(p)):
            imported = {m for m in found if m in names}
            # Importing microgpt_tui.core.session runs microgpt_tui/core/__init__.py first: a package of the app
            # is imported with each of its modules (a package's __init__ that imported its lab would close a circle).
            packages = {
                m.rsplit(".", n)[0] for m in imported if m.startswith("microgpt_tui.") for n in range(1, m.count("."))
            }
            edges[name] = (imported | (packages & names)) - {name} - ancestors - {"microgpt_tui"}
    return running, checking


def graph(checking: bool = False) -> dict[str, set[str]]:
    return graphs()[checking]


def test_the_graph_is_read():
    edges = graph()
    assert "microgpt_tui.features.sampling.state" in edges["microgpt_tui.core.lab"]
    assert "microgpt_tui.core.lab" not in graph(checking=True)["microgpt_tui.features.sampling.state"]
    assert "microgpt_tui.core" in edges["microgpt_tui.app"] and "microgpt_engine" in edges["microgpt_tui.core.lab"]


def test_the_engine_imports_nothing_of_the_app_and_the_core_nothing_above_the_features():
    """The core imports the features' state (it builds them), never a screen, a widget or the app; what it
    imports in turn (a feature's state) imports no screen either (a fresh interpreter checks: no Textual)."""
    for module, imports in graph().items():
        if module.startswith("microgpt_engine"):
            assert not [m for m in imports if m.startswith("microgpt_tui")], module
        if module.startswith(CORE):
            above = {m for m in imports if not m.startswith((CORE, "microgpt_tui.features", "microgpt_engine"))}
            assert above <= LAB_MAY_USE | {"microgpt_tui"}, (module, above - LAB_MAY_USE)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, str] = {}
    cycle: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for nxt in sorted(edges[module]):
            if state.get(nxt) == "open":
                cycle.append([*path[path.index(nxt) :], nxt] if nxt in path else [module, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return cycle


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_no_import_cycle_even_for_the_type_checker():
    """A feature names the session and the interlocks it is given, never the lab or a sibling: no module of
    the app reaches itself back, counting the imports under TYPE_CHECKING."""
    edges = graph(checking=True)
    assert "microgpt_tui.core.interlocks" in edges["microgpt_tui.features.training.state"]  # (checker's imports)
    assert cycles(edges) == []


def test_no_feature_holds_the_lab_and_no_screen_reads_it():
    """Features receive the session and the interlocks; only lab.py (which builds them) imports the lab, and
    no screen, widget or renderable reaches `app.lab`: the app hands them what they show."""
    edges = graph(checking=True)
    folders = [ROOT / "microgpt_tui" / "core", ROOT / "microgpt_tui" / "features"]
    for path in (p for folder in folders for p in folder.rglob("*.py")):
        if path.name == "__init__.py" or path.parent.name == "core" and path.name == "lab.py":
            continue
        name = module_name(path)
        assert not {"microgpt_tui.core.lab", "microgpt_tui.core.Lab"} & edges[name], name
        assert not re.search(r"\bself\.lab\b|\blab: Lab\b|\bapp\.lab\b", path.read_text()), name
    for folder in ("screens", "widgets", "renderables"):
        for path in (ROOT / "microgpt_tui" / folder).rglob("*.py"):
            assert not re.search(r"\bapp\.lab\b", path.read_text()), path.name
