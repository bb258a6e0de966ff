"""What each cached result depends on: one registry, so no cache can forget a source file.

A cached result (a file's facts, its validation, a page's slice of the index, a page) stays valid
while its inputs and the code that made it are unchanged. The code is not listed by hand: each
kind of result names the module that computes it, and its key covers every module of this package
that module imports, directly or not (read from the source), plus the data folders the
result reads (stylesheets). Moving or adding a module cannot leave a stale result behind.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tei_edition import __version__
from tei_edition.cache.store import digest, file_digest, tree_digest
from tei_edition.resources import PACKAGE, XSLT_DIR

# kind of cached result → (the module that computes it, data folders it reads)
DEPENDS: dict[str, tuple[str, tuple[Path, ...]]] = {
    "facts": ("tei_edition.cache.facts", ()),
    "validation": ("tei_edition.validate", ()),
    "slices": ("tei_edition.writers.html.changes", ()),
    "pages": ("tei_edition.writers.html.writer", (XSLT_DIR / "html", XSLT_DIR / "common")),
    "tiles": ("tei_edition.writers.html.tiles", ()),
    "dts": ("tei_edition.interfaces.dts.static", ()),
    "rdf": ("tei_edition.interfaces.rdf", ()),
    "oai": ("tei_edition.interfaces.oai.records", (XSLT_DIR / "deposit", XSLT_DIR / "common")),
    "volumes": ("tei_edition.writers.pdf.writer", (XSLT_DIR / "print", XSLT_DIR / "common")),
}


@lru_cache(maxsize=None)
def code_key(kind: str) -> str:
    """The fingerprint of everything that decides a cached result of `kind` besides its data.
    Computed once per process (it hashes some 50 modules; a record asked for it per document):
    the code a process runs does not change while it runs, and each build is a new process."""
    module, folders = DEPENDS[kind]
    parts = [__version__]
    for name in sorted(imported_closure(module)):
        parts += [name, file_digest(module_file(name))]
    for folder in folders:
        parts += [folder.name, tree_digest(folder)]
    return digest(*parts)


def module_file(name: str) -> Path:
    """The source file of a module of this package (a package's __init__.py)."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


@lru_cache(maxsize=None)
def imported_closure(module: str) -> frozenset[str]:
    """`module` and every module of this package it imports, directly or through others."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen or not module_file(name).is_file():
            continue
        seen.add(name)
        todo += package_imports(name)
    return frozenset(seen)


# an import statement anywhere in a module (in a function too): `from tei_edition.x import a, b`
# (also in parentheses over several lines) or `import tei_edition.x, y`. A regular expression,
# not `ast`: every build computes these keys, and parsing ~100 modules cost a second of each
# rebuild. It may also match an import quoted in a docstring, which only makes a key wider.
IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(tei_edition[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)"
                    r"|import[ \t]+([^\n#]*))", re.M)


def package_imports(name: str) -> list[str]:
    """The modules of this package that module `name` imports (anywhere in its source)."""
    found = []
    for match in IMPORT.finditer(module_file(name).read_text(encoding="utf-8")):
        module, names, plain = match.groups()
        if module:  # the names imported may be modules too: `from pkg import module`
            found.append(module)
            found += [f"{module}.{n.split()[0]}" for n in names.strip("()").split(",") if n.strip()]
        else:
            found += [n.split()[0] for n in plain.split(",") if n.strip()]
    parents = {".".join(n.split(".")[:i]) for n in found for i in range(1, n.count(".") + 1)}
    return [n for n in {*found, *parents} if n.startswith("tei_edition") and module_file(n).is_file()]
