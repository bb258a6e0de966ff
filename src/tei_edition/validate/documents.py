"""The per-document pass: each source file parsed once, for its index facts and its own checks.

A source document is read where its work runs (a worker process when `jobs` > 1): parsed,
its facts taken for the index (model/file_facts.DocFacts) and the checks that need only this
document run (dates, URLs, characters, witnesses, every configured schema). The main process
gets back the problems of loading, the facts and the diagnostics, and never parses the file
itself. The edition header and the registers stay parsed in the main process (the index and
every page need them); their checks run in the same pass.

What a rebuild already knows is not asked again: a file whose facts are in the fact cache
(.cache/index.json) is not indexed, a file whose diagnostics are in the validation cache
(.cache/validate.json, keyed by the file's hash, role, displayed path, the schemas and the
pipeline's code) is not checked, and a file that needs neither is not read at all.
"""

from __future__ import annotations

import marshal
from contextlib import nullcontext
from dataclasses import dataclass, fields
from pathlib import Path

from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Document, load_document
from tei_edition.model.file_facts import DocFacts
from tei_edition.runtime.executor import open_executor
from tei_edition.runtime.gc_pause import gc_paused
from tei_edition.runtime.progress import progress
from tei_edition.validate.characters import check_characters
from tei_edition.validate.dates import check_dates
from tei_edition.validate.schemas import load_check
from tei_edition.validate.urls import check_urls
from tei_edition.validate.witnesses import check_witnesses

# Reading and checking many documents in worker processes pays off from about this many.
PARALLEL_FROM = 100


@dataclass
class Read:
    """What the pass found of one file (picklable: it comes back from a worker)."""

    problems: list[Diagnostic]        # of loading it (not well-formed, not TEI, XInclude ...)
    loaded: bool                      # False: the file is left out of the corpus
    facts: DocFacts | None            # None: not asked for (cached, or taken in the main process)
    diagnostics: list[Diagnostic] | None  # of its own checks; None: not asked for (cached)

    def __reduce__(self):
        # the facts are plain lists, dicts and strings: marshal packs and unpacks them several
        # times faster than pickle does a dataclass (the main process unpacks 10,000 of them);
        # the pointers stay packed in the main process (DocFacts.pack: the index reads them once)
        facts = marshal.dumps(tuple(_packed(self.facts, f.name) for f in FACT_FIELDS)) if self.facts else None
        return _unpack, (self.problems, self.loaded, facts, self.diagnostics)


FACT_FIELDS = fields(DocFacts)


def _packed(facts: DocFacts, name: str):
    value = getattr(facts, name)
    return marshal.dumps(value) if name == "pointers" and not isinstance(value, bytes) else value


def _unpack(problems, loaded, facts, diagnostics) -> Read:
    return Read(problems, loaded, DocFacts(*marshal.loads(facts)) if facts is not None else None, diagnostics)


def check_document(doc: Document, schemas: tuple[str, ...]) -> list[Diagnostic]:
    """Every check that needs only this one document (a pure function: parallel-safe)."""
    found = list(check_dates(doc))
    found.extend(check_urls(doc))
    found.extend(check_characters(doc))
    found.extend(check_witnesses(doc))
    for check in schema_checks(schemas):
        found.extend(check(doc))
    return found


def schema_checks(schemas: tuple[str, ...]) -> tuple:
    """The compiled checks of the schemas (load_check compiles each once per process, until
    `edition serve` sees a schema edited and forgets them: no second cache here)."""
    return tuple(load_check(Path(schema)) for schema in schemas)


def read_file(task: tuple[str, str, str, tuple[str, ...], bool, bool]) -> Read:
    """A worker's job: parse one file once; its facts and its checks as asked."""
    path, role, display, schemas, facts, checks = task
    with gc_paused():  # (every object made here is kept until the result is sent, or freed at once)
        doc, problems = load_document(Path(path), role, display)
        if doc is None:
            return Read(problems, False, None, None)
        found = Read(problems, True, DocFacts.of(doc) if facts else None,
                     check_document(doc, schemas) if checks else None)
        doc._tree = None  # (its tree is not kept: the next document's takes its place)
    return found


