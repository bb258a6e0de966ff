"""Validation: well-formedness → schemas → project rules → references and dates.

Each check only yields Diagnostics; `validate()` runs them all over the whole corpus so that
one bad file never hides the problems of the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..corpus import Corpus, Document, load_document
from ..diagnostics import Diagnostic, sort_key
from ..index import Index
from .dates import check_dates, check_meeting_dates
from .header import check_headers
from .references import check_duplicate_ids, check_prefix_defs, check_references, check_unused_entries
from .schemas import SchemaLoadError, load_check
from .xmlmodel import check_xml_model

__all__ = ["Validation", "validate", "SchemaLoadError"]


@dataclass
class Validation:
    corpus: Corpus
    index: Index
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def validate(config: Config, extra: list[Path] | None = None) -> Validation:
    """Load, index and check the edition (plus `extra` files, checked as documents).

    Raises SchemaLoadError when a configured schema cannot be used (a usage error).
    """
    checks = [load_check(path) for path in config.schemas]  # compiled once per process
    corpus, diagnostics = Corpus.load(config)
    known = {d.path for d in corpus.documents}
    for path in extra or []:
        path = path.resolve()
        if path not in known and path not in set(config.all_files()):
            doc, found = load_document(path, "source")
            diagnostics += found
            if doc is not None:
                corpus.documents.append(doc)
    index = Index(corpus)
    for doc in corpus.documents:
        diagnostics += check_document(doc, checks)
    diagnostics += check_headers(corpus)
    diagnostics += check_references(index)
    diagnostics += check_duplicate_ids(index)
    diagnostics += check_unused_entries(index)
    diagnostics += check_prefix_defs(index)
    diagnostics += check_meeting_dates(index)
    diagnostics += check_xml_model(corpus)
    return Validation(corpus, index, sorted(set(diagnostics), key=sort_key))


def check_document(doc: Document, checks) -> list[Diagnostic]:
    """Every check that needs only this one document (a pure function: parallel-safe)."""
    found = list(check_dates(doc))
    for check in checks:
        found.extend(check(doc))
    return found
