"""The shape of src/tei_edition, read from the source with `ast`: no import circles, writers that
do not lean on each other, a one-line docstring on every module, and how long the files are.

The import graph has an edge A → B for every import of module B anywhere in A's source (at the
top, inside functions, under `if TYPE_CHECKING`): each is a dependency a reader has to follow.
`from pkg import name` counts as an import of `pkg.name` when that is a module, else of `pkg`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import REPO

SRC = REPO / "src"
PACKAGE = "tei_edition"
MAX_LINES = 400  # the house rule: small files with one job
# over the limit today: the record encoder (one class that walks every field of a record)
KNOWN_LONG = {"src/tei_edition/commands/importer/encode.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The modules of the package that module `name` imports, anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle for each strongly connected group of modules (Tarjan), shown as a path A → … → A."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [circle_in(graph, set(g)) for g in groups]


def circle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    todo = [start]
    while todo:
        node = todo.pop(0)
        for nxt in sorted(graph[node] & group):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                todo.append(nxt)
    raise AssertionError(f"no circle through {start}")


def test_the_reader_finds_the_imports_it_is_meant_to_find():
    """The graph is not empty by accident: known edges of the layered layout are in it."""
    assert "tei_edition.model.corpus" in GRAPH["tei_edition.model.index"]
    assert "tei_edition.render.xslt" in GRAPH["tei_edition.writers.pdf.volume"]
    # an import inside a function counts too (writers/pdf/writer.py loads WeasyPrint's module late)
    assert "tei_edition.writers.pdf.render" in GRAPH["tei_edition.writers.pdf.writer"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    found = cycles(GRAPH)
    assert not found, "import circles (move the shared code down a layer):\n" + "\n".join(
        " → ".join(c) for c in found)


def sibling_writer_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports from writers.<a> into writers.<b> (writers.base, the shared interface, is allowed)."""
    prefix = f"{PACKAGE}.writers."
    wrong = []
    for name, targets in graph.items():
        if not name.startswith(prefix):
            continue
        own = name[len(prefix):].split(".")[0]
        for target in targets:
            other = target[len(prefix):].split(".")[0] if target.startswith(prefix) else own
            if other not in (own, "base"):
                wrong.append(f"{name} imports {target}")
    return sorted(wrong)


def test_a_writer_does_not_import_another_writer():
    fake = {"tei_edition.writers.pdf.data": {"tei_edition.writers.html.writer", "tei_edition.writers.base",
                                             "tei_edition.writers.pdf.options"},
            "tei_edition.writers.search": {"tei_edition.search.shards"}}
    assert sibling_writer_imports(fake) == ["tei_edition.writers.pdf.data imports tei_edition.writers.html.writer"]
    wrong = sibling_writer_imports(GRAPH)
    assert not wrong, "move what two writers share into writers/base.py or a lower layer:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_says_in_one_line_what_it_is_for(name):
    """A module docstring whose first paragraph is one line (more may follow after a blank line)."""
    doc = ast.get_docstring(ast.parse(MODULES[name].read_text(encoding="utf-8")))
    assert doc, f"{MODULES[name]}: no module docstring"
    summary = doc.split("\n\n")[0]
    assert summary.strip() and "\n" not in summary, \
        f"{MODULES[name]}: the docstring should open with a one-line summary, then a blank line"


def test_no_file_grows_over_the_limit():
    """Files over ~400 lines are the known ones below (each to be split on its own); the list
    must shrink, never grow: a file that is short again is taken off it."""
    long = {p.relative_to(REPO).as_posix(): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) == KNOWN_LONG, f"over {MAX_LINES} lines: {long}; known: {sorted(KNOWN_LONG)}"


def test_no_test_module_imports_another():
    """Shared fixtures live in tests/conftest.py and shared helpers in tests/helpers.py: a test
    module never imports another test module (or conftest, which pytest loads itself)."""
    tests = REPO / "tests"
    test_modules = {p.stem for p in tests.glob("test_*.py")} | {"conftest"}
    wrong = []
    for path in sorted(tests.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            wrong += [f"{path.name}:{node.lineno} imports {n}" for n in names
                      if n.split(".")[0] in test_modules or n.startswith("tests")]
    assert len(test_modules) > 20  # the scan sees the test modules
    assert not wrong, "move what is shared into conftest.py (fixtures) or helpers.py:\n" + "\n".join(wrong)
