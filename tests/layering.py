"""Read the project's imports with `ast` and say which break the layering: forbidden imports and cycles.

The rules (../README.md, "Architecture"): entry points → pipeline → storage. `pipeline/` and `storage/` never
import Prefect, a web framework, `flows`, `web` or `plaudit`; `storage/` never imports `pipeline`; and no
two project modules import each other, directly or through others (imports inside functions count too).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

PACKAGES = ("pipeline", "storage", "flows", "web", "plaudit")
WEB_FRAMEWORKS = ("starlette", "fastapi", "uvicorn", "jinja2", "flask", "django", "aiohttp", "sanic", "quart")
ENTRY_POINTS = ("prefect", "flows", "web", "plaudit")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "pipeline": ENTRY_POINTS + WEB_FRAMEWORKS,
    "storage": ENTRY_POINTS + WEB_FRAMEWORKS + ("pipeline",),
    "flows": ("web", "plaudit") + WEB_FRAMEWORKS,
    "web": ("flows", "plaudit", "prefect"),
}


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the project's packages under `root`, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported_names(module: str, path: Path, modules: Iterable[str] = ()) -> set[str]:
    """Dotted names a module imports, wherever the import stands; `from a import b` is `a.b` when that is a
    module of `modules`, else `a`."""
    modules = set(modules)
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.module, node.level)
            names.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
    return names


def _absolute(module: str, is_package: bool, name: str | None, level: int) -> str:
    if not level:
        return name or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([name] if name else []))


def dependencies(root: Path) -> dict[str, set[str]]:
    """Each project module's imports: project modules by full name, anything else by its top-level package."""
    modules = module_files(root)
    graph = {}
    for module, path in modules.items():
        targets = {name if name in modules else name.split(".")[0] for name in imported_names(module, path, modules)}
        graph[module] = targets - {module}
    return graph


def forbidden_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import that crosses the layering the wrong way, as 'module imports name'."""
    problems = []
    for module, targets in sorted(graph.items()):
        banned = FORBIDDEN.get(module.split(".")[0], ())
        for target in sorted(targets):
            if target.split(".")[0] in banned:
                problems.append(f"{module} imports {target}")
    return problems


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of project modules that import each other (strongly connected components of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles
