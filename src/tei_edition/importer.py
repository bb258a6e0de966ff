"""`edition import`: plain-text meeting records → TEI drafts linked to the registers.

A record has a fixed shape: labelled fields ("Dates of Meeting:", "Type of Meeting:", ...) each
followed by its text; lists ("- "), numbered remarks ("1. "), Markdown links ("[text](#)"),
superscript note numbers ("⁸⁷") and, after the remarks, the citation of the record's source.

The import runs in three steps, each a plain function:

1. `read_record()`   bytes → `Record` (fields with their line numbers) or Diagnostics;
2. `Encoder`         Record + the edition's registers → a TEI tree with the structure of the
                     hand-encoded records (one `div type="field"` per field, names and dates
                     marked up and linked), plus the names it could not link;
3. `import_command()` writes the draft and a review file beside it, never overwriting a TEI
                     file without --force, and checks the draft against the project schemas.

Names are linked by their exact form, by any alternative name in the registers, and by case and
hyphenation variants of pinyin ("Liu Shao-qi", "LIU SHAOQI" → liu-shaoqi). A name the registers
lack is never added to them: the draft points to a proposed id and the review file holds the
proposed register entry, so `edition validate` reports the pointer until an editor adds it.

Output is deterministic: no clock is read. The date of the draft is SOURCE_DATE_EPOCH when set,
else the publication date of the edition header.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from . import TEI_NS, XML_ID, XML_LANG
from .config import Config, ConfigError, load_config
from .corpus import Corpus, load_document
from .diagnostics import Diagnostic, display_path, format_text
from .index import Index

T = f"{{{TEI_NS}}}"
SCHEMATYPENS = {
    ".xsd": "http://www.w3.org/2001/XMLSchema",
    ".sch": "http://purl.oclc.org/dsdl/schematron",
    ".rng": "http://relaxng.org/ns/structure/1.0",
}

# ---------------------------------------------------------------------------------------------
# 1. Reading a record
# ---------------------------------------------------------------------------------------------

# label → div/@subtype, in the order a record gives them
FIELDS = {
    "Dates of Meeting": "dates",
    "Type of Meeting": "meeting-type",
    "Place of Meeting": "place",
    "Attendance": "attendance",
    "Major Agenda Items": "agenda",
    "Speeches/Reports": "speeches",
    "Documents passed": "documents-passed",
    "Remarks": "remarks",
}
# Fields whose text the draft cannot do without (title, id, setting of the meeting).
NON_EMPTY = {"dates", "meeting-type", "place"}
# A line that is only a label: a few words and a colon.
LABEL_LINE = re.compile(r"^(?P<label>[A-Z][\w/&' -]{1,40}):\s*$")


@dataclass
class Line:
    number: int  # 1-based line in the record
    col: int  # 1-based column of the first non-blank character
    text: str  # stripped


@dataclass
class Field:
    label: str
    key: str
    line: int
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)


@dataclass
class Record:
    path: Path
    display: str
    stem: str
    fields: dict[str, Field]


def _problem(display: str, line: int, col: int, message: str, rule: str, hint: str) -> Diagnostic:
    return Diagnostic(display, line, col, "error", message, rule, hint)


def read_record(path: Path) -> tuple[Record | None, list[Diagnostic]]:
    """Split a record into its fields; every problem is reported, with its line and column."""
    display = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [_problem(display, 1, 1, f"cannot read record: {exc.strerror}", "record-io",
                               "check that the file exists and is readable")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [_problem(display, line, col,
                               f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                               "record-encoding", "save the record as UTF-8 (e.g. iconv -f cp1252 -t utf-8)")]
    if not text.strip():
        return None, [_problem(display, 1, 1, "the record is empty", "record-empty",
                               "import a record with its labelled fields (Dates of Meeting:, Type of Meeting:, ...)")]

    problems: list[Diagnostic] = []
    fields: dict[str, Field] = {}
    current: Field | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            if current is not None and current.lines and current.lines[-1].text:
                current.lines.append(Line(number, 1, ""))  # a blank line separates blocks
            continue
        col = len(raw) - len(raw.lstrip()) + 1
        label = LABEL_LINE.match(stripped)
        if label:
            name = label["label"].strip()
            if name in FIELDS:
                if FIELDS[name] in fields:
                    problems.append(_problem(display, number, col, f'field "{name}:" appears twice '
                                             f"(first on line {fields[FIELDS[name]].line})", "record-field-duplicate",
                                             "merge the two fields into one"))
                current = Field(name, FIELDS[name], number)
                fields.setdefault(current.key, current)
                continue
            known = ", ".join(f'"{k}:"' for k in FIELDS)
            problems.append(_problem(display, number, col, f'unknown field "{name}:"', "record-field-unknown",
                                     f"a record has the fields {known}; correct the label"))
            current = Field(name, "unknown", number)  # its text belongs to it, not to the field before
            continue
        if current is None:
            problems.append(_problem(display, number, col, "text outside any field", "record-field-unknown",
                                     'put a field label (e.g. "Dates of Meeting:") on its own line before it'))
            continue
        current.lines.append(Line(number, col, stripped))

    for f in fields.values():
        while f.lines and not f.lines[-1].text:
            f.lines.pop()
    last_line = text.count("\n") + 1
    keys = list(FIELDS.values())
    for label, key in FIELDS.items():
        if key in fields:
            if key in NON_EMPTY and not fields[key].lines:
                f = fields[key]
                problems.append(_problem(display, f.line, 1, f'field "{label}:" is empty', "record-field-empty",
                                         f'write the {label.lower()} on the line after "{label}:"'))
            continue
        later = [fields[k].line for k in keys[keys.index(key) + 1:] if k in fields]
        where = min(later) if later else last_line
        problems.append(_problem(display, where, 1, f'missing field "{label}:"', "record-field-missing",
                                 f'add the line "{label}:" and its text (fields come in the order '
                                 + ", ".join(FIELDS) + ")"))
    if problems:
        return None, problems
    return Record(path, display, path.stem, fields), []


# ---------------------------------------------------------------------------------------------
# 2. Dates in the record's forms → ISO 8601
# ---------------------------------------------------------------------------------------------

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH = r"(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
DASH = r"\s*[–—-]\s*"
# Each pattern names its parts; `_iso()` turns them into ISO dates (None when impossible).
DATE_FORMS = [
    # 9-9-1951 – 30-9-1951 (day-month-year, as the records write meeting dates)
    re.compile(rf"(?P<d1>\d{{1,2}})-(?P<m1>\d{{1,2}})-(?P<y1>\d{{4}})(?:\s*[–—]\s*|\s+-\s+|\s+to\s+)(?P<d2>\d{{1,2}})-(?P<m2>\d{{1,2}})-(?P<y2>\d{{4}})"),
    re.compile(r"(?P<d1>\d{1,2})-(?P<m1>\d{1,2})-(?P<y1>\d{4})"),
    # 9–30 September 1951, 9 September – 3 October 1951
    re.compile(rf"(?P<d1>\d{{1,2}})(?:\s+(?P<mn1>{MONTH}))?{DASH}(?P<d2>\d{{1,2}})\s+(?P<mn2>{MONTH})\s+(?P<y2>\d{{4}})"),
    # September 9–30, 1951, September 9 – October 3, 1951
    re.compile(rf"(?P<mn1>{MONTH})\s+(?P<d1>\d{{1,2}}){DASH}(?:(?P<mn2>{MONTH})\s+)?(?P<d2>\d{{1,2}}),\s*(?P<y2>\d{{4}})"),
    # December 15, 1951 / 15 December 1951
    re.compile(rf"(?P<mn1>{MONTH})\s+(?P<d1>\d{{1,2}}),\s*(?P<y1>\d{{4}})"),
    re.compile(rf"(?P<d1>\d{{1,2}})\s+(?P<mn1>{MONTH})\s+(?P<y1>\d{{4}})"),
    # September – December 1951, September 1951 – March 1952
    re.compile(rf"(?P<mn1>{MONTH})(?:\s+(?P<y1>\d{{4}}))?{DASH}(?P<mn2>{MONTH})\s+(?P<y2>\d{{4}})"),
    # September 1951
    re.compile(rf"(?P<mn1>{MONTH})\s+(?P<y1>\d{{4}})"),
    # 1951 – 1953, 1951
    re.compile(r"(?<![\d.,-])(?P<y1>1[6-9]\d\d|20\d\d)" + DASH + r"(?P<y2>1[6-9]\d\d|20\d\d)(?![\d%s])"),
    re.compile(r"(?<![\d.,$£€-])(?P<y1>1[6-9]\d\d|20\d\d)(?![\d%s'’-])"),
]


def _iso(year: str | None, month: str | int | None, day: str | None) -> str | None:
    if year is None:
        return None
    y = int(year)
    if month is None:
        return f"{y:04d}" if day is None else None
    m = month if isinstance(month, int) else (MONTHS.get(month.rstrip(".").lower()) if not month.isdigit() else int(month))
    if not m or not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    d = int(day)
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(match: re.Match) -> dict[str, str] | None:
    """The ISO attributes (when, or from/to) for one date the patterns found; None if impossible."""
    g = {k: v for k, v in match.groupdict().items()}
    month1 = g.get("m1") or g.get("mn1")
    month2 = g.get("m2") or g.get("mn2")
    y2 = g.get("y2")
    y1 = g.get("y1") or y2
    if "d2" in g or "y2" in g:  # a range: what the second half gives, the first inherits
        start = _iso(y1, month1 or month2, g.get("d1"))
        end = _iso(y2, month2 or month1, g.get("d2"))
        if start is None or end is None or start > end:
            return None
        return {"from": start, "to": end}
    when = _iso(y1, month1, g.get("d1"))
    return {"when": when} if when else None


def find_dates(text: str) -> list[tuple[int, int, dict[str, str] | None]]:
    """(start, end, attributes) of every date in `text`, longest forms first, without overlaps."""
    found: list[tuple[int, int, dict | None]] = []
    for pattern in DATE_FORMS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), parse_date(m)))
    return sorted(found, key=lambda x: x[0])


def prose_date(attrs: dict[str, str]) -> str:
    """ISO attributes as a title would say them: 9–30 September 1951."""
    def parts(iso: str):
        bits = iso.split("-")
        return [int(b) for b in bits]

    def say(p):
        if len(p) == 3:
            return f"{p[2]} {calendar.month_name[p[1]]} {p[0]}"
        if len(p) == 2:
            return f"{calendar.month_name[p[1]]} {p[0]}"
        return str(p[0])

    if "when" in attrs:
        return say(parts(attrs["when"]))
    a, b = parts(attrs["from"]), parts(attrs["to"])
    if len(a) == len(b) == 3 and a[0] == b[0]:
        if a[1] == b[1]:
            return f"{a[2]}–{b[2]} {calendar.month_name[a[1]]} {a[0]}"
        return f"{a[2]} {calendar.month_name[a[1]]} – {b[2]} {calendar.month_name[b[1]]} {a[0]}"
    return f"{say(a)} – {say(b)}"


# ---------------------------------------------------------------------------------------------
# 3. Names: the registers as a gazetteer
# ---------------------------------------------------------------------------------------------

WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")
NAME_ELEMENTS = {"person": "persName", "place": "placeName", "organisation": "orgName"}
VARIANT_ELEMENTS = ("persName", "placeName", "orgName", "title", "label", "name")
REGISTER_ELEMENTS = {"person": "person", "place": "place", "organisation": "org", "event": "event", "document": "bibl"}


def word_key(word: str) -> str:
    """Case and hyphenation do not distinguish pinyin names: Shao-qi = Shaoqi = SHAOQI."""
    return re.sub(r"[-‐‑]", "", unicodedata.normalize("NFKC", word)).casefold()


def name_key(name: str) -> str:
    """A name's words joined without spaces, so "Mao Ze-dong", "Mao Ze Dong" and "MAO ZEDONG" agree."""
    return "".join(word_key(w) for w in WORD.findall(name))


def title_key(title: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", title).casefold())


def slug(text: str, words: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    s = "-".join(parts) or "entry"
    return s if s[0].isalpha() else "x-" + s


@dataclass
class Gazetteer:
    """Every name form in the registers → the entity ids that carry it."""

    names: dict[str, set[str]] = field(default_factory=dict)  # name_key → ids (persons, places, organisations)
    titles: dict[str, set[str]] = field(default_factory=dict)  # title_key → ids (documents)
    events: dict[str, set[str]] = field(default_factory=dict)  # title_key → ids (events)
    longest: int = 1  # most words in a name

    @classmethod
    def from_index(cls, index: Index) -> "Gazetteer":
        g = cls()
        for ident, entity in sorted(index.entities.items()):
            for el in entity.element:
                if not isinstance(el.tag, str) or etree.QName(el).localname not in VARIANT_ELEMENTS:
                    continue
                text = " ".join("".join(el.itertext()).split())
                if not text:
                    continue
                if entity.kind in NAME_ELEMENTS:
                    g.names.setdefault(name_key(text), set()).add(ident)
                    g.longest = max(g.longest, len(WORD.findall(text)))
                elif entity.kind == "document":
                    g.titles.setdefault(title_key(text), set()).add(ident)
                elif entity.kind == "event":
                    g.events.setdefault(title_key(text), set()).add(ident)
        return g


# ---------------------------------------------------------------------------------------------
# 4. Encoding: Record → TEI
# ---------------------------------------------------------------------------------------------

@dataclass
class Unlinked:
    """A name the registers lack, with the entry the importer proposes for it."""

    name: str
    kind: str
    line: int
    col: int
    proposed_id: str
    register: str | None  # display path of the register file it belongs in
    note: str = ""
    attributes: dict[str, str] = field(default_factory=dict)  # for the proposed entry (an event's dates)


@dataclass
class Linked:
    name: str
    entity: str
    how: str  # exact | variant


def E(tag: str, text: str | None = None, **attrs) -> etree._Element:
    """A TEI element; attribute names use _ for - and xml_id/xml_lang for the xml: ones."""
    el = etree.Element(T + tag, nsmap={None: TEI_NS})
    for key, value in attrs.items():
        if value is None:
            continue
        name = {"xml_id": XML_ID, "xml_lang": XML_LANG}.get(key, key)
        el.set(name, str(value))
    if text is not None:
        el.text = text
    return el


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = E(tag, text, **attrs)
    parent.append(el)
    return el


def append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NOTE_NUMBER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]*)\)")
QUOTED = re.compile(r"[\"“](?P<text>[^\"”]{3,})[\"”]")
CITATION = re.compile(
    r"^(?P<title>.+?)\s+(?P<author>(?:[A-Z][\w'’-]+\s+)+[A-Z][A-Z'’-]+|[A-Z][A-Z'’-]+(?:\s+[A-Z][\w'’-]+)+)\s+"
    rf"(?P<date>(?:{MONTH}\s+)?\d{{4}})\s+(?P<scope>(?:page|pages|p\.|pp\.)\s*(?P<from>\d+)(?:\s*[–-]\s*(?P<to>\d+))?)\s*$")
ATTENDANCE_VERB = re.compile(r"^(?P<names>.+?)\s+(?P<verb>presided|chaired|attended)\.?$", re.I)
PERSONAL = r"(?:[A-Z][\w'’-]*\s+){1,3}[A-Z][\w'’-]*"  # two to four capitalised words
CONVENED = re.compile(r"^(?P<before>.*?\bconvened by\s+(?:the\s+)?)(?P<org>.+?)(?P<after>\.?)$", re.I)


@dataclass
class Span:
    start: int
    end: int
    build: Callable[[], etree._Element]


class Encoder:
    """Turns one Record into a TEI tree, linking names through the edition's Index."""

    def __init__(self, config: Config, index: Index, gazetteer: Gazetteer, out_path: Path, date: str | None):
        self.config = config
        self.index = index
        self.gaz = gazetteer
        self.out_path = out_path
        self.date = date
        self.unlinked: list[Unlinked] = []
        self.linked: list[Linked] = []
        self.prefixes: dict[str, str] = {}  # register display path → prefix ident
        self._register_by_path = {d.display: d for d in index.corpus.registers}
        self._taken_ids = set(index.ids)
        self._proposed: dict[tuple[str, str], str] = {}
        self.citation: etree._Element | None = None
        self._citation_line = 0
        self.doc_id = "meeting"
        self.record: Record | None = None

    # -- pointers -------------------------------------------------------------------------------

    def _prefix_for(self, register_display: str) -> str:
        if register_display not in self.prefixes:
            doc = self._register_by_path[register_display]
            kinds = {e.kind for e in self.index.entities.values() if e.doc is doc}
            wanted = {"person": "person", "place": "place", "organisation": "org", "event": "event",
                      "document": "bibl"}.get(next(iter(kinds)), "reg") if len(kinds) == 1 else slug(doc.path.stem, 1)
            ident, n = wanted, 2
            while ident in self.prefixes.values():
                ident, n = f"{wanted}{n}", n + 1
            self.prefixes[register_display] = ident
        return self.prefixes[register_display]

    def pointer(self, entity_id: str, register_display: str | None = None) -> str:
        """A private URI (`person:mao-zedong`) declared by a prefixDef in the draft's header."""
        entity = self.index.entities.get(entity_id)
        register = entity.doc.display if entity else register_display
        if register is None or register not in self._register_by_path:
            return f"#{entity_id}"
        return f"{self._prefix_for(register)}:{entity_id}"

    def _register_for(self, kind: str) -> str | None:
        """The register file that holds entries of this kind (for proposals)."""
        for entity in sorted(self.index.entities.values(), key=lambda e: e.doc.display):
            if entity.kind == kind:
                return entity.doc.display
        wanted = {"person": "person", "place": "place", "organisation": "org", "event": "event", "document": "bibl"}[kind]
        for doc in self.index.corpus.registers:
            if any(etree.QName(el).localname.lower().startswith("list" + wanted.lower()) for el in doc.root.iter()
                   if isinstance(el.tag, str)):
                return doc.display
        return None

    def propose(self, name: str, kind: str, line: Line | None, note: str = "", id_hint: str | None = None,
                attributes: dict[str, str] | None = None) -> str:
        key = (kind, name_key(name) if kind in NAME_ELEMENTS else title_key(name))
        if key in self._proposed:
            return self._proposed[key]
        base = id_hint or slug(name)
        ident, n = base, 2
        while ident in self._taken_ids:
            ident, n = f"{base}-{n}", n + 1
        self._taken_ids.add(ident)
        self._proposed[key] = ident
        col = line.col + max(line.text.find(name), 0) if line else 1
        self.unlinked.append(Unlinked(name, kind, line.number if line else 1, col, ident,
                                      self._register_for(kind), note, attributes or {}))
        return ident

    def link_name(self, name: str, kind: str | None, line: Line | None) -> tuple[str | None, str]:
        """(pointer, kind) for a name; proposes an entry when the registers lack it.

        `kind` None means: link only if the registers know the name (free text); otherwise the
        name must be linked, and a new entry is proposed when none matches.
        """
        ids = self.gaz.names.get(name_key(name), set())
        if kind is not None:
            ids = {i for i in ids if self.index.entities[i].kind == kind}
        if len(ids) == 1:
            ident = next(iter(ids))
            entity = self.index.entities[ident]
            exact = any(" ".join("".join(c.itertext()).split()) == name for c in entity.element
                        if isinstance(c.tag, str))
            self.linked.append(Linked(name, ident, "exact" if exact else "variant"))
            return self.pointer(ident), entity.kind
        if kind is None:
            return None, ""
        note = ""
        if len(ids) > 1:
            note = "ambiguous: the registers give this name to " + ", ".join(sorted(ids))
        ident = self.propose(name, kind, line, note)
        return self.pointer(ident, self._register_for(kind)), kind

    def link_title(self, title: str, line: Line | None, must: bool) -> str | None:
        ids = self.gaz.titles.get(title_key(title), set())
        if len(ids) == 1:
            ident = next(iter(ids))
            self.linked.append(Linked(title, ident, "exact" if any(
                "".join(c.itertext()).strip() == title for c in self.index.entities[ident].element
                if isinstance(c.tag, str)) else "variant"))
            return self.pointer(ident)
        if not must:
            return None
        note = "ambiguous: " + ", ".join(sorted(ids)) if ids else ""
        ident = self.propose(title, "document", line, note)
        return self.pointer(ident, self._register_for("document"))

    # -- inline text ------------------------------------------------------------------------------

    def inline(self, parent: etree._Element, text: str, line: Line | None, role_of=None) -> None:
        """Append `text` to `parent` with links, quoted titles, note numbers, dates and names marked up."""
        spans: list[Span] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s.start or start >= s.end for s in spans)

        clean = text
        for m in LINK.finditer(text):
            label, target = m["text"], m["target"]

            def build(label=label, target=target):
                if target.startswith(("http://", "https://")):
                    return E("ref", label, target=target)
                ref = None
                if target.startswith("#") and len(target) > 1 and self.index.entities.get(target[1:]):
                    ref = self.pointer(target[1:])
                return E("title", label, ref=ref or self.link_title(label, line, must=True))
            spans.append(Span(m.start(), m.end(), build))
        for m in QUOTED.finditer(clean):
            inner = m["text"]
            if not free(m.start("text"), m.end("text")) or LINK.search(inner):
                continue
            ref = self.link_title(inner, line, must=False)
            if ref:
                spans.append(Span(m.start("text"), m.end("text"), lambda inner=inner, ref=ref: E("title", inner, ref=ref)))
        for m in NOTE_NUMBER.finditer(clean):
            if free(m.start(), m.end()):
                spans.append(Span(m.start(), m.end(), lambda n=m.group().translate(SUPERSCRIPT): self.source_note(n)))
        for start, end, attrs in find_dates(clean):
            if attrs and free(start, end):
                spans.append(Span(start, end, lambda s=clean[start:end], a=attrs: E("date", s, **a)))
        words = list(WORD.finditer(clean))
        i = 0
        while i < len(words):
            matched = 0
            for n in range(min(self.gaz.longest, len(words) - i), 0, -1):
                first, last = words[i], words[i + n - 1]
                between = clean[first.start():last.end()]
                if n > 1 and any(not clean[words[k].end():words[k + 1].start()].isspace() for k in range(i, i + n - 1)):
                    continue
                if n == 1 and not first.group()[0].isupper():
                    continue  # a single lower-case word is a word, not a name
                ids = self.gaz.names.get("".join(word_key(w.group()) for w in words[i:i + n]))
                if ids and len(ids) == 1 and free(first.start(), last.end()):
                    ref, kind = self.link_name(between, None, line)
                    role = role_of(kind, first.start()) if role_of else None
                    tag = NAME_ELEMENTS[kind]
                    spans.append(Span(first.start(), last.end(),
                                      lambda b=between, r=ref, t=tag, ro=role: E(t, b, ref=r, role=ro)))
                    matched = n
                    break
            i += matched or 1
        position = 0
        for span in sorted(spans, key=lambda s: s.start):
            append_text(parent, clean[position:span.start])
            parent.append(span.build())
            position = span.end
        append_text(parent, clean[position:])

    def source_note(self, number: str) -> etree._Element:
        note = E("note", "The record prints the superscript note number " + number + " here. ",
                 xml_id=f"{self.doc_id}-note-{number}", n=number, type="source", place="foot")
        if self.citation is not None:
            note[-1:] = []
            append_text(note, "It is the note number of its source, ")
            bibl = sub(note, "bibl")
            title = self.citation.find(f"{T}title")
            ref = self.citation.get("corresp")
            short = ", ".join(filter(None, [self.citation.findtext(f"{T}author/{T}persName"),
                                           self.citation.findtext(f"{T}date")]))
            if ref:
                sub(bibl, "ref", short or title.text, target=ref)
            else:
                sub(bibl, "title", title.text)
            scope = self.citation.find(f"{T}biblScope")
            if scope is not None:
                bibl[-1].tail = ", "
                sub(bibl, "biblScope", scope.text, unit="page")
            bibl.tail = "; the text of that note is not given in the record."
        else:
            note.text += "The text of the note is not given in the record."
        return note

    # -- fields -----------------------------------------------------------------------------------

    def encode(self, record: Record) -> tuple[etree._Element, list[Diagnostic]]:
        self.record = record
        problems: list[Diagnostic] = []
        f = record.fields
        dates_line = f["dates"].lines[0]
        found = find_dates(f["dates"].text)
        whole = found[0] if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(f["dates"].text) else None
        if whole is None or whole[2] is None:
            reason = "is not a date" if whole is None else "is not a possible date"
            problems.append(_problem(record.display, dates_line.number, dates_line.col,
                                     f'"{f["dates"].text}" {reason} in a form the importer reads', "record-date",
                                     "write D-M-YYYY, D-M-YYYY – D-M-YYYY, Month D, YYYY, D Month YYYY or Month YYYY "
                                     "(e.g. 9-9-1951 – 30-9-1951)"))
            return None, problems
        meeting_dates = whole[2]
        self.doc_id = document_id(meeting_dates, f["meeting-type"].text)

        body = E("body")
        remarks_tail: list[list[Line]] = []
        self.citation = self.find_citation(f["remarks"], remarks_tail)

        # Dates of Meeting
        div = self.field_div(body, f["dates"])
        sub(sub(div, "p"), "date", f["dates"].text, **meeting_dates)
        # Type of Meeting: the meeting as an event of the register (proposed with its dates and place)
        place_text = f["place"].text
        place_ref, _ = self.link_name(place_text, "place", f["place"].lines[0])
        event_text = f["meeting-type"].text
        event_ref = self.link_event(event_text, f["meeting-type"].lines[0], meeting_dates,
                                    "#" + place_ref.split(":", 1)[-1].lstrip("#"))
        div = self.field_div(body, f["meeting-type"])
        sub(sub(div, "p"), "rs", event_text, type="event", ref=event_ref)
        # Place of Meeting
        div = self.field_div(body, f["place"])
        sub(sub(div, "p"), "placeName", place_text, ref=place_ref)
        # Attendance: one paragraph per line, with the role each person or body had
        div = self.field_div(body, f["attendance"])
        for ln in f["attendance"].lines:
            if ln.text:
                self.attendance_line(sub(div, "p"), ln)
        # Agenda, speeches, documents passed: lists
        self.list_field(body, f["agenda"], bulleted=False)
        self.speeches(body, f["speeches"])
        self.list_field(body, f["documents-passed"], bulleted=True)
        # Remarks: numbered list, then the citation and any closing paragraph
        self.remarks(body, f["remarks"], remarks_tail)

        setting_place = E("placeName", place_text, ref=place_ref)
        tei = self.document(record, body, meeting_dates, event_text, event_ref, setting_place)
        return tei, problems

    def field_div(self, body: etree._Element, fld: Field) -> etree._Element:
        div = sub(body, "div", type="field", subtype=fld.key)
        sub(div, "head", fld.label + ":")
        return div

    def link_event(self, text: str, line: Line, dates: dict[str, str], where: str | None) -> str:
        ids = self.gaz.events.get(title_key(text), set())
        if len(ids) > 1:  # the same label for several events: the dates decide
            same = {i for i in ids if (self.index.entities[i].element.get("when") == dates.get("when")
                                       and self.index.entities[i].element.get("from") == dates.get("from"))}
            ids = same or ids
        if len(ids) == 1:
            ident = next(iter(ids))
            self.linked.append(Linked(text, ident, "exact"))
            return self.pointer(ident)
        year = (dates.get("when") or dates.get("from"))[:4]
        words = [w for w in re.findall(r"[A-Za-z0-9]+", text.lower()) if w not in STOPWORDS]
        note = "ambiguous: " + ", ".join(sorted(ids)) if ids else ""
        ident = self.propose(text, "event", line, note, id_hint=slug(" ".join(words[:4]) + f" {year}", 5),
                             attributes={"type": "meeting", **dates, **({"where": where} if where else {})})
        return self.pointer(ident, self._register_for("event"))

    def attendance_line(self, p: etree._Element, ln: Line) -> None:
        """`A, B, C presided. group` / `This conference was convened by the X.`: names with roles."""
        sentences = re.split(r"(?<=\.)\s+", ln.text)
        for k, sentence in enumerate(sentences):
            if k:
                append_text(p, " ")
            convened = CONVENED.match(sentence)
            verb = ATTENDANCE_VERB.match(sentence)
            if convened:
                self.inline(p, convened["before"], ln)
                ref, kind = self.link_name(convened["org"], "organisation", ln)
                sub(p, "orgName", convened["org"], ref=ref, role="convened")
                append_text(p, convened["after"])
            elif verb:
                role = {"chaired": "presided"}.get(verb["verb"].lower(), verb["verb"].lower())
                self.name_list(p, verb["names"], ln, role)
                append_text(p, sentence[len(verb["names"]):])
            else:
                self.name_list(p, sentence, ln, "attended")

    def name_list(self, p: etree._Element, text: str, ln: Line, role: str) -> None:
        """A comma-separated list of attendees: each a person (capitalised name) or a group.

        "and" separates two names only when both sides are capitalised names; in "representatives
        of provincial and central authorities" it is part of the group's name.
        """
        parts: list[str] = []
        for part in re.split(r"(,\s*)", text):
            both = re.fullmatch(rf"({PERSONAL})(\s+and\s+)({PERSONAL}\.?)", part.strip())
            if both and not self.gaz.names.get(name_key(part)):
                parts += [both[1], both[2], both[3]]
            else:
                parts.append(part)
        for part in parts:
            if not part or re.fullmatch(r",\s*|\s+and\s+", part):
                append_text(p, part)
                continue
            core = part.rstrip(".")
            looks_personal = bool(re.fullmatch(PERSONAL, core))
            ids = self.gaz.names.get(name_key(core), set())
            if ids or looks_personal:
                ref, kind = self.link_name(core, None if ids else "person", ln)
                if ref is None:  # an ambiguous name: propose it as a person
                    ref, kind = self.link_name(core, "person", ln)
                sub(p, NAME_ELEMENTS[kind], core, ref=ref, role=role)
            else:
                ref, kind = self.link_name(core, "organisation", ln)
                sub(p, "orgName", core, ref=ref, role=role)
            append_text(p, part[len(core):])

    def list_field(self, body: etree._Element, fld: Field, bulleted: bool) -> None:
        div = self.field_div(body, fld)
        items = [ln for ln in fld.lines if ln.text]
        if not items:
            return
        lst = sub(div, "list", rend="bulleted" if bulleted else None)
        for ln in items:
            text = re.sub(r"^[-*•]\s+", "", ln.text)
            self.inline(sub(lst, "item"), text, ln)

    def speeches(self, body: etree._Element, fld: Field) -> None:
        div = self.field_div(body, fld)
        items = [ln for ln in fld.lines if ln.text]
        if not items:
            return
        lst = sub(div, "list")
        for ln in items:
            text = re.sub(r"^[-*•]\s+", "", ln.text)
            item = sub(lst, "item")
            speaker = re.match(r"^(?P<name>[A-Z][^:]{1,60}?):\s", text)
            if speaker:
                ref, kind = self.link_name(speaker["name"], "person", ln)
                sub(item, NAME_ELEMENTS[kind], speaker["name"], ref=ref, role="speaker")
                append_text(item, ":")
                self.inline(item, text[speaker.end() - 1:], ln)
            else:
                self.inline(item, text, ln)

    def find_citation(self, fld: Field, tail: list[list[Line]]) -> etree._Element | None:
        """Split the remarks into numbered items (kept in fld.lines) and the blocks after them."""
        blocks: list[list[Line]] = [[]]
        for ln in fld.lines:
            if ln.text:
                blocks[-1].append(ln)
            elif blocks[-1]:
                blocks.append([])
        numbered, rest = [], []
        for block in blocks:
            if block and re.match(r"^\d+[.)]\s", block[0].text) and not rest:
                numbered.append(block)
            elif block:
                rest.append(block)
        fld.lines = [ln for block in numbered for ln in block]
        tail.extend(rest)
        for block in rest:
            m = CITATION.match(" ".join(ln.text for ln in block))
            if m:
                return self.citation_bibl(m, block[0])
        return None

    def citation_bibl(self, m: re.Match, line: Line) -> etree._Element:
        title_ref = self.link_title(m["title"], line, must=True)
        bibl = E("bibl", type="citation", corresp=title_ref)
        sub(bibl, "title", m["title"], level="m").tail = " "
        author = sub(bibl, "author")
        ref, _ = self.link_name(m["author"], "person", line)
        sub(author, "persName", m["author"], ref=ref)
        author.tail = " "
        dates = [d for d in find_dates(m["date"]) if d[2]]
        sub(bibl, "date", m["date"], **(dates[0][2] if dates else {})).tail = " "
        sub(bibl, "biblScope", m["scope"], unit="page", **{"from": m["from"], "to": m["to"] or m["from"]})
        self._citation_line = line.number  # which block of the remarks it replaces
        return bibl

    def remarks(self, body: etree._Element, fld: Field, tail: list[list[Line]]) -> None:
        div = self.field_div(body, fld)
        items: list[tuple[str, list[Line]]] = []
        for ln in fld.lines:
            m = re.match(r"^(\d+)[.)]\s+", ln.text)
            if m:
                items.append((m.group(1), [Line(ln.number, ln.col + m.end(), ln.text[m.end():])]))
            elif items:
                items[-1][1].append(ln)
        if items:
            lst = sub(div, "list", rend="numbered")
            for n, lines in items:
                self.inline(sub(lst, "item", n=n), " ".join(ln.text for ln in lines), lines[0])
        for block in tail:
            if self.citation is not None and self._citation_line == block[0].number:
                div.append(self.citation)
            else:
                self.inline(sub(div, "p"), " ".join(ln.text for ln in block), block[0])

    # -- the document -----------------------------------------------------------------------------

    def document(self, record: Record, body, dates, event_text, event_ref, setting_place) -> etree._Element:
        header_doc = self.index.corpus.header
        hroot = header_doc.root if header_doc is not None else None
        doc_id = self.doc_id
        place = setting_place.text

        tei = E("TEI", xml_id=doc_id, xml_lang="en")
        header = sub(tei, "teiHeader")
        file_desc = sub(header, "fileDesc")
        title_stmt = sub(file_desc, "titleStmt")
        sub(title_stmt, "title", f"{event_text}, {place}, {prose_date(dates)}", type="main")
        editor = hroot.find(f".//{T}titleStmt/{T}editor") if hroot is not None else None
        editor_ref = f"#{editor.get(XML_ID)}" if editor is not None and editor.get(XML_ID) else None
        editor_name = " ".join("".join(editor.itertext()).split()) if editor is not None else "[editor: fill in]"
        sub(title_stmt, "editor", editor_name, role="editor", ref=editor_ref)
        resp = sub(title_stmt, "respStmt")
        sub(resp, "resp", "TEI encoding from the plain-text record (draft made by edition import)")
        sub(resp, "name", editor_name, ref=editor_ref)

        pub = sub(file_desc, "publicationStmt")
        publisher = hroot.findtext(f".//{T}publicationStmt/{T}publisher") if hroot is not None else None
        sub(pub, "publisher", " ".join((publisher or "[publisher: fill in]").split()))
        if self.date:
            sub(pub, "date", self.date[:4], when=self.date)
        sub(pub, "idno", doc_id, type="document")
        licence = hroot.find(f".//{T}publicationStmt/{T}availability/{T}licence") if hroot is not None else None
        availability = sub(pub, "availability", status="free")
        if licence is not None:
            sub(availability, "licence", " ".join("".join(licence.itertext()).split()), target=licence.get("target"))
        else:
            sub(availability, "licence", "Creative Commons Attribution 4.0 International (CC BY 4.0)",
                target="https://creativecommons.org/licenses/by/4.0/")

        source = sub(sub(file_desc, "sourceDesc"), "bibl", type="record")
        sub(source, "title", f"Plain-text record of a meeting: {event_text}, {record.fields['dates'].text}", type="desc")
        sub(source, "idno", record.stem, type="record")
        if self.citation is not None:
            note = sub(source, "note", "The record cites ")
            scope = self.citation.findtext(f"{T}biblScope") or ""
            said = ", ".join(filter(None, [self.citation.findtext(f"{T}author/{T}persName"),
                                           self.citation.findtext(f"{T}date"), scope]))
            if self.citation.get("corresp"):
                sub(note, "ref", said, target=self.citation.get("corresp")).tail = "."
            else:
                note.text += said + "."

        profile = E("profileDesc")
        lang = sub(profile, "langUsage")
        sub(lang, "language", "English", ident="en")
        setting = sub(sub(profile, "settingDesc"), "setting")
        sub(setting, "name", event_text, type="event", ref=event_ref)
        setting.append(setting_place)
        sub(setting, "date", record.fields["dates"].text, **dates)

        if self.prefixes:
            encoding = sub(header, "encodingDesc")
            prefix_list = sub(encoding, "listPrefixDef")
            for register, ident in sorted(self.prefixes.items(), key=lambda x: x[1]):
                target = self._register_by_path[register].path
                rel = Path(os.path.relpath(target, self.out_path.parent)).as_posix()
                sub(prefix_list, "prefixDef", ident=ident, matchPattern="(.+)", replacementPattern=f"{rel}#$1")
        header.append(profile)
        revision = sub(header, "revisionDesc")
        sub(revision, "change", f"Draft made by edition import from the plain-text record {record.stem}; "
            "names, dates, documents and the citation linked to the registers automatically, to be reviewed.",
            when=self.date, who=editor_ref)
        sub(tei, "text").append(body)
        return tei


