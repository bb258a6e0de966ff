"""Header completeness: what publication and deposit need to know about each file, found once.

`header_facts()` lists what a file's teiHeader lacks, each gap with a reason, a hint naming the
element to add, and the nearest element that exists (where to add it). The gaps are kept in the
index's facts (an unchanged file is not parsed again) and read by two checks:

- validation (`check_headers`): what every published file needs (title, publisher, licence,
  source description, language), as `header-<field>` errors at the teiHeader. A document or
  register may leave out what the edition header already gives (publisher, licence, language).
- the deposit pre-flight (writers/deposit/preflight.py, `deposit_gaps`): what a repository needs
  from the edition header, which is more (a creator, a date, an identifier and a version that name
  the package, a language code), and each document's title, as `deposit-<field>` errors.

The header-<field> rules are this project's policy, not TEI's: warnings by default
(tei_edition.rules); an edition makes them errors in its [validation] table (the bundled edition
does).
"""

from __future__ import annotations

from typing import Iterator

from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Document, Spot
from tei_edition.model.header import DEPOSIT, INHERITABLE, PUBLICATION
from tei_edition.rules import default_severity

__all__ = ["DEPOSIT", "check_headers", "deposit_gaps", "publication_gap"]


def publication_gap(doc: Document, facts, gap: str) -> Diagnostic:
    """The validation error for a gap of `doc` (one of PUBLICATION)."""
    reason, hint = facts.header_missing[gap][:2]
    line, col = facts.header_at
    rule = f"header-{gap}"
    return Diagnostic(doc.display, line, col, default_severity(rule) or "warning", reason, rule, hint)


def check_headers(index) -> Iterator[Diagnostic]:
    """Reported from the index's facts of each document (see header_facts)."""
    header = index.corpus.header
    for doc in index.corpus.documents:
        facts = index.facts[str(doc.path)]
        for gap in facts.header_missing:
            if gap not in PUBLICATION:
                continue  # a deposit's need, reported by its pre-flight
            if header is not None and doc is not header and gap in INHERITABLE:
                continue  # stated (or reported missing) once, in the edition header
            yield publication_gap(doc, facts, gap)


def deposit_gaps(index, doc: Document, gaps) -> tuple[list[Diagnostic], set[Diagnostic]]:
    """The deposit's errors for `gaps` of `doc` (keys of DEPOSIT), at the nearest element, and the
    validation errors they say more precisely (not to be shown twice)."""
    facts = index.facts[str(doc.path)]
    found, covered = [], set()
    for gap in gaps:
        if gap not in facts.header_missing:
            continue
        field, needed, same = DEPOSIT[gap]
        reason, hint, line, name, ordinal = facts.header_missing[gap]
        line, col = doc.locate_spot(Spot(line, name, ordinal))
        found.append(Diagnostic(doc.display, line, col, "error", f"a deposit needs {needed}; {reason}",
                                f"deposit-{field}", hint))
        if same is not None and same in facts.header_missing:
            covered.add(publication_gap(doc, facts, same))
    return found, covered
