"""Record → TEI body: one `div type="field"` per field; names, titles, dates and notes marked up.

The `Encoder` links every name through the edition's Index (so all pointer forms of the
registers count) and collects what it could not link as `Unlinked` proposals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lxml import etree

from tei_edition.config import Config
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.index import Index
from tei_edition.commands.importer.dates import MONTH, find_dates
from tei_edition.commands.importer.elements import E, T, append_text, sub
from tei_edition.commands.importer.header import tei_document
from tei_edition.commands.importer.names import NAME_ELEMENTS, WORD, Gazetteer, name_key, slug, title_key, word_key
from tei_edition.commands.importer.record import Field, Line, Record, _problem

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


SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NOTE_NUMBER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]*)\)")
QUOTED = re.compile(r"[\"“](?P<text>[^\"”]{3,})[\"”]")
CITATION = re.compile(
    r"^(?P<title>.+?)\s+(?P<author>(?:[A-Z][\w'’-]+\s+)+[A-Z][A-Z'’-]+|[A-Z][A-Z'’-]+(?:\s+[A-Z][\w'’-]+)+)\s+"
    rf"(?P<date>(?:{MONTH}\s+)?\d{{4}})\s+(?P<scope>(?:page|pages|p\.|pp\.)\s*(?P<from>\d+)(?:\s*[–-]\s*(?P<to>\d+))?)\s*$")
ATTENDANCE_VERB = re.compile(r"^(?P<names>.+?)\s+(?P<verb>presided|chaired|attended)\.?$", re.I)
BULLET = re.compile(r"^[-*•]\s+")
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
        self.ambiguous: list[tuple[str, list[str], Line | None]] = []  # names in running text
        self.prefixes: dict[str, str] = {}  # register display path → prefix ident
        self._register_by_path = {d.display: d for d in index.corpus.registers}
        self._taken_ids = set(index.ids)
        self._proposed: dict[tuple[str, str], str] = {}
        self.citation: etree._Element | None = None
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

    def inline(self, parent: etree._Element, text: str, line: Line | None) -> None:
        """Append `text` to `parent` with links, quoted titles, note numbers, dates and names marked up.

        Each kind of markup claims spans of the text in turn (links first, names last); a span
        already claimed is not marked again, so a name inside a title stays part of the title.
        """
        spans: list[Span] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s.start or start >= s.end for s in spans)

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
        for m in QUOTED.finditer(text):
            inner = m["text"]
            if not free(m.start("text"), m.end("text")) or LINK.search(inner):
                continue
            ref = self.link_title(inner, line, must=False)
            if ref:
                spans.append(Span(m.start("text"), m.end("text"), lambda inner=inner, ref=ref: E("title", inner, ref=ref)))
        for m in NOTE_NUMBER.finditer(text):
            if free(m.start(), m.end()):
                spans.append(Span(m.start(), m.end(), lambda n=m.group().translate(SUPERSCRIPT): self.source_note(n)))
        for start, end, attrs in find_dates(text):
            if attrs and free(start, end):
                spans.append(Span(start, end, lambda s=text[start:end], a=attrs: E("date", s, **a)))
        words = list(WORD.finditer(text))
        i = 0
        while i < len(words):
            matched = 0
            for n in range(min(self.gaz.longest, len(words) - i), 0, -1):
                first, last = words[i], words[i + n - 1]
                between = text[first.start():last.end()]
                if n > 1 and any(not text[words[k].end():words[k + 1].start()].isspace() for k in range(i, i + n - 1)):
                    continue
                if n == 1 and not first.group()[0].isupper():
                    continue  # a single lower-case word is a word, not a name
                ids = self.gaz.names.get("".join(word_key(w.group()) for w in words[i:i + n]))
                if not ids or not free(first.start(), last.end()):
                    continue
                if len(ids) > 1:  # several entries carry this name: an editor decides
                    self.ambiguous.append((between, sorted(ids), line))
                else:
                    ref, kind = self.link_name(between, None, line)
                    spans.append(Span(first.start(), last.end(),
                                      lambda b=between, r=ref, t=NAME_ELEMENTS[kind]: E(t, b, ref=r)))
                matched = n
                break
            i += matched or 1
        position = 0
        for span in sorted(spans, key=lambda s: s.start):
            append_text(parent, text[position:span.start])
            parent.append(span.build())
            position = span.end
        append_text(parent, text[position:])

    def source_note(self, number: str) -> etree._Element:
        note = E("note", "The record prints the superscript note number " + number + " here. ",
                 xml_id=f"{self.doc_id}-note-{number}", n=number, type="source", place="foot")
        if self.citation is not None:
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
        numbered, after = split_remarks(f["remarks"])
        self.citation, citation_block = self.find_citation(after)  # before the text: note 87 cites it

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
        self.remarks(body, f["remarks"], numbered, after, citation_block)

        setting_place = E("placeName", place_text, ref=place_ref)
        tei = tei_document(self, record, body, meeting_dates, event_text, event_ref, setting_place)
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
        # In a bulleted list a line without a bullet continues the item before it (a wrapped line).
        grouped: list[list[Line]] = []
        for ln in items:
            if grouped and bulleted and not BULLET.match(ln.text):
                grouped[-1].append(ln)
            else:
                grouped.append([ln])
        for lines in grouped:
            text = " ".join(ln.text for ln in lines)
            self.inline(sub(lst, "item"), BULLET.sub("", text, count=1), lines[0])

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

    def find_citation(self, blocks: list[list[Line]]) -> tuple[etree._Element | None, list[Line] | None]:
        """The record's citation of its source: the first block after the remarks in its shape."""
        for block in blocks:
            m = CITATION.match(" ".join(ln.text for ln in block))
            if m:
                return self.citation_bibl(m, block[0]), block
        return None, None

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
        return bibl

    def remarks(self, body: etree._Element, fld: Field, numbered: list[Line], after: list[list[Line]],
                citation_block: list[Line] | None) -> None:
        div = self.field_div(body, fld)
        items: list[tuple[str, list[Line]]] = []
        for ln in numbered:
            m = re.match(r"^(\d+)[.)]\s+", ln.text)
            if m:
                items.append((m.group(1), [Line(ln.number, ln.col + m.end(), ln.text[m.end():])]))
            elif items:
                items[-1][1].append(ln)
        if items:
            lst = sub(div, "list", rend="numbered")
            for n, lines in items:
                self.inline(sub(lst, "item", n=n), " ".join(ln.text for ln in lines), lines[0])
        for block in after:
            if block is citation_block:
                div.append(self.citation)
            else:
                self.inline(sub(div, "p"), " ".join(ln.text for ln in block), block[0])


def split_remarks(fld: Field) -> tuple[list[Line], list[list[Line]]]:
    """The numbered remarks (their lines), and the blocks after them (citation, closing text)."""
    blocks: list[list[Line]] = [[]]
    for ln in fld.lines:
        if ln.text:
            blocks[-1].append(ln)
        elif blocks[-1]:
            blocks.append([])
    numbered: list[Line] = []
    after: list[list[Line]] = []
    for block in filter(None, blocks):
        if not after and re.match(r"^\d+[.)]\s", block[0].text):
            numbered += block
        else:
            after.append(block)
    return numbered, after


def document_id(dates: dict[str, str], meeting_type: str) -> str:
    """meeting-<first day>-<up to four words of the type>: stable and readable."""
    start = dates.get("when") or dates["from"]
    words = [w for w in re.findall(r"[A-Za-z0-9]+", meeting_type.lower()) if w not in STOPWORDS]
    return f"meeting-{start}-{slug(' '.join(words), 4)}"


STOPWORDS = {"the", "of", "on", "and", "in", "for", "a", "an", "to", "at", "by", "with",
             "1st", "2nd", "3rd", "first", "second", "third"} | {f"{n}th" for n in range(4, 100)}