def document_id(dates: dict[str, str], meeting_type: str) -> str:
    """meeting-<first day>-<up to four words of the type>: stable and readable."""
    start = dates.get("when") or dates["from"]
    words = [w for w in re.findall(r"[A-Za-z0-9]+", meeting_type.lower()) if w not in STOPWORDS]
    return f"meeting-{start}-{slug(' '.join(words), 4)}"


STOPWORDS = {"the", "of", "on", "and", "in", "for", "a", "an", "to", "at", "by", "with",
             "1st", "2nd", "3rd", "first", "second", "third"} | {f"{n}th" for n in range(4, 100)}


# ---------------------------------------------------------------------------------------------
# 5. Writing: indentation, xml-model, the review file
# ---------------------------------------------------------------------------------------------

# Elements that hold only other elements; everything else is mixed content and kept as built,
# so that indentation never adds or moves a space inside the text.
BLOCKS = {"TEI", "teiHeader", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "availability",
          "sourceDesc", "encodingDesc", "listPrefixDef", "profileDesc", "langUsage", "settingDesc",
          "setting", "revisionDesc", "text", "body", "div", "list"}


def indent(el: etree._Element, level: int = 0) -> None:
    name = etree.QName(el).localname
    is_block = name in BLOCKS or (name == "bibl" and el.get("type") == "record")
    if not is_block or not len(el) or (el.text or "").strip():
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


