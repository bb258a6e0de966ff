"""Pre-flight: what a repository needs from the headers, checked before anything is written.

Repositories (Zenodo, ARCHE, TextGrid, GAMS, any DataCite client) refuse or mangle a deposit
without a title, a creator or editor with a role, a publisher, a date, an identifier, a
language and a licence URI. The edition header must give them all; each document needs its
own title and inherits the rest from the edition header. What a header lacks is found once,
by validate/header.py, and kept in the index's facts: the pre-flight reads it from there and
reports every gap at once, at the nearest element that exists, naming the element to add.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.model.index import Index
from tei_edition.model.facts import text_of
from tei_edition.names import TEI_NS
from tei_edition.validate.header import DEPOSIT, deposit_gaps

T = f"{{{TEI_NS}}}"
PUB = f"{T}teiHeader/{T}fileDesc/{T}publicationStmt"


@dataclass(frozen=True)
class EditionFacts:
    """The few header values Python needs to name and date the package."""

    identifier: str
    version: str
    date: str  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD

    @property
    def name(self) -> str:
        return f"{self.identifier}-{self.version}"


@dataclass(frozen=True)
class Preflight:
    """The facts that name the package (None when something is missing), the gaps, and the
    validation errors the gaps say more precisely (`edition deposit` shows those once)."""

    facts: EditionFacts | None
    gaps: list[Diagnostic]
    covers: set[Diagnostic] = field(default_factory=set)


def preflight(index: Index) -> Preflight:
    corpus = index.corpus
    header = corpus.header
    if header is None:
        return Preflight(None, [Diagnostic(display_path(corpus.config.path), 1, 1, "error",
                                           "a deposit needs an edition header: the config names none", "deposit-header",
                                           'set header = "tei/edition.xml" in the [edition] table (a TEI file whose '
                                           "teiHeader describes the whole edition)")])
    gaps, covers = deposit_gaps(index, header, DEPOSIT)
    for doc in corpus.documents:
        if doc is not header:
            found, covered = deposit_gaps(index, doc, ["title"])
            gaps += found
            covers |= covered
    if gaps:
        return Preflight(None, gaps, covers)
    root = header.root
    facts = EditionFacts(text_of(root.find(f"{PUB}/{T}idno")),
                         root.find(f"{T}teiHeader/{T}fileDesc/{T}editionStmt/{T}edition").get("n").strip(),
                         root.find(f"{PUB}/{T}date").get("when").strip())
    return Preflight(facts, [])


