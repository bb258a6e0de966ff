"""What a TEI construct means for a reader, read from one tree: the single rule for each fact.

Every output states these facts (web pages, print volume, deposit records), so each is decided
here once and nowhere else: a document's main title and date, its setting (place, meeting), who
had which role in it, a letter's sender and receiver, an edition's title, licence and citation,
and the parts of a register entry's card (life dates, authority identifiers). The functions are
pure: a tree in, plain data out (JSON-able, so that the index can cache a document's facts and a
rebuild need not parse an unchanged document). `model/edition.py` resolves the pointers these
facts hold and hands them to the stylesheets as XML (docs/semantic-layer.md).
"""

from __future__ import annotations

import re

from lxml import etree

from tei_edition.names import TEI_NS

T = f"{{{TEI_NS}}}"
DATE_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
POINTER_ATTRIBUTES = ("ref", "key", "target")  # the attributes a name's register entry is read from, in order
HEADER = f"{T}teiHeader"
TITLE_STMT = f"{HEADER}/{T}fileDesc/{T}titleStmt"
PUBLICATION = f"{HEADER}/{T}fileDesc/{T}publicationStmt"
# Where a document's date is read from, in order; the first element with a date attribute wins.
DATE_SOURCES = (
    ("setting", f"{HEADER}/{T}profileDesc/{T}settingDesc/{T}setting/{T}date"),
    ("creation", f"{HEADER}/{T}profileDesc/{T}creation/{T}date"),
    ("sent", f"{HEADER}/{T}profileDesc/{T}correspDesc/{T}correspAction[@type='sent']/{T}date"),
    ("text", f"{T}text//{T}date"),
)
# Authority files whose identifiers are often written bare: type (lower case) → URL prefix.
AUTHORITIES = {
    "gnd": "https://d-nb.info/gnd/",
    "wikidata": "https://www.wikidata.org/entity/",
    "viaf": "https://viaf.org/viaf/",
    "geonames": "https://www.geonames.org/",
}


