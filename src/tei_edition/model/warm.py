"""The loaded corpus and its index kept between the rebuilds of one process (`edition serve`).

A build loads every file's facts and builds the cross-reference index from them (1–2 s at
2,000 documents, most of an edit's rebuild). A long-running preview keeps both in memory and,
when only the text of source documents changed, brings them up to date in place: the changed
files are parsed again and only their part of the index is replaced.

That is only safe when nothing else can depend on what changed, so the update is refused (and
the build loads everything, as a CLI build does) unless: the config file and the list of files
are the same; every changed file is a source document that loads without problems; and its
set of xml:ids is unchanged (pointers in other files resolve to them: a new or removed id
changes other documents' links). Editing text, names, dates, notes or pointers of a document
passes; adding an xml:id, a file or a register change loads everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tei_edition.cache.store import digest, file_digest
from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.corpus import Corpus, Document, Spot, _remember
from tei_edition.model.file_facts import DocFacts
from tei_edition.model.index import Index
from tei_edition.model.xmlparse import parse_file


@dataclass
class WarmState:
    """What the last build of this process loaded; `corpus` None: nothing kept yet."""

    corpus: Corpus | None = None
    index: Index | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # those of loading
    _config: str = ""
    _files: dict[str, str] = field(default_factory=dict)  # path → digest when loaded

    def remember(self, config: Config, corpus: Corpus, index: Index, diagnostics: list[Diagnostic]) -> None:
        self.corpus, self.index, self.diagnostics = corpus, index, list(diagnostics)
        self._config = _config_key(config)
        self._files = {str(d.path): file_digest(d.path) for d in corpus.documents}

    def forget(self) -> None:
        self.corpus = self.index = None
        self._files = {}

    def updated(self, config: Config) -> tuple[Corpus, Index, list[Diagnostic]] | None:
        """The kept corpus and index brought up to date with the files, or None when they
        cannot be (see the module's text; the caller then loads everything)."""
        corpus, index = self.corpus, self.index
        if corpus is None or index is None or _config_key(config) != self._config:
            return None
        if [str(p) for p in config.all_files()] != list(self._files):
            return None  # a file came, went or failed to load last time
        changed = [d for d in corpus.documents if file_digest(d.path) != self._files[str(d.path)]]
        if any(d.role != "source" or any(x.path == d.display for x in self.diagnostics) for d in changed):
            return None
        fresh = []
        for doc in changed:
            tree, problems = parse_file(doc.path, doc.display)
            if tree is None or problems:
                return None  # reported by a full load
            fresh.append((doc, tree))
        try:
            for doc, tree in fresh:
                if not _replace(index, doc, tree):
                    self.forget()
                    return None
                self._files[str(doc.path)] = file_digest(doc.path)
        except Exception:
            self.forget()  # half updated: never use it again
            raise
        return corpus, index, list(self.diagnostics)


def _config_key(config: Config) -> str:
    return digest(config.path.read_bytes() if config.path.is_file() else b"", repr(config.all_files()))


def _replace(index: Index, doc: Document, tree) -> bool:
    """Give `doc` its new tree and its part of `index` its new facts; False (nothing changed)
    when its xml:ids differ from what the index holds."""
    path = str(doc.path)
    old_facts = index.facts[path]
    staged = Document(doc.path, doc.role, tree, doc.display)
    facts = DocFacts.of(staged)
    if [value for value, *_ in facts.ids] != [value for value, *_ in old_facts.ids] or staged.id != doc.id:
        return False
    # the same Document object, seen by every Target and Mention that names it, now its new text
    doc._tree, doc._lines, doc._ids = tree, None, None
    for name in ("id", "title", "prefixes"):
        doc.__dict__.pop(name, None)
    _remember(doc)
    facts.prime(doc)
    index.facts[path] = facts
    _respot(index.ids, doc, [(v, Spot(line, name, n)) for v, line, name, n in facts.ids])
    first = facts.ids[0] if facts.ids else None
    if first is not None and first[2] == "TEI":
        _respot(index.scope, doc, [(first[0], Spot(first[1], first[2], first[3]))])
    _repoint(index, doc, facts)
    return True


def _respot(table: dict[str, list[tuple[Document, Spot]]], doc: Document, spots: list[tuple[str, Spot]]) -> None:
    """The holders `doc` has in `table` (id → [(document, spot)]) at their new spots, in place."""
    new: dict[str, list[Spot]] = {}
    for value, spot in spots:
        new.setdefault(value, []).append(spot)
    for value, spots_of in new.items():
        holders = table.get(value, [])
        mine = [i for i, (d, _) in enumerate(holders) if d is doc]
        for i, spot in zip(mine, spots_of):
            holders[i] = (doc, spot)


def _repoint(index: Index, doc: Document, facts: DocFacts) -> None:
    """Replace the pointers and mentions of `doc`, keeping every list in document order."""
    path = str(doc.path)
    for key in [k for k in index._resolved if k[0] == path]:
        del index._resolved[key]
    index._own_shapes.pop(path, None)
    affected = {m.entity for ms in index.mentions.values() for m in ms if m.doc is doc}
    order = {id(d): n for n, d in enumerate(index.corpus.documents)}
    mine = order[id(doc)]
    # the document's pointers go where its old ones were: after those of the documents before it
    at = next((i for i, p in enumerate(index.pointers) if order[id(p.doc)] >= mine), len(index.pointers))
    index.pointers = [p for p in index.pointers if p.doc is not doc]
    for entity in affected:
        index.mentions[entity] = [m for m in index.mentions[entity] if m.doc is not doc]
    before = {e: len(ms) for e, ms in index.mentions.items()}
    rest, index.pointers = index.pointers[at:], index.pointers[:at]
    index._collect_pointers(doc, facts)  # appends to index.pointers
    grouped = index.__dict__.get("_pbd")
    if grouped is not None:  # the pointers by document (Index._pointers_by_doc): only this one's change
        grouped.pop(path, None)
        if len(index.pointers) > at:
            grouped[path] = index.pointers[at:]
    index.pointers.extend(rest)
    for entity, mentions in list(index.mentions.items()):
        if entity in affected or len(mentions) != before.get(entity, 0):
            mentions.sort(key=lambda m: order[id(m.doc)])
        if not mentions:
            del index.mentions[entity]  # as a fresh index, which has no empty lists
