"""The code part of every cache key: the modules a result's module imports, read from the source."""

from __future__ import annotations

import ast

from tei_edition.cache import keys
from tei_edition.resources import PACKAGE


def _modules() -> list[str]:
    names = []
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _imports_by_ast(name: str) -> set[str]:
    """What Python itself says a module imports (the reference for the quick scan)."""
    found = []
    for node in ast.walk(ast.parse(keys.module_file(name).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    parents = {".".join(n.split(".")[:i]) for n in found for i in range(1, n.count(".") + 1)}
    return {n for n in {*found, *parents} if n.startswith("tei_edition") and keys.module_file(n).is_file()}


def test_the_scan_of_imports_finds_what_python_finds_in_every_module():
    modules = _modules()
    assert len(modules) > 50
    for name in modules:
        assert set(keys.package_imports(name)) == _imports_by_ast(name), name


def test_a_multiline_import_in_a_function_counts(tmp_path, monkeypatch):
    source = tmp_path / "tei_edition" / "probe.py"
    source.parent.mkdir()
    source.write_text("def f():\n    from tei_edition.cache import (\n        store,\n        keys,\n    )\n")
    monkeypatch.setattr(keys, "module_file", lambda n: source if n == "tei_edition.probe"
                        else PACKAGE.parent.joinpath(*n.split(".")).with_suffix(".py"))
    assert {"tei_edition.cache.store", "tei_edition.cache.keys"} <= set(keys.package_imports("tei_edition.probe"))