def text_of(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def main_title(root: etree._Element) -> str:
    """The title of a TEI file: titleStmt/title[@type='main'], else the first title of the item
    itself (level="a": the series or volume it belongs to comes first in some headers), else the
    first title ('' if none)."""
    titles = root.findall(f"{TITLE_STMT}/{T}title")
    main = next((t for t in titles if t.get("type") == "main"),
                next((t for t in titles if t.get("level") == "a"), titles[0] if titles else None))
    return text_of(main)


def date_attributes(el: etree._Element) -> dict[str, str]:
    return {a: el.get(a).strip() for a in DATE_ATTRIBUTES if (el.get(a) or "").strip()}


def date_span(attrs: dict[str, str]) -> tuple[str, str]:
    """The first and last ISO date a dating element stands for, as lists sort and show it."""
    start = attrs.get("when") or attrs.get("from") or attrs.get("notBefore") or ""
    end = "" if attrs.get("when") else attrs.get("to") or attrs.get("notAfter") or ""
    return start, end


def document_date(root: etree._Element) -> dict | None:
    """A document's date: {source, attributes, text as written}; the setting's date, else the
    creation date, else the date a letter was sent, else the first dated date of the text."""
    for source, path in DATE_SOURCES:
        for el in root.iterfind(path):
            attrs = date_attributes(el)
            if attrs:
                return {"source": source, "attributes": attrs, "text": text_of(el)}
    return None


def _pointers(el: etree._Element) -> list[list[str]]:
    """The pointer tokens of a name, as [attribute, token], in the order they are tried."""
    out = []
    for attribute in POINTER_ATTRIBUTES:
        raw = (el.get(attribute) or "").strip()
        tokens = [raw] if attribute == "key" and raw else raw.split()
        out += [[attribute, t] for t in tokens]
    return out


def _name(el: etree._Element) -> dict:
    return {"tokens": _pointers(el), "text": text_of(el)}


def document_facts(root: etree._Element) -> dict:
    """What a reader is told about a document besides its text (kept in the index's facts):

    date (document_date), setting_refs: the pointers of the setting (place, meeting),
    setting_place: its placeName as written, roles: [role, name] of every element of the text
    with a @role and a pointer, in text order, correspondence: {sent|received: {names, places,
    date}} from correspDesc, context: its correspContext refs (correspondence_context). A name is {tokens: [[attribute, token]], text}. (The title is the
    document's own: Document.title, main_title.)"""
    setting = root.find(f"{HEADER}/{T}profileDesc/{T}settingDesc/{T}setting")
    facts: dict = {"date": document_date(root), "setting_refs": [], "setting_place": None, "roles": [],
                   "correspondence": {}}
    if setting is not None:
        facts["setting_refs"] = [t for el in setting.iter() for t in (el.get("ref") or "").split()]
        place = setting.find(f"{T}placeName")
        if place is not None:
            facts["setting_place"] = _name(place)
    text = root.find(f"{T}text")
    if text is not None:
        for el in _WITH_ROLE(text):  # (libxml2 finds them: few elements have a role)
            role = " ".join((el.get("role") or "").split())
            if role and _pointers(el):  # a role without a pointer names nobody in the registers
                facts["roles"].append([role, _name(el)])
    for action in root.iterfind(f"{HEADER}/{T}profileDesc/{T}correspDesc/{T}correspAction"):
        kind = action.get("type")
        if kind in ("sent", "received") and kind not in facts["correspondence"]:
            date = action.find(f"{T}date")
            facts["correspondence"][kind] = {
                "names": [_name(n) for n in action if n.tag in (f"{T}persName", f"{T}orgName", f"{T}name")],
                "places": [_name(n) for n in action.iterfind(f"{T}placeName")],
                "date": {"attributes": date_attributes(date), "text": text_of(date)} if date is not None else None,
            }
    facts["context"] = correspondence_context(root)
    return facts


_WITH_ROLE = etree.XPath("descendant-or-self::*[@role]")  # in document order, as iter() walks


def correspondence_context(root: etree._Element) -> list[dict]:
    """The refs of correspContext as written: {type, subtype, target: [tokens], source: [tokens],
    text}. Which of them name the previous or next letter is the edition's convention ([letters]
    in edition.toml), decided by model/letters.py."""
    return [{"type": (ref.get("type") or "").strip(), "subtype": (ref.get("subtype") or "").strip(),
             "target": (ref.get("target") or "").split(), "source": (ref.get("source") or "").split(),
             "text": text_of(ref)}
            for ref in root.iterfind(f"{HEADER}/{T}profileDesc/{T}correspDesc/{T}correspContext/{T}ref")]


# -- register entries ------------------------------------------------------------------------------

LIFE_DATE_ATTRIBUTES = ("when", "from", "notBefore", "notAfter", "to")


def life_date(el: etree._Element | None) -> str:
    """The ISO date of a birth or death: @when, else @from, @notBefore, @notAfter ('' if none);
    from its own attributes, else from its first <date> (whose @when-iso etc. count too)."""
    if el is None:
        return ""
    for date in (el, el.find(f"{T}date")):
        if date is None:
            continue
        for attr in LIFE_DATE_ATTRIBUTES:
            value = (date.get(attr) or date.get(f"{attr}-iso") or "").strip()
            if value:
                return value
    return ""


def life_place(el: etree._Element | None) -> str:
    """Where a birth or death took place, as written: its place name (a preferred one first)."""
    if el is None:
        return ""
    names = [n for n in el.iter(f"{T}placeName", f"{T}settlement", f"{T}country", f"{T}region")
             if not any(isinstance(c.tag, str) and etree.QName(c).localname in ("placeName", "settlement") for c in n)]
    names.sort(key=lambda n: n.get("type") != "pref")
    return text_of(names[0]) if names else ""


def author_name(el: etree._Element) -> str:
    """An author as a reader says it: the person's name (in reading order) when it is encoded,
    else the text without the identifiers a register adds to it."""
    person = el.find(f"{T}persName")
    if person is not None:
        return person_name(person)
    return " ".join("".join(_text_without(el, "idno")).split())


def _text_without(el: etree._Element, skipped: str):
    if el.text:
        yield el.text
    for c in el:
        if isinstance(c.tag, str) and etree.QName(c).localname != skipped:
            yield from _text_without(c, skipped)
        if c.tail:
            yield c.tail


# The parts of a structured personal name, in the order a reader says it ("Karl Kraus").
NAME_PARTS = ("roleName", "forename", "nameLink", "surname", "genName")


def person_name(el: etree._Element) -> str:
    """A persName as a reader says it: forename before surname, whatever the encoding's order;
    a name written as plain text (or with other parts) as it is."""
    parts = [c for c in el if isinstance(c.tag, str)]
    if (el.text or "").strip() or not parts or any(etree.QName(c).localname not in NAME_PARTS for c in parts) \
            or not any(etree.QName(c).localname in ("forename", "surname") for c in parts):
        return text_of(el)
    ordered = sorted(parts, key=lambda c: NAME_PARTS.index(etree.QName(c).localname))
    return " ".join(t for t in map(text_of, ordered) if t)


def identifier_url(idno: etree._Element) -> str:
    """The web address of an authority identifier: the idno itself when it is a URL, else the
    authority's address for a typed bare identifier (GND, Wikidata, VIAF, GeoNames), else ''."""
    value = text_of(idno)
    if re.match(r"(https?://|mailto:)\S+$", value, re.IGNORECASE):
        return value
    kind = (idno.get("type") or "").lower()
    if kind == "pmb" and re.fullmatch(r"(pmb)?\d+", value):
        return PMB + value.removeprefix("pmb")
    prefix = AUTHORITIES.get(kind)
    if prefix and re.fullmatch(r"[\w-]+", value):
        return prefix + value
    return ""


# Authorities named by an identifier's URL, for its label: host → name.
AUTHORITY_HOSTS = {"d-nb.info": "GND", "wikidata.org": "Wikidata", "viaf.org": "VIAF",
                   "geonames.org": "GeoNames", "pmb.acdh.oeaw.ac.at": "PMB", "orcid.org": "ORCID"}
AUTHORITY_NAMES = {"gnd": "GND", "wikidata": "Wikidata", "viaf": "VIAF", "geonames": "GeoNames",
                   "pmb": "PMB", "orcid": "ORCID", "doi": "DOI", "isbn": "ISBN"}
PMB = "https://pmb.acdh.oeaw.ac.at/entity/"


def identifier_label(idno: etree._Element) -> str:
    """Which authority an identifier belongs to, for a reader ("GND"): its @type or @subtype
    when that names one, else the host of its URL; '' when neither says."""
    for attr in ("type", "subtype"):
        name = AUTHORITY_NAMES.get((idno.get(attr) or "").lower())
        if name:
            return name
    host = re.match(r"https?://(?:www\.)?([^/]+)", identifier_url(idno))
    return AUTHORITY_HOSTS.get(host.group(1).lower(), "") if host else ""


# -- the edition -----------------------------------------------------------------------------------

def edition_facts(root: etree._Element) -> dict:
    """An edition header's title, subtitle, version, publisher, date, year, identifier, editors and
    licences (text and target), as every output states and cites them."""
    def first(path: str) -> etree._Element | None:
        return root.find(path)

    facts: dict = {"title": main_title(root)}
    sub = first(f"{TITLE_STMT}/{T}title[@type='sub']")
    if sub is not None:
        facts["subtitle"] = text_of(sub)
    edition = first(f"{HEADER}/{T}fileDesc/{T}editionStmt/{T}edition")
    if edition is not None:
        facts["version"] = edition.get("n") or text_of(edition)
    publisher = first(f"{PUBLICATION}/{T}publisher")
    if publisher is not None:
        facts["publisher"] = text_of(publisher)
    date = first(f"{PUBLICATION}/{T}date")
    if date is not None:
        facts["date"] = date.get("when") or text_of(date)
        year = re.match(r"-?\d{4}", date.get("when") or text_of(date))
        if year:
            facts["year"] = year.group()
    idno = first(f"{PUBLICATION}/{T}idno")
    if idno is not None:
        facts["idno"] = text_of(idno)
    facts["editors"] = [text_of(e) for e in root.iterfind(f"{TITLE_STMT}/{T}editor")]
    facts["licences"] = [(text_of(lic), (lic.get("target") or "").strip())
                         for lic in root.iterfind(f"{PUBLICATION}/{T}availability/{T}licence")]
    return facts
