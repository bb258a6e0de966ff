"""Validation: well-formedness → schemas → project rules → references and dates.

Each check only yields Diagnostics; `validate()` runs them all over the whole corpus so that
one bad file never hides the problems of the others.

The checks of one document alone (schemas, dates) are a pure function of the file and the
schemas: they run in the executor's workers (`jobs` > 1: each worker compiles the schemas
once) and, in a build, are cached in <output>/.cache/validate.json by file hash + schema
hashes, so a rebuild re-checks only the files that changed. The corpus-wide checks
(references, duplicate ids, headers) run in the main process on the index.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import Store, digest, file_digest, load_file_digests, save_file_digests
from tei_edition.config import Config
from tei_edition.runtime.executor import open_executor
from tei_edition.runtime.progress import progress
from tei_edition.model.corpus import Corpus, Document, load_document
from tei_edition.diagnostics import Diagnostic, display_path, sort_key
from tei_edition.cache.facts import FactCache
from tei_edition.model.index import Index
from tei_edition.validate.dates import check_dates, check_meeting_dates
from tei_edition.validate.header import check_headers
from tei_edition.validate.references import check_duplicate_ids, check_prefix_defs, check_references, check_unused_entries
from tei_edition.validate.schemas import SchemaLoadError, load_check
from tei_edition.validate.characters import check_characters
from tei_edition.validate.witnesses import check_witnesses
from tei_edition.validate.urls import check_urls, only_clear_messages
from tei_edition.validate.xmlmodel import check_xml_model

__all__ = ["Validation", "validate", "SchemaLoadError"]


@dataclass
class Validation:
    corpus: Corpus
    index: Index
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


# Checking many documents in worker processes pays off from about this many.
PARALLEL_FROM = 100


def validate(config: Config, extra: list[Path] | None = None, jobs: int = 1,
             cache: Path | None = None) -> Validation:
    """Load, index and check the edition (plus `extra` files, checked as documents).

    `jobs` > 1 checks documents in worker processes; `cache` (a build's output folder) reuses
    the per-document results of files that did not change since the last build there.
    Raises SchemaLoadError when a configured schema cannot be used (a usage error).
    """
    return check(index_edition(config, extra, cache), jobs, cache)


def index_edition(config: Config, extra: list[Path] | None = None, cache: Path | None = None) -> Validation:
    """Load and index the edition; the diagnostics are those of loading (parse errors, ...)."""
    for path in config.schemas:
        load_check(path)  # compiled once per process; a broken schema stops here, before any work
    if cache is not None:
        load_file_digests(cache)
    facts = FactCache(cache) if cache is not None else None
    corpus, diagnostics = Corpus.load(config, known=facts.has if facts is not None else None)
    diagnostics += config.notes  # e.g. a sources pattern that matches nothing yet
    known = {d.path for d in corpus.documents}
    for path in extra or []:
        path = path.resolve()
        if path not in known and path not in set(config.all_files()):
            doc, found = load_document(path, "source")
            diagnostics += found
            if doc is not None:
                corpus.documents.append(doc)
    index = Index(corpus, facts)
    if facts is not None:
        facts.save(index, diagnostics)
    return Validation(corpus, index, diagnostics)


def check(indexed: Validation, jobs: int = 1, cache: Path | None = None) -> Validation:
    """Every check over the loaded and indexed edition, the diagnostics of loading included."""
    corpus, index, diagnostics = indexed.corpus, indexed.index, list(indexed.diagnostics)
    config = corpus.config
    diagnostics += _check_documents(corpus.documents, config.schemas, jobs, cache)
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


def _check_documents(documents: list[Document], schemas: tuple[Path, ...], jobs: int,
                     cache: Path | None) -> list[Diagnostic]:
    store = Store(cache, "validate") if cache is not None else None
    previous = store.data if store is not None else {}
    basis = digest(code_key("validation"),
                   *(f"{p}\0{file_digest(p)}" for p in schemas))
    keys = {str(d.path): digest(basis, d.display, d.role, file_digest(d.path)) for d in documents}
    found: dict[str, list[Diagnostic]] = {}
    todo = []
    for doc in documents:
        cached = previous.get(str(doc.path))
        if cached and cached.get("key") == keys[str(doc.path)]:
            found[str(doc.path)] = [Diagnostic(**d) for d in cached["diagnostics"]]
        else:
            todo.append(doc)
    if len(todo) < PARALLEL_FROM:
        jobs = 1
    tasks = [(str(d.path), d.role, d.display, tuple(str(s) for s in schemas)) for d in todo]
    with open_executor(jobs) as run, progress("validating", len(tasks)) as bar:
        # in this process the trees are already parsed: no need to read the files again
        results = run.map(check_file, tasks) if run.workers > 1 else (check_document(d, schemas) for d in todo)
        for doc, result in zip(todo, results):
            found[str(doc.path)] = result
            bar.advance()
    if store is not None:
        store.save({path: {"key": keys[path], "diagnostics": [d.__dict__ for d in ds]} for path, ds in found.items()})
    return [d for ds in found.values() for d in ds]


def check_file(task: tuple[str, str, str, tuple[str, ...]]) -> list[Diagnostic]:
    """A worker's job: parse one file and run the per-document checks on it."""
    path, role, display, schemas = task
    doc, _problems = load_document(Path(path), role)  # parse problems were reported by the main process
    if doc is None:
        return []
    doc.display = display  # as the main process shows it (workers may run elsewhere)
    return check_document(doc, tuple(Path(s) for s in schemas))


def check_document(doc: Document, schemas) -> list[Diagnostic]:
    """Every check that needs only this one document (a pure function: parallel-safe)."""
    found = list(check_dates(doc))
    found.extend(check_urls(doc))
    found.extend(check_characters(doc))
    found.extend(check_witnesses(doc))
    for schema in schemas:
        found.extend(load_check(Path(schema))(doc))
    return found
