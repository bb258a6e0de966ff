"""Validation: well-formedness → schemas → project rules → references and dates.

Each check only yields Diagnostics; `validate()` runs them all over the whole corpus so that
one bad file never hides the problems of the others.

The checks of one document alone (schemas, dates, URLs ...) are a pure function of the file and
the schemas: they run in the same pass that parses the file and takes its index facts, in the
executor's workers when `jobs` > 1 (each worker compiles the schemas once), so that a file is
parsed once (validate/documents.py). In a build they are cached in
<output>/.cache/validate.json by file hash + schema hashes, so a rebuild re-checks only the files
that changed. The corpus-wide checks (references, duplicate ids, headers) run in the main
process on the index.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from tei_edition.diagnostics import Diagnostic, display_path, sort_key
from tei_edition.model.corpus import Corpus, Document, load_document
from tei_edition.model.file_facts import DocFacts
from tei_edition.validate.dates import check_meeting_dates
from tei_edition.runtime.executor import open_executor
from tei_edition.runtime.gc_pause import gc_paused
from tei_edition.validate.documents import PARALLEL_FROM, CheckCache, Read, read_documents, warm
from tei_edition.validate.schemas import SchemaLoadError, load_check
from tei_edition.validate.urls import only_clear_messages

if TYPE_CHECKING:
    from tei_edition.config import Config
    from tei_edition.model.index import Index

# A worker process imports this package for validate/documents.py's read_file: what only the
# main process uses (the index, the fact cache, the corpus-wide checks) is imported where it is
# used, so that each worker starts sooner (about 50 ms less to import).

__all__ = ["Validation", "validate", "SchemaLoadError"]


@dataclass
class Validation:
    corpus: Corpus
    index: Index
    diagnostics: list[Diagnostic]
    # each document's own diagnostics, when the pass that indexed it also checked it
    checked: dict[str, list[Diagnostic]] | None = None
    checks: CheckCache | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def validate(config: Config, extra: list[Path] | None = None, jobs: int = 1,
             cache: Path | None = None) -> Validation:
    """Load, index and check the edition (plus `extra` files, checked as documents).

    `jobs` > 1 reads and checks documents in worker processes; `cache` (a build's output folder)
    reuses the facts and per-document results of files that did not change since the last
    build there. Raises SchemaLoadError when a configured schema cannot be used (a usage error).
    """
    # (the index, the facts and the diagnostics are all kept: the collector's passes over them,
    # three or so once the index is built, would find nothing; 0.2-0.5 s at 2,000 documents)
    with gc_paused(kept=True):
        return check(index_edition(config, extra, cache, jobs=jobs, checks=True), jobs, cache)


def index_edition(config: Config, extra: list[Path] | None = None, cache: Path | None = None,
                  jobs: int = 1, checks: bool = False) -> Validation:
    """Load and index the edition; the diagnostics are those of loading (parse errors, ...).

    Each source file is parsed once, in the pass that takes its facts (in `jobs` worker
    processes); with `checks`, the same pass runs its own checks, which `check()` then reports.
    """
    # A validation of many documents starts its workers first: they start Python, import and
    # compile the schemas while this process loads the edition (a build with a cache may have
    # nothing to read: it starts them only when it needs them)
    with (open_executor(jobs) if jobs > 1 and cache is None and len(config.sources) >= PARALLEL_FROM
          else nullcontext(None)) as pool:
        if pool is not None:
            pool.warm(warm, tuple(str(s) for s in config.schemas))
        return _index_edition(config, extra, cache, jobs, checks, pool)


def _index_edition(config: Config, extra: list[Path] | None, cache: Path | None, jobs: int, checks: bool,
                   pool) -> Validation:
    from tei_edition.cache.facts import FactCache
    from tei_edition.cache.store import load_file_digests
    from tei_edition.model.index import Index
    from tei_edition.runtime.memory import release

    for path in config.schemas:
        load_check(path)  # compiled once per process; a broken schema stops here, before any work
    if cache is not None:
        load_file_digests(cache)
    facts = FactCache(cache) if cache is not None else None
    # the sources are read by the pass below, not here: once each
    corpus, diagnostics = Corpus.load(config, known=lambda path, role: role == "source")
    diagnostics += config.notes  # e.g. a sources pattern that matches nothing yet
    known = {d.path for d in corpus.documents}
    for path in extra or []:
        path = path.resolve()
        if path not in known and path not in set(config.all_files()):
            doc, found = load_document(path, "source")
            diagnostics += found
            if doc is not None:
                corpus.documents.append(doc)
    checked = CheckCache(cache, config.schemas) if checks else None
    # the facts of the files this process parsed (registers, header), taken while the workers
    # read the sources rather than after them, when no core is left waiting
    parsed: dict[str, Read] = {}

    def meanwhile():
        for doc in corpus.documents:
            if doc._tree is not None and doc.role != "source" and (facts is None or not facts.has(doc.path, doc.role)):
                parsed[str(doc.path)] = Read([], True, DocFacts.of(doc), None)

    read, own = read_documents(corpus.documents, config.schemas, jobs,
                               (lambda doc: facts.has(doc.path, doc.role)) if facts is not None else (lambda doc: False),
                               checked, pool, meanwhile)
    if pool is not None:
        pool.close(wait=False)  # (idle from here on: its workers exit while the index is built)
    for doc in corpus.documents:
        if str(doc.path) in read:
            diagnostics += read[str(doc.path)].problems
    corpus.documents = [d for d in corpus.documents if read.get(str(d.path), _LOADED).loaded]
    index = Index(corpus, _Facts({**parsed, **read}, facts))
    if facts is not None:
        facts.save(index, diagnostics)
    for found in index.facts.values():  # the index holds the pointers now
        found.pack()
    release()  # the facts as they came from the workers (runtime/memory.py)
    return Validation(corpus, index, diagnostics, own if checks else None, checked)


_LOADED = Read([], True, None, None)


class _Facts:
    """The facts the pass took, else those of the fact cache (else the index takes them)."""

    def __init__(self, read: dict[str, Read], cache: FactCache | None):
        self.read, self.cache = read, cache

    def get(self, doc: Document) -> DocFacts | None:
        found = self.read.get(str(doc.path))
        if found is not None and found.facts is not None:
            return found.facts
        return self.cache.get(doc) if self.cache is not None else None


def check(indexed: Validation, jobs: int = 1, cache: Path | None = None) -> Validation:
    """Every check over the loaded and indexed edition, the diagnostics of loading included."""
    from tei_edition.cache.store import save_file_digests
    from tei_edition.validate.header import check_headers
    from tei_edition.validate.references import (check_duplicate_ids, check_prefix_defs, check_references,
                                                 check_unused_entries)
    from tei_edition.validate.xmlmodel import check_xml_model

    corpus, index, diagnostics = indexed.corpus, indexed.index, list(indexed.diagnostics)
    config = corpus.config
    own, checks = indexed.checked, indexed.checks
    if own is None:  # indexed without its checks: read the documents again for them
        checks = CheckCache(cache, config.schemas)
        own = read_documents(corpus.documents, config.schemas, jobs, lambda doc: True, checks)[1]
    checks.save(own)
    diagnostics += [d for doc in corpus.documents for d in own.get(str(doc.path), ())]
    diagnostics += check_headers(index)
    diagnostics += check_references(index, config.levels)
    diagnostics += check_duplicate_ids(index)
    diagnostics += check_unused_entries(index)
    diagnostics += check_prefix_defs(index)
    diagnostics += check_meeting_dates(index)
    diagnostics += check_xml_model(corpus, index)
    if cache is not None:
        save_file_digests(cache)
    diagnostics = only_clear_messages(diagnostics)  # an unsafe URL is reported once, as one
    diagnostics = config.levels.apply(diagnostics, _files_by_display(config, corpus) if config.levels.paths else {})
    return Validation(corpus, index, sorted(set(diagnostics), key=sort_key))


def _files_by_display(config: Config, corpus: Corpus) -> dict[str, Path]:
    """Displayed path → file, for the per-path levels (also files that did not load)."""
    found = {display_path(p): p for p in config.all_files()}
    found.update({d.display: d.path for d in corpus.documents})
    return found
