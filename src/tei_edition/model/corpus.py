"""The corpus: every TEI file of an edition, parsed once, with what each file declares."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from lxml import etree

from tei_edition.names import TEI_NS, XML_ID
from tei_edition.diagnostics import Diagnostic, display_path
from tei_edition.model.facts import main_title
from tei_edition.model.xmlparse import parse_file, xml_lines

if TYPE_CHECKING:  # (a validation worker reads documents without the config: not imported there)
    from tei_edition.config import Config

Role = Literal["header", "register", "source"]
T = f"{{{TEI_NS}}}"


@dataclass(frozen=True)
class PrefixDef:
    """A TEI `prefixDef`: `ident:value` becomes `replacementPattern` when `value` matches."""

    ident: str
    match: re.Pattern
    replacement: str

    def expand(self, value: str) -> str | None:
        m = self.match.fullmatch(value)
        if not m:
            return None
        # TEI writes group references as $1..$9
        return re.sub(r"\$(\d)", lambda g: m.group(int(g.group(1))) or "", self.replacement)


@dataclass(frozen=True, slots=True)
class Spot:
    """Where an element is, without holding it: the line its start tag ends on (lxml's
    sourceline), its local name, and its position among same-named elements on that line.
    Enough to find its line and column in the file's text when a diagnostic needs them."""

    line: int
    name: str
    ordinal: int = 0


# Source documents are parsed when needed and dropped after: only the most recently used
# few stay parsed, so memory does not grow with the corpus. The edition header and the
# registers stay parsed (every page and check needs them).
RECENT_SOURCES = 32
_recent: OrderedDict[int, "Document"] = OrderedDict()


def _remember(doc: "Document") -> None:
    _recent[id(doc)] = doc
    _recent.move_to_end(id(doc))
    while len(_recent) > RECENT_SOURCES:
        _, old = _recent.popitem(last=False)
        old._tree = None


def drop_parsed_sources() -> None:
    """Let go of the trees of the sources parsed last (they are parsed again if asked for);
    a document that has no file to be parsed again from keeps its tree."""
    for key, doc in list(_recent.items()):
        if doc.path.is_file():
            del _recent[key]
            doc._tree = None


@dataclass(eq=False)
class Document:
    path: Path
    role: Role
    _tree: etree._ElementTree | None
    display: str
    _lines: list[str] | None = field(default=None, repr=False)
    _ids: dict[str, etree._Element] | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.role == "source" and self._tree is not None:
            _remember(self)

    @property
    def tree(self) -> etree._ElementTree:
        """The parsed file; a source document is parsed again if it was dropped."""
        if self._tree is None:
            tree, _problems = parse_file(self.path, self.display)  # reported when the corpus was loaded
            if tree is None:
                raise OSError(f"{self.display} can no longer be parsed (changed during the build?)")
            self._tree = tree
        if self.role == "source":
            _remember(self)
        return self._tree

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @cached_property
    def id(self) -> str:
        return self.root.get(XML_ID) or self.path.stem

    @property
    def ids(self) -> dict[str, etree._Element]:
        """Elements by xml:id; the first of duplicates wins (duplicates are reported by validation).
        Kept for the header and registers (they stay parsed), computed anew for a source."""
        if self._ids is not None:
            return self._ids
        found: dict[str, etree._Element] = {}
        for el in self.root.iter():
            if isinstance(el.tag, str):
                value = el.get(XML_ID)
                if value is not None:
                    found.setdefault(value, el)
        if self.role != "source":
            self._ids = found
        return found

    @cached_property
    def prefixes(self) -> dict[str, PrefixDef]:
        found = {}
        for pd in self.root.iterfind(f".//{T}teiHeader//{T}prefixDef"):
            ident, match, repl = pd.get("ident"), pd.get("matchPattern"), pd.get("replacementPattern")
            if ident and match is not None and repl is not None:
                try:
                    found[ident] = PrefixDef(ident, re.compile(match), repl)
                except re.error:
                    continue  # reported by validation (prefixdef-pattern)
        return found

    @cached_property
    def title(self) -> str:
        return main_title(self.root) or self.id

    def locate(self, el: etree._Element, attribute: str | None = None) -> tuple[int, int]:
        """Line and column of an element's start tag (or of one of its attributes)."""
        return self.locate_spot(spot_of(el), attribute)

    def locate_spot(self, spot: Spot, attribute: str | None = None) -> tuple[int, int]:
        """Line and column of the element at `spot` (or of one of its attributes).

        lxml knows the line where a start tag ends but no column, so the column is found in
        the file's text, read only when a diagnostic needs it.
        """
        line = spot.line
        if self._lines is None:
            try:  # utf-8-sig: a byte-order mark is no column
                self._lines = xml_lines(self.path.read_text(encoding="utf-8-sig", errors="replace"))
            except OSError:
                self._lines = []
        tag = re.compile(r"<([\w.-]+:)?" + re.escape(spot.name) + r"(?=[\s/>])")
        for start in range(min(line, len(self._lines)), max(line - 20, 0), -1):
            text = self._lines[start - 1]
            hits = list(tag.finditer(text))
            if not hits:
                continue
            pos = hits[min(spot.ordinal, len(hits) - 1)].start() if start == line else hits[-1].start()
            if attribute:
                attr_name = attribute.replace(f"{{{'http://www.w3.org/XML/1998/namespace'}}}", "xml:")
                for ln in range(start, min(line, len(self._lines)) + 1):
                    hay = self._lines[ln - 1]
                    found = re.search(r"(?<![\w:-])" + re.escape(attr_name) + r"\s*=", hay[pos:] if ln == start else hay)
                    if found:
                        return ln, found.start() + (pos if ln == start else 0) + 1
            return start, pos + 1
        return line, 1


