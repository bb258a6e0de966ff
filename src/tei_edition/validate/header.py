"""Header completeness: what publication and deposit need to know about each file.

The edition header (when the config names one) states what holds for the whole edition; a
document or register may leave out what the edition header already gives (publisher, licence,
language), but every file needs its own title and source description.
"""

from __future__ import annotations

from typing import Iterator

from tei_edition.diagnostics import Diagnostic

INHERITABLE = {"publisher", "licence", "language"}


def check_headers(index) -> Iterator[Diagnostic]:
    """Reported from the index's facts of each document (see model/facts.py: header_facts)."""
    header = index.corpus.header
    for doc in index.corpus.documents:
        facts = index.facts[str(doc.path)]
        line, col = facts.header_at
        for field, (message, hint) in facts.header_missing.items():
            if header is not None and doc is not header and field in INHERITABLE:
                continue  # stated (or reported missing) once, in the edition header
            yield Diagnostic(doc.display, line, col, "error", message, f"header-{field}", hint)