def xml_model_lines(schemas: Iterable[Path], out_dir: Path) -> list[str]:
    lines = []
    for schema in schemas:
        ns = SCHEMATYPENS.get(schema.suffix)
        if ns is None:
            continue
        href = Path(os.path.relpath(schema, out_dir)).as_posix()
        lines.append(f'<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>')
    return lines


def serialize(tei: etree._Element, schemas: Iterable[Path], out_dir: Path) -> bytes:
    indent(tei)
    head = ['<?xml version="1.0" encoding="UTF-8"?>', *xml_model_lines(schemas, out_dir)]
    body = etree.tostring(tei, encoding="unicode")
    return ("\n".join(head) + "\n" + body + "\n").encode("utf-8")


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def proposed_entry(u: Unlinked) -> str:
    tag = REGISTER_ELEMENTS[u.kind]
    esc = u.name.replace("&", "&amp;").replace("<", "&lt;")
    attrs = "".join(f' {k}="{v}"' for k, v in u.attributes.items())
    if u.kind == "document":
        inner = f'<title type="main">{esc}</title>'
    elif u.kind == "event":
        inner = f"<label>{esc}</label>"
    else:
        name = NAME_ELEMENTS[u.kind]
        inner = f'<{name} type="main" xml:lang="en">{esc}</{name}>'
    return f'<{tag} xml:id="{u.proposed_id}"{attrs}>{inner}</{tag}>'