def spot_of(el: etree._Element) -> Spot:
    """The Spot of an element: several elements of its name may share its line, so its
    position among them is counted."""
    line = el.sourceline or 1
    same_line = [e for e in el.getroottree().iter(el.tag) if e.sourceline == el.sourceline]
    ordinal = next((i for i, e in enumerate(same_line) if e is el), 0)
    return Spot(line, etree.QName(el).localname, ordinal)


@dataclass
class Corpus:
    config: Config
    documents: list[Document]

    @property
    def header(self) -> Document | None:
        return next((d for d in self.documents if d.role == "header"), None)

    @property
    def registers(self) -> list[Document]:
        return [d for d in self.documents if d.role == "register"]

    @property
    def sources(self) -> list[Document]:
        return [d for d in self.documents if d.role == "source"]

    def by_path(self) -> dict[Path, Document]:
        return {d.path: d for d in self.documents}

    @classmethod
    def load(cls, config: Config, known: Callable[[Path, Role], bool] | None = None) -> tuple["Corpus", list[Diagnostic]]:
        """Parse every file of the edition; a file that fails is reported and left out.

        A source file for which `known` is true (its index facts are cached: it loaded without
        problems as it is now) is not parsed here; it is parsed later only if it is needed."""
        roles: dict[Path, Role] = {}
        for p in config.sources:
            roles[p] = "source"
        for p in config.registers:
            roles[p] = "register"
        if config.header:
            roles[config.header] = "header"
        documents, problems = [], []
        for path in config.all_files():
            if roles[path] == "source" and known is not None and known(path, "source"):
                documents.append(Document(path, "source", None, display_path(path)))
                continue
            doc, found = load_document(path, roles[path])
            problems += found
            if doc is not None:
                documents.append(doc)
        return cls(config, documents), problems


def load_document(path: Path, role: Role, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    display = display_path(path) if display is None else display
    tree, problems = parse_file(path, display)
    if tree is None:
        return None, problems
    root = tree.getroot()
    if root.tag != f"{T}TEI":
        problems.append(Diagnostic(display, root.sourceline or 1, 1, "error",
                                   f"root element is <{etree.QName(root).localname}> in namespace "
                                   f"{etree.QName(root).namespace or '(none)'}; expected <TEI> in {TEI_NS}",
                                   "tei-root", f'make the root element <TEI xmlns="{TEI_NS}">'))
        return None, problems
    return Document(path, role, tree, display), problems
