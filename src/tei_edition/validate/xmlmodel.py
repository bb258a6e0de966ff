"""`<?xml-model?>` processing instructions: the schemas an XML editor validates against as one types.

oXygen, VS Code (Red Hat XML) and Emacs nXML read these instructions to check a file while it is
edited. So every TEI file of the edition should carry one for each schema the edition's config
names (the project schema and the project rules), and every one it carries should point to a file
that exists. Both are warnings: the pipeline itself validates with the configured schemas anyway.

Rules:
- `xml-model-missing`: no instruction points to a configured schema (the hint is the exact line
  to paste, with the path relative to the file);
- `xml-model-broken`: an instruction's href points to no file, or it has no href at all.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from tei_edition.model.corpus import Corpus, Document
from tei_edition.model.check_facts import xml_models
from tei_edition.diagnostics import Diagnostic, display_path

SCHEMATYPENS = {
    ".xsd": "http://www.w3.org/2001/XMLSchema",
    ".sch": "http://purl.oclc.org/dsdl/schematron",
    ".rng": "http://relaxng.org/ns/structure/1.0",
}


def xml_model_instruction(schema: Path, document: Path) -> str:
    """The instruction a file at `document` needs for `schema` (href relative to the file)."""
    href = Path(os.path.relpath(schema, document.parent)).as_posix()
    return (f'<?xml-model href="{href}" type="application/xml" '
            f'schematypens="{SCHEMATYPENS.get(schema.suffix, "")}"?>')


def _target(doc: Document, href: str) -> Path | None:
    """The local file an href names, or None for a URL with a scheme (not checked: no network)."""
    # (the folder as str(doc.path.parent) writes it, without making that Path for every document)
    return _resolved(os.path.dirname(str(doc.path)) or ".", href)


@functools.lru_cache(maxsize=4096)
def _resolved(folder: str, href: str) -> Path | None:
    # Every document of a folder names the same schemas: resolving each (href, folder) once,
    # not once per document, saves seconds at 10,000 documents.
    parts = urlsplit(href)
    if parts.scheme and len(parts.scheme) > 1:  # one letter is a Windows drive, not a scheme
        return None
    return (Path(folder) / unquote(parts.path)).resolve()


@functools.lru_cache(maxsize=4096)
def _is_file(path: Path) -> bool:
    return path.is_file()


def check_xml_model(corpus: Corpus, index=None) -> Iterator[Diagnostic]:
    """With the `index`, read from its facts of each document instead of parsing them again."""
    schemas = [s for s in corpus.config.schemas if s.suffix in SCHEMATYPENS]
    resolved = {schema: schema.resolve() for schema in schemas}
    _resolved.cache_clear()  # files may have appeared or gone since the last check (serve)
    _is_file.cache_clear()
    for doc in corpus.documents:
        if index is not None:
            facts = index.facts[str(doc.path)]
            models, root_line = facts.xml_models, facts.root_line
        else:
            models = [(node.sourceline or 1, attrs) for node, attrs in xml_models(doc)]
            root_line = doc.root.sourceline or 1
        pointed: set[Path] = set()
        for line, attrs in models:
            href = attrs.get("href")
            if not href:
                yield Diagnostic(doc.display, line, 1, "warning", "<?xml-model?> has no href", "xml-model-broken",
                                 'give it href="path/to/schema" relative to this file')
                continue
            target = _target(doc, href)
            if target is None:
                continue
            if not _is_file(target):
                yield Diagnostic(doc.display, line, 1, "warning",
                                 f'<?xml-model href="{href}"?> points to {display_path(target)}, which does not exist',
                                 "xml-model-broken", "correct the path (relative to this file)"
                                 + (": " + ", ".join(xml_model_instruction(s, doc.path) for s in schemas)
                                    if schemas else ""))
            pointed.add(target)
        line = (models[-1][0] if models else None) or root_line
        for schema in schemas:
            if resolved[schema] in pointed:
                continue
            kind = "project rules" if schema.suffix == ".sch" else "project schema"
            yield Diagnostic(doc.display, line, 1, "warning",
                             f"no <?xml-model?> for the {kind} {schema.name}: XML editors will not check "
                             "this file as you type", "xml-model-missing",
                             f"add before the root element: {xml_model_instruction(schema, doc.path)}")