def review_text(record: Record, draft: Path, encoder: Encoder) -> str:
    out = [f"# Review of the draft {draft.name}, made by `edition import` from {record.path.name}.",
           "# Nothing was added to the registers. For each [[unlinked]] name: check it, add the proposed",
           "# entry (edit it as needed) to the register named, or change the draft's pointer to an existing",
           "# entry. `edition validate` reports the draft's pointers to proposed ids until then.",
           "# [[linked]] lists the names linked automatically; \"variant\" means by case, hyphenation or",
           "# an alternative name, worth a second look.",
           f"record = {toml_string(record.path.name)}",
           f"draft = {toml_string(draft.name)}",
           ""]
    for u in encoder.unlinked:
        out += ["[[unlinked]]", f"name = {toml_string(u.name)}", f"kind = {toml_string(u.kind)}",
                f"record_line = {u.line}", f"record_col = {u.col}", f"proposed_id = {toml_string(u.proposed_id)}",
                f"register = {toml_string(u.register or '(no register for this kind: create one)')}",
                f"entry = {toml_string(proposed_entry(u))}"]
        if u.note:
            out.append(f"note = {toml_string(u.note)}")
        out.append("")
    seen = set()
    for link in encoder.linked:
        if (link.name, link.entity) in seen:
            continue
        seen.add((link.name, link.entity))
        out += ["[[linked]]", f"name = {toml_string(link.name)}", f"entity = {toml_string(link.entity)}",
                f"how = {toml_string(link.how)}", ""]
    return "\n".join(out)


