"""Lower layers never import upper ones; ``cli`` and ``web`` never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import haven

PACKAGE = Path(haven.__file__).parent
# Each layer may import itself and the layers listed before it.
LAYERS = [
    "errors",
    "model",
    "store",
    "io",
    "geo",
    "analysis",
    "simulate",
    "read",
    "services",
    "report",
    "cli",
    "web",
    "__main__",
]
SIDE_BY_SIDE = {"cli": {"web"}, "web": {"cli"}}


def _layer(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    return part.removesuffix(".py")


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "haven" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_layers_only_import_downwards() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = _layer(path)
        if layer not in LAYERS:
            continue
        allowed = set(LAYERS[: LAYERS.index(layer) + 1])
        for imported in _imported_layers(path) - allowed:
            if imported in LAYERS or imported in SIDE_BY_SIDE.get(layer, set()):
                problems.append(f"{path.relative_to(PACKAGE)} ({layer}) imports haven.{imported}")
    assert problems == []


def test_every_module_belongs_to_a_known_layer() -> None:
    unknown = {
        _layer(p)
        for p in PACKAGE.rglob("*.py")
        if _layer(p) not in LAYERS and _layer(p) not in {"__init__", "__main__", "web"}
    }
    assert unknown == set()
