"""The layers import one way, engine -> lab -> app, and no module imports itself back through others.

Read from the source (`ast`), counting only the imports that run: an import
under `if TYPE_CHECKING:` names a type for the checker (a lab part's
back-reference to `Lab`) and ties nothing at run time.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"microgpt_engine": ROOT / "engine", "microgpt_tui": ROOT / "microgpt_tui"}
# Words, a JSON file, the rule of every typed number (shared with the CLI): no UI.
LAB_MAY_USE = {"microgpt_tui.texts", "microgpt_tui.glossary", "microgpt_tui.user_state", "microgpt_tui.option_rules"}


def module_name(path: Path) -> str:
    for package, folder in PACKAGES.items():
        if folder in path.parents:
            parts = path.relative_to(folder).with_suffix("").parts
            return ".".join((package, *parts)).removesuffix(".__init__")
    raise ValueError(path)


def runtime_imports(path: Path) -> set[str]:
    """The project modules `path` imports when it runs (relative imports resolved)."""
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
    found = set()
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from . import texts` names a module
    return found


def graph() -> dict[str, set[str]]:
    files = [p for folder in PACKAGES.values() for p in folder.rglob("*.py")]
    names = {module_name(p) for p in files}
    edges = {}
    for p in files:
        name = module_name(p)
        ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}  # imported before it anyway
        edges[name] = {m for m in runtime_imports(p) if m in names} - {name} - ancestors
    return edges


def test_the_graph_is_read():
    edges = graph()
    assert "microgpt_tui.lab.sample_drawing" in edges["microgpt_tui.lab.lab"]
    assert "microgpt_tui.lab.lab" not in edges["microgpt_tui.lab.sample_drawing"]  # (under TYPE_CHECKING only)
    assert "microgpt_tui.lab" in edges["microgpt_tui.app"] and "microgpt_engine" in edges["microgpt_tui.lab.lab"]


def test_the_engine_imports_nothing_of_the_app_and_the_lab_nothing_above_it():
    for module, imports in graph().items():
        if module.startswith("microgpt_engine"):
            assert not [m for m in imports if m.startswith("microgpt_tui")], module
        if module.startswith("microgpt_tui.lab"):
            above = {m for m in imports if not m.startswith(("microgpt_tui.lab", "microgpt_engine"))}
            assert above <= LAB_MAY_USE | {"microgpt_tui"}, (module, above - LAB_MAY_USE)


def test_no_import_cycle():
    edges, state, cycle = graph(), {}, []

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
    assert cycle == []