def _read_here(doc: Document, task) -> Read:
    """read_file in this process: `doc` keeps its tree, as the process keeps any parsed
    source (the most recent few), so that a writer that asks for it next need not parse it."""
    path, role, display, schemas, facts, checks = task
    loaded, problems = load_document(doc.path, role, display)
    if loaded is None:
        return Read(problems, False, None, None)
    doc._tree, loaded._tree = loaded._tree, None
    return Read(problems, True, DocFacts.of(doc) if facts else None,
                check_document(doc, schemas) if checks else None)


class CheckCache:
    """The validation cache of a build (.cache/validate.json), or nothing without one."""

    def __init__(self, cache: Path | None, schemas: tuple[Path, ...]):
        from tei_edition.cache.keys import code_key  # (the main process's: a worker needs none of it)
        from tei_edition.cache.store import Store, digest, file_digest

        self.store = Store(cache, "validate") if cache is not None else None
        self.previous = self.store.data if self.store is not None else {}
        self.basis = digest(code_key("validation"), *(f"{p}\0{file_digest(p)}" for p in schemas)) \
            if self.store is not None else ""
        self.keys: dict[str, str] = {}

    def get(self, doc: Document) -> list[Diagnostic] | None:
        if self.store is None:
            return None
        from tei_edition.cache.store import digest, file_digest

        key = self.keys[str(doc.path)] = digest(self.basis, doc.display, doc.role, file_digest(doc.path))
        cached = self.previous.get(str(doc.path))
        if cached and cached.get("key") == key:
            return [Diagnostic(**d) for d in cached["diagnostics"]]
        return None

    def save(self, found: dict[str, list[Diagnostic]]) -> None:
        if self.store is not None:
            self.store.save({path: {"key": self.keys[path], "diagnostics": [d.__dict__ for d in ds]}
                             for path, ds in found.items() if path in self.keys})


def warm(schemas: tuple[str, ...]) -> None:
    """A worker's first job, while the main process still loads the edition: the schemas compiled."""
    for schema in schemas:
        load_check(Path(schema))


def read_documents(documents: list[Document], schemas: tuple[Path, ...], jobs: int,
                   facts_known, checks: CheckCache | None, pool=None,
                   meanwhile=None) -> tuple[dict[str, Read], dict[str, list[Diagnostic]]]:
    """The pass over `documents`: a source not yet parsed (`_tree` None) is read here, once;
    a parsed one (header, registers, extra files) is only checked. `facts_known(doc)`: its facts
    are cached. `pool`: workers already started (runtime/executor), used when there is enough
    to do; `meanwhile()` runs in this process once the workers have their first tasks (or before
    the pass, without workers). Returns what was read of each source, and each document's own diagnostics
    (cached or found; none when `checks` is None)."""
    found: dict[str, list[Diagnostic]] = {}
    tasks, todo = [], []
    schema_names = tuple(str(s) for s in schemas)
    for doc in documents:
        cached = checks.get(doc) if checks is not None else None
        if cached is not None:
            found[str(doc.path)] = cached
        want_checks = checks is not None and cached is None
        unread = doc._tree is None and doc.role == "source"
        want_facts = unread and not facts_known(doc)
        if want_checks or want_facts:
            todo.append((doc, unread))
            tasks.append((str(doc.path), doc.role, doc.display, schema_names, want_facts, want_checks))
    read: dict[str, Read] = {}
    if len(tasks) < PARALLEL_FROM:
        jobs = 1
    # (the results are kept: the collector's passes over them would find nothing)
    with gc_paused(), (nullcontext(pool) if pool is not None and jobs > 1 else open_executor(jobs)) as run, \
            progress("validating", len(tasks)) as bar:
        if run.workers > 1:
            results = run.map(read_file, tasks)
        else:  # in this process a parsed document is not read again
            results = (_read_here(doc, task) if unread else Read([], True, None, check_document(doc, schema_names))
                       for (doc, unread), task in zip(todo, tasks))
        if meanwhile is not None:
            meanwhile()  # (the workers have their first tasks; in this process nothing is read yet)
        for (doc, unread), result in zip(todo, results):
            if unread:
                read[str(doc.path)] = result
            if result.diagnostics is not None:
                found[str(doc.path)] = result.diagnostics
            bar.advance()
    return read, found
