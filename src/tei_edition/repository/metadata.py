"""The ONE mapping from the edition's facts to InvenioRDM (and Zenodo) record metadata.

It reads the package's `datacite.xml`, so a repository record states exactly what the DataCite
record states (creators with ORCID, titles, dates, licence, language, keywords, related
identifiers), made once from the TEI headers by xslt/deposit/datacite.xsl. InvenioRDM's
metadata model follows DataCite, so the mapping is mostly names: vocabulary terms become
lower-case ids, ISO 639-1 codes become ISO 639-3, an SPDX licence becomes a licence id.

Every field remembers the DataCite element it came from (its line) and the place in the
edition header it was made from, so a field the server rejects is reported where to fix it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from lxml import etree

from tei_edition.model.xmlparse import secure_parser

D = "{http://datacite.org/schema/kernel-4}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Where each field comes from in the edition header (for the hint of a rejected field).
ORIGIN = {
    "resource_type": "[deposit] zenodo-upload-type in edition.toml",
    "creators": "fileDesc/titleStmt/author (else editor) of the edition header (persName with forename and "
                "surname; an ORCID as idno type=\"ORCID\")",
    "title": "fileDesc/titleStmt/title of the edition header",
    "additional_titles": "fileDesc/titleStmt/title[@type] of the edition header",
    "publisher": "fileDesc/publicationStmt/publisher of the edition header",
    "publication_date": "fileDesc/publicationStmt/date/@when of the edition header",
    "subjects": "profileDesc/textClass/keywords of the edition header (and register entries with a Wikidata idno)",
    "contributors": "fileDesc/titleStmt/editor and respStmt of the edition header",
    "dates": "revisionDesc of the edition header and the documents' dates",
    "languages": "profileDesc/langUsage/language/@ident of the edition header",
    "identifiers": "fileDesc/publicationStmt/idno of the edition header",
    "related_identifiers": "the idno elements of the documents' headers and the registers",
    "version": "fileDesc/editionStmt/edition/@n of the edition header",
    "rights": "fileDesc/publicationStmt/availability/licence/@target of the edition header",
    "description": "encodingDesc/projectDesc of the edition header",
    "additional_descriptions": "encodingDesc/projectDesc and fileDesc/sourceDesc of the edition header",
    "locations": "location/geo of the places register",
}

# DataCite's scheme names → InvenioRDM's identifier schemes (the ones both know).
SCHEMES = {"ark": "ark", "arxiv": "arxiv", "doi": "doi", "handle": "handle", "isbn": "isbn", "issn": "issn",
           "purl": "purl", "url": "url", "urn": "urn", "w3id": "w3id"}
DATE_TYPES = {"Accepted", "Available", "Collected", "Copyrighted", "Created", "Issued", "Submitted", "Updated",
              "Valid", "Withdrawn"}


@dataclass
class Record:
    """The body of `POST /api/records` and where each of its fields came from."""

    body: dict
    source: Path
    lines: dict[str, int] = field(default_factory=dict)  # "metadata.creators.0" → line in datacite.xml

    def locate(self, field_path: str) -> tuple[int, str]:
        """The datacite.xml line of a field the server names, and the header place it was made from."""
        parts = field_path.split(".")
        line = 1
        for end in range(len(parts), 0, -1):
            key = ".".join(parts[:end])
            if key in self.lines:
                line = self.lines[key]
                break
        name = parts[1] if parts[0] == "metadata" and len(parts) > 1 else parts[0]
        return line, ORIGIN.get(name, "the edition header")


def language_id(code: str) -> str | None:
    """A BCP 47 tag's language as ISO 639-3 (`en`, `en-GB` → `eng`; `zh-Hans` → `zho`)."""
    primary = code.split("-")[0].lower()
    found = (pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else
             pycountry.languages.get(alpha_3=primary) if len(primary) == 3 else None)
    return found.alpha_3 if found is not None else None


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _kebab(term: str) -> str:
    """A DataCite term as an InvenioRDM vocabulary id for types of titles and descriptions."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", term).lower()


class _Mapper:
    def __init__(self, root, upload_type: str):
        self.root, self.upload_type = root, upload_type
        self.lines: dict[str, int] = {}

    def all(self, path: str):
        return self.root.findall(path.replace("d:", D))

    def one(self, path: str):
        return self.root.find(path.replace("d:", D))

    def put(self, metadata: dict, key: str, value, element) -> None:
        if value in (None, "", [], {}):
            return
        metadata[key] = value
        self.lines[f"metadata.{key}"] = element.sourceline if element is not None else 1

    def items(self, key: str, pairs) -> list:
        """A list field: each item with the line of the element it came from."""
        out = []
        for element, value in pairs:
            if value is not None:
                self.lines[f"metadata.{key}.{len(out)}"] = element.sourceline
                out.append(value)
        return out

    def agent(self, element, name_tag: str) -> dict:
        name = _text(element.find(D + name_tag))
        given, family = _text(element.find(D + "givenName")), _text(element.find(D + "familyName"))
        kind = element.find(D + name_tag).get("nameType") or ("Personal" if family else "Organizational")
        if kind == "Personal":
            # InvenioRDM needs a family name for a person: the name as written when the TEI
            # does not mark forename and surname
            person = {"type": "personal", "family_name": family or name}
            if given:
                person["given_name"] = given
        else:
            person = {"type": "organizational", "name": name}
        ids = [{"scheme": "orcid", "identifier": re.sub(r"^https?://orcid\.org/", "", _text(n))}
               for n in element.findall(D + "nameIdentifier") if (n.get("nameIdentifierScheme") or "").upper() == "ORCID"]
        if ids:
            person["identifiers"] = ids
        agent = {"person_or_org": person}
        affiliations = [{"name": _text(a)} for a in element.findall(D + "affiliation") if _text(a)]
        if affiliations:
            agent["affiliations"] = affiliations
        return agent

    def metadata(self) -> dict:
        m: dict = {}
        self.put(m, "resource_type", {"id": self.upload_type}, None)
        self.put(m, "creators", self.items("creators", (
            (c, self.agent(c, "creatorName")) for c in self.all("d:creators/d:creator"))), self.one("d:creators"))
        titles = self.all("d:titles/d:title")
        main = next((t for t in titles if not t.get("titleType")), titles[0] if titles else None)
        self.put(m, "title", _text(main), main)
        self.put(m, "additional_titles", self.items("additional_titles", (
            (t, self.title(t)) for t in titles if t is not main)), self.one("d:titles"))
        self.put(m, "publisher", _text(self.one("d:publisher")), self.one("d:publisher"))
        issued = self.one("d:dates/d:date[@dateType='Issued']")
        date = issued if issued is not None else self.one("d:publicationYear")
        self.put(m, "publication_date", _text(date), date)
        subjects = {}  # each term once (a keyword may also name a register entry)
        for s in self.all("d:subjects/d:subject"):
            subjects.setdefault(_text(s), s)
        self.put(m, "subjects", self.items("subjects", ((s, {"subject": term}) for term, s in subjects.items() if term)),
                 self.one("d:subjects"))
        self.put(m, "contributors", self.items("contributors", (
            (c, {**self.agent(c, "contributorName"), "role": {"id": c.get("contributorType", "Other").lower()}})
            for c in self.all("d:contributors/d:contributor"))), self.one("d:contributors"))
        self.put(m, "dates", self.items("dates", ((d, self.date(d)) for d in self.all("d:dates/d:date")
                                                   if d.get("dateType") != "Issued")), self.one("d:dates"))
        language = self.one("d:language")
        code = language_id(_text(language)) if language is not None else None
        self.put(m, "languages", [{"id": code}] if code else [], language)
        self.put(m, "identifiers", self.items("identifiers", (
            (i, {"identifier": _text(i), "scheme": SCHEMES[i.get("alternateIdentifierType", "").lower()]})
            for i in self.all("d:alternateIdentifiers/d:alternateIdentifier")
            if i.get("alternateIdentifierType", "").lower() in SCHEMES)), self.one("d:alternateIdentifiers"))
        self.put(m, "related_identifiers", self.items("related_identifiers", (
            (r, {"identifier": _text(r), "scheme": SCHEMES[r.get("relatedIdentifierType", "").lower()],
                 "relation_type": {"id": r.get("relationType", "").lower()}})
            for r in self.all("d:relatedIdentifiers/d:relatedIdentifier")
            if r.get("relatedIdentifierType", "").lower() in SCHEMES)), self.one("d:relatedIdentifiers"))
        self.put(m, "sizes", [_text(s) for s in self.all("d:sizes/d:size")], self.one("d:sizes"))
        self.put(m, "formats", [_text(f) for f in self.all("d:formats/d:format")], self.one("d:formats"))
        self.put(m, "version", _text(self.one("d:version")), self.one("d:version"))
        self.put(m, "rights", self.items("rights", ((r, self.rights(r)) for r in self.all("d:rightsList/d:rights"))),
                 self.one("d:rightsList"))
        descriptions = self.all("d:descriptions/d:description")
        abstract = next((d for d in descriptions if d.get("descriptionType") == "Abstract"), None)
        self.put(m, "description", f"<p>{html.escape(_text(abstract), quote=False)}</p>" if abstract is not None else "",
                 abstract)
        self.put(m, "additional_descriptions", self.items("additional_descriptions", (
            (d, self.description(d)) for d in descriptions if d is not abstract)), self.one("d:descriptions"))
        features = self.items("locations.features", ((g, self.feature(g)) for g in self.all("d:geoLocations/d:geoLocation")))
        self.put(m, "locations", {"features": features} if features else {}, self.one("d:geoLocations"))
        return m

    def title(self, t) -> dict:
        out = {"title": _text(t), "type": {"id": _kebab(t.get("titleType", "Other"))}}
        lang = language_id(t.get(XML_LANG, "")) if t.get(XML_LANG) else None
        return {**out, "lang": {"id": lang}} if lang else out

    def date(self, d) -> dict:
        kind = d.get("dateType", "Other")
        if kind in DATE_TYPES:
            return {"date": _text(d), "type": {"id": kind.lower()}}
        # Coverage (the documents' dates) and Other have no InvenioRDM date type of their own
        return {"date": _text(d), "type": {"id": "other"}, "description": d.get("dateInformation") or kind}

    def rights(self, r) -> dict:
        if (r.get("rightsIdentifierScheme") or "").upper() == "SPDX" and r.get("rightsIdentifier"):
            return {"id": r.get("rightsIdentifier").lower()}  # the licences vocabulary: SPDX ids, lower case
        out: dict = {"title": {"en": _text(r)}}
        return {**out, "link": r.get("rightsURI")} if r.get("rightsURI") else out

    def description(self, d) -> dict:
        out = {"description": f"<p>{html.escape(_text(d), quote=False)}</p>",
               "type": {"id": _kebab(d.get("descriptionType", "Other"))}}
        lang = language_id(d.get(XML_LANG, "")) if d.get(XML_LANG) else None
        return {**out, "lang": {"id": lang}} if lang else out

    def feature(self, g) -> dict | None:
        lon, lat = g.find(f"{D}geoLocationPoint/{D}pointLongitude"), g.find(f"{D}geoLocationPoint/{D}pointLatitude")
        place = _text(g.find(D + "geoLocationPlace"))
        out: dict = {}
        if lon is not None and lat is not None:
            try:
                out["geometry"] = {"type": "Point", "coordinates": [float(_text(lon)), float(_text(lat))]}
            except ValueError:
                pass
        if place:
            out["place"] = place
        return out or None


def record(datacite: Path, upload_type: str) -> Record:
    """The draft body for the package whose DataCite record is `datacite`."""
    root = etree.fromstring(datacite.read_bytes(), secure_parser())
    mapper = _Mapper(root, upload_type)
    metadata = mapper.metadata()
    body = {"access": {"record": "public", "files": "public"}, "files": {"enabled": True}, "metadata": metadata}
    return Record(body, datacite, mapper.lines)
