"""No import cycle among Kiber's modules.

Every ``import`` counts, at the top of a module or inside a function: an import deferred into a function
hides a cycle from Python's loader, not from the design (documents.py -> incidents.background ->
incidents.jobs -> ... -> documents.py was one). Imports under ``if TYPE_CHECKING:`` do not count: they
never run and only name types. Names resolved at run time (a job's dotted name) are not imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kiber

SOURCE = Path(kiber.__file__).resolve().parent


def module_names(root: Path) -> dict[str, Path]:
    names = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    skipped: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                skipped.update(ast.walk(statement))
    return skipped


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules that module ``name`` imports (``from package import module`` names the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules in order, the first repeated at the end), or None."""
    done: set[str] = set()
    for start in sorted(graph):
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(sorted(graph[start])))]
        path.append(start)
        on_path.add(start)
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                on_path.discard(path.pop())
                done.add(node)
            elif target in on_path:
                return path[path.index(target) :] + [target]
            elif target not in done:
                stack.append((target, iter(sorted(graph[target]))))
                path.append(target)
                on_path.add(target)
    return None


def test_kiber_has_no_import_cycle():
    assert find_cycle(import_graph(SOURCE)) is None


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    package = tmp_path / "app"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "models.py").write_text("from app.sub import services\n")
    (package / "sub" / "services.py").write_text("def later():\n    from ..models import Thing\n")
    (package / "types.py").write_text("import typing\nif typing.TYPE_CHECKING:\n    from app import models\n")
    graph = import_graph(package)
    assert graph["app.types"] == set()
    assert find_cycle(graph) == ["app.models", "app.sub.services", "app.models"]
