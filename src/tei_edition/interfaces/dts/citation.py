"""A document's citation tree: the TEI `refsDecl/citeStructure` it declares, or the default one.

TEI P5 `citeStructure`: `@match` is an XPath selecting the units of one level (absolute at the
top, relative to the parent unit below), `@use` an XPath giving each unit's reference, `@delim`
what joins it to the parent's reference, `@unit` the kind of unit (DTS `citeType`). XPaths are
evaluated as TEI says, XPath 3.1 with unprefixed names in the TEI namespace (elementpath, on the
lxml tree, so the units are the document's own elements). `position()` in `@use` is the unit's
position among those `@match` selects, as in the TEI Guidelines' examples.

A document without a `citeStructure` gets DEFAULT_TREES: letters (a `correspDesc` in the
header) are cited letter → paragraph, every other document division → paragraph; a body
without divisions has paragraphs at the top level. docs/dts.md states the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from lxml import etree

from tei_edition.names import TEI_NS

T = f"{{{TEI_NS}}}"
NAMESPACES = {"": TEI_NS}
# Paragraph-level blocks: a unit is one of these that is not inside another one (or a note).
BLOCKS = ("p", "ab", "lg", "list", "table", "quote", "opener", "closer", "postscript", "address")


def _default(division: str, tei: str = "") -> str:
    """The default citation tree as a refsDecl. `tei`: the prefix of TEI names in its XPaths
    ("" as TEI writes them; "tei:" for lxml's XPath 1.0, which has no default namespace)."""
    block_test = " or ".join(f"self::{tei}{b}" for b in BLOCKS + ("note",))
    top_block = "[" + " or ".join(f"self::{tei}{b}" for b in BLOCKS) + "]"
    # one counter across the top level (divisions and paragraphs), so their references never clash
    top_use = (f"string(count(preceding-sibling::*[self::{tei}div or "
               + " or ".join(f"self::{tei}{b}" for b in BLOCKS) + "]) + 1)")
    return f"""<refsDecl xmlns="{TEI_NS}">
  <citeStructure unit="{division}" match="/{tei}TEI/{tei}text/{tei}body/{tei}div" use="{top_use}">
    <citeStructure unit="paragraph" match=".//*{top_block}[not(ancestor::*[{block_test}][ancestor::{tei}div])]"
                   use="position()" delim="."/>
  </citeStructure>
  <citeStructure unit="paragraph" match="/{tei}TEI/{tei}text/{tei}body/*{top_block}" use="{top_use}"/>
</refsDecl>"""


DEFAULT_TREES = {"document": _default("division"), "letter": _default("letter")}
# The same trees for lxml: plain XPath 1.0 in C, some 50 times faster than XPath 3.1 in Python
# on every document of an edition without a citeStructure (tests/test_dts.py checks they agree).
_LXML_DEFAULTS = {kind: _default(unit, "tei:") for kind, unit in (("document", "division"), ("letter", "letter"))}


@dataclass(frozen=True)
class CiteStructure:
    unit: str
    match: str
    use: str
    delim: str = ""
    children: tuple["CiteStructure", ...] = ()
    line: int = 0  # of the <citeStructure> (0: the default)


@dataclass
class CitableUnit:
    identifier: str
    level: int
    parent: str | None
    cite_type: str
    element: etree._Element = field(repr=False)
    children: list["CitableUnit"] = field(default_factory=list, repr=False)

    @property
    def title(self) -> str:
        head = self.element.find(f"{T}head")
        return " ".join("".join(head.itertext()).split()) if head is not None else ""


@dataclass
class CitationTree:
    structures: tuple[CiteStructure, ...]
    units: list[CitableUnit]   # every unit in document order (pre-order, depth first)
    declared: bool             # from the document's own refsDecl (else the default)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, what): failed XPaths, duplicate refs

    @property
    def depth(self) -> int:
        return max((u.level for u in self.units), default=0)

    def find(self, identifier: str) -> CitableUnit | None:
        return self._by_id.get(identifier)

    def __post_init__(self):
        self._by_id: dict[str, CitableUnit] = {}
        for unit in self.units:
            if unit.identifier in self._by_id:
                self.problems.append((unit.element.sourceline or 0,
                                      f"the reference {unit.identifier!r} is given to two units; the first keeps it"))
            self._by_id.setdefault(unit.identifier, unit)

    def json(self) -> list[dict]:
        """The DTS `citationTrees` value."""
        def structure(s: CiteStructure) -> dict:
            out = {"@type": "CiteStructure", "citeType": s.unit}
            if s.children:
                out["citeStructure"] = [structure(c) for c in s.children]
            return out
        return [{"@type": "CitationTree", "citeStructure": [structure(s) for s in self.structures]}]


def _structures(parent: etree._Element) -> tuple[CiteStructure, ...]:
    return tuple(CiteStructure(el.get("unit") or etree.QName(el).localname, el.get("match", ""), el.get("use", ""),
                               el.get("delim", ""), _structures(el), el.sourceline or 0)
                 for el in parent.iterfind(f"{T}citeStructure"))


def declared_structures(root: etree._Element) -> tuple[CiteStructure, ...]:
    """The first `refsDecl` of the header with a `citeStructure` (the default citation tree)."""
    for decl in root.iterfind(f"{T}teiHeader/{T}encodingDesc/{T}refsDecl"):
        found = _structures(decl)
        if found:
            return found
    return ()


def default_kind(root: etree._Element) -> str:
    return "letter" if root.find(f"{T}teiHeader/{T}profileDesc/{T}correspDesc") is not None else "document"


@lru_cache(maxsize=1)
def _elementpath():
    """elementpath, imported only when a declared citeStructure needs XPath 3.1 (the import alone
    takes about a quarter of a second, which every build and rebuild would pay)."""
    import elementpath
    import elementpath.xpath31

    return elementpath


def _xpath_errors() -> tuple[type[Exception], ...]:
    return (_elementpath().ElementPathError, TypeError, ValueError)


@lru_cache(maxsize=256)
def _compiled(path: str):
    return _elementpath().xpath31.XPath31Parser(namespaces=NAMESPACES).parse(path)


class _Units:
    """A citeStructure level evaluated in one document: the document's node tree is made once
    (elementpath would make it again for each expression), each XPath compiled once."""

    def __init__(self, tree: etree._ElementTree):
        self.document = _elementpath().get_node_tree(tree, namespaces=NAMESPACES)

    def __call__(self, context: etree._ElementTree | etree._Element, s: CiteStructure) -> list[tuple[etree._Element, str]]:
        """(unit element, reference) of the units `s` selects below `context`, in @match's order."""
        item = self.document if isinstance(context, etree._ElementTree) else self.document.get_element_node(context)
        found = _compiled(f"({s.match}) ! (., string(({s.use})[1]))").get_results(
            _elementpath().XPathContext(root=self.document, item=item, namespaces=NAMESPACES))
        found = found if isinstance(found, list) else [found]
        return [(e, str(r)) for e, r in zip(found[::2], found[1::2]) if isinstance(e, etree._Element)]


def _lxml_units(context: etree._ElementTree | etree._Element, s: CiteStructure) -> list[tuple[etree._Element, str]]:
    """As _Units, for the default trees only (XPath 1.0 with the tei: prefix; @use is position()
    or a string expression)."""
    found = [e for e in _lxml_path(s.match)(context) if isinstance(e, etree._Element)]
    if s.use == "position()":
        return [(e, str(i)) for i, e in enumerate(found, 1)]
    use = _lxml_path(s.use)
    return [(e, str(use(e))) for e in found]


_PREFIXED = {"tei": TEI_NS}


@lru_cache(maxsize=16)
def _lxml_path(path: str) -> etree.XPath:
    """One of the default trees' XPaths, compiled once (not once per document and unit)."""
    return etree.XPath(path, namespaces=_PREFIXED)


def _which_fails(s: CiteStructure, exc: Exception) -> str:
    """Which of @match and @use fails, and why (the error of the one that does not compile)."""
    for name, path in (("match", s.match), ("use", s.use)):
        try:
            _compiled(path)
        except _elementpath().ElementPathError as own:
            return f"@{name}=\"{path}\" is not XPath 3.1: {own}"
    return f"@match=\"{s.match}\" / @use=\"{s.use}\" fail: {exc}"


def citation_tree(tree: etree._ElementTree) -> CitationTree:
    """The citation tree of a parsed document: its units with their references, in document order."""
    root = tree.getroot()
    structures = declared_structures(root)
    declared = bool(structures)
    if not declared:
        structures = _structures(etree.fromstring(_LXML_DEFAULTS[default_kind(root)]))
    problems: list[tuple[int, str]] = []
    units: list[CitableUnit] = []
    used: set[int] = set()  # the structures that found units
    select = _Units(tree) if declared else _lxml_units

    def walk(context, structures: tuple[CiteStructure, ...], parent: CitableUnit | None, level: int) -> list[CitableUnit]:
        found: list[CitableUnit] = []
        yielding = 0  # structures that found units here
        for s in structures:
            try:
                selected = select(context, s)
            except _xpath_errors() as exc:
                problems.append((s.line, f'<citeStructure unit="{s.unit}">: {_which_fails(s, exc)}'))
                continue
            if selected:
                used.add(id(s))
                yielding += 1
            for element, ref in selected:
                if declared and element not in order():  # a comment or PI outside the TEI element
                    problems.append((s.line, f'<citeStructure unit="{s.unit}">: @match="{s.match}" selects a '
                                             "node outside the TEI element; left out"))
                    continue
                ident = (parent.identifier + s.delim + ref) if parent is not None else ref
                unit = CitableUnit(ident, level, parent.identifier if parent else None, s.unit, element)
                unit.children = walk(element, s.children, unit, level + 1) if s.children else []
                found.append(unit)
        if declared or yielding > 1:  # sibling structures interleave in document order
            found.sort(key=lambda u: order()[u.element])
        return found

    _order: dict[etree._Element, int] = {}

    def order() -> dict[etree._Element, int]:
        """Each element's position in the document, made when first asked: a default tree's
        XPath 1.0 selects elements below the TEI element in document order, so one structure's
        units need neither the check nor the sort."""
        if not _order:
            _order.update((el, i) for i, el in enumerate(root.iter()))
        return _order

    def flatten(level_units: list[CitableUnit]) -> None:
        for unit in level_units:
            units.append(unit)
            flatten(unit.children)

    flatten(walk(tree, structures, None, 1))
    if not declared:  # the default states only the levels this document has
        structures = _pruned(structures, used)
    return CitationTree(structures, units, declared, problems)


def _pruned(structures: tuple[CiteStructure, ...], used: set[int]) -> tuple[CiteStructure, ...]:
    return tuple(replace(s, children=_pruned(s.children, used)) for s in structures if id(s) in used)