def draft_date(config: Config, index: Index) -> str | None:
    """The draft's date without reading the clock: SOURCE_DATE_EPOCH, else the edition header's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    header = index.corpus.header
    if header is not None:
        when = header.root.find(f".//{T}publicationStmt/{T}date")
        if when is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when.get("when", "")):
            return when.get("when")
    return None


def draft_name(tei: etree._Element) -> str:
    return tei.get(XML_ID).removeprefix("meeting-") + ".xml"


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# 6. The command
# ---------------------------------------------------------------------------------------------

def import_records(records: list[Path], config: Config, out_dir: Path, force: bool,
                   log: Callable[[str], None]) -> tuple[list[Path], list[Diagnostic]]:
    """Import each record; return the drafts written and every problem found."""
    from .validate.schemas import load_check  # compiled once per process

    corpus, load_problems = Corpus.load(config)
    index = Index(corpus)
    gazetteer = Gazetteer.from_index(index)
    date = draft_date(config, index)
    checks = [load_check(p) for p in config.schemas]
    problems: list[Diagnostic] = list(load_problems)
    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in records:
        record, found = read_record(path)
        problems += found
        if record is None:
            continue
        encoder = Encoder(config, index, gazetteer, out_dir / "draft.xml", date)
        tei, found = encoder.encode(record)
        problems += found
        if tei is None:
            continue
        target = out_dir / draft_name(tei)
        encoder.out_path = target
        if target.exists() and not force:
            problems.append(_problem(record.display, 1, 1, f"{display_path(target)} exists; not overwritten",
                                     "import-exists", "pass --force to replace it, or import into another --out folder"))
            continue
        write_atomically(target, serialize(tei, config.schemas, out_dir))
        review = target.with_suffix(".review.toml")
        write_atomically(review, review_text(record, target, encoder).encode("utf-8"))
        written.append(target)
        doc, parse_problems = load_document(target, "source")
        problems += parse_problems
        for check in checks if doc is not None else []:
            problems += list(check(doc))
        unlinked = len(encoder.unlinked)
        log(f"{record.display} → {display_path(target)}: {len(encoder.linked)} name(s) linked, "
            f"{unlinked} not in the registers" + (f" (proposed entries in {display_path(review)})" if unlinked else ""))
    return written, problems


def import_command(records: list[Path], out_dir: Path | None, force: bool, config_path: Path,
                   log: Callable[[str], None] = print) -> int:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        for problem in exc.problems:
            log(f"error: {problem}")
        log("error: the importer needs the edition's config to find its registers and schemas")
        return 2
    if out_dir is None:
        out_dir = config.sources[0].parent
    written, problems = import_records(records, config, out_dir.resolve(), force, log)
    if problems:
        log(format_text(problems))
    failed = len(records) - len(written)
    log(f"imported {len(written)} of {len(records)} record(s)" + (f"; {failed} failed" if failed else ""))
    return 1 if failed or any(d.severity == "error" for d in problems) else 0
