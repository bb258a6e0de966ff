"""The OAI-PMH repository `edition serve` answers from: the built oai/static.xml, sets.xml, tei/.

The served endpoint is a Static Repository Gateway for the edition's own static file, plus the
sets of sets.xml and the `tei` records of oai/tei/ (read when asked for): what a harvester gets
from the preview is exactly what the build publishes.
`Repository` holds it in memory; `Data` is the `oai_repo` DataInterface over it (the protocol
itself, its arguments, errors and resumption tokens, is `oai_repo`'s).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import oai_repo
from lxml import etree

from tei_edition.interfaces.oai.records import FORMATS, name_of
from tei_edition.interfaces.oai.static import OAI, SETS, SETS_FILE, SR, STATIC_FILE, TEI_FOLDER

TEI_FORMAT = next(f for f in FORMATS if f.prefix == "tei")


@dataclass
class Entry:
    identifier: str
    datestamp: str
    sets: list[str] = field(default_factory=list)
    metadata: dict[str, etree._Element] = field(default_factory=dict)
    tei: Path | None = None  # the `tei` record's file


@dataclass
class Repository:
    identify: dict[str, str]
    formats: list[oai_repo.MetadataFormat]
    entries: dict[str, Entry]          # identifier → entry, in the static file's order
    sets: dict[str, str] | None        # setSpec → setName; None: no set hierarchy


def read_repository(site: Path) -> Repository:
    """The repository the build wrote below the web edition's folder `site`."""
    static, sets = site / STATIC_FILE, site / SETS_FILE
    root = etree.parse(str(static)).getroot()
    identify = {etree.QName(el).localname: el.text or "" for el in root.find(f"{{{SR}}}Identify")}
    formats = [oai_repo.MetadataFormat(f.findtext(f"{{{OAI}}}metadataPrefix"), f.findtext(f"{{{OAI}}}schema"),
                                       f.findtext(f"{{{OAI}}}metadataNamespace"))
               for f in root.iterfind(f"{{{SR}}}ListMetadataFormats/{{{OAI}}}metadataFormat")]
    entries: dict[str, Entry] = {}
    for listing in root.iterfind(f"{{{SR}}}ListRecords"):
        for record in listing.iterfind(f"{{{OAI}}}record"):
            identifier = record.findtext(f"{{{OAI}}}header/{{{OAI}}}identifier")
            entry = entries.setdefault(identifier, Entry(identifier, record.findtext(f"{{{OAI}}}header/{{{OAI}}}datestamp")))
            metadata = record.find(f"{{{OAI}}}metadata")
            if metadata is not None and len(metadata):
                entry.metadata[listing.get("metadataPrefix")] = metadata[0]
    for entry in entries.values():
        tei = site / TEI_FOLDER / f"{name_of(entry.identifier)}.xml"
        entry.tei = tei if tei.is_file() else None
    if any(e.tei for e in entries.values()):
        formats.append(oai_repo.MetadataFormat(TEI_FORMAT.prefix, TEI_FORMAT.schema, TEI_FORMAT.namespace))
    set_names = None
    if sets.is_file():
        set_names = {}
        for el in etree.parse(str(sets)).getroot().iterfind(f"{{{SETS}}}set"):
            set_names[el.get("spec")] = el.get("name")
            for member in el.iterfind(f"{{{SETS}}}record"):
                if member.get("identifier") in entries:
                    entries[member.get("identifier")].sets.append(el.get("spec"))
        set_names = set_names or None
    return Repository(identify, formats, entries, set_names)


def _in_set(entry: Entry, spec: str) -> bool:
    """A record is in a set and in every set above it (setSpec "a:b" lies in "a")."""
    return any(s == spec or s.startswith(spec + ":") for s in entry.sets)


class Data(oai_repo.DataInterface):
    """The `oai_repo` DataInterface over a Repository, answering for `base_url`."""

    def __init__(self, repository: Repository, base_url: str, limit: int):
        self.repository, self.base_url, self.limit = repository, base_url, limit
        self.state = "|".join(f"{e.identifier}@{e.datestamp}" for e in repository.entries.values())

    def get_identify(self) -> oai_repo.Identify:
        found = self.repository.identify
        ident = oai_repo.Identify()
        ident.repository_name = found.get("repositoryName", "")
        ident.base_url = self.base_url
        ident.admin_email = [found.get("adminEmail", "")]
        ident.earliest_datestamp = found.get("earliestDatestamp", "")
        ident.deleted_record = "no"
        ident.granularity = found.get("granularity", "YYYY-MM-DD")
        ident.compression = []
        ident.description = []
        return ident

    def is_valid_identifier(self, identifier: str) -> bool:
        return identifier in self.repository.entries

    def get_metadata_formats(self, identifier: str | None = None) -> list[oai_repo.MetadataFormat]:
        if identifier is None:
            return self.repository.formats
        entry = self.repository.entries[identifier]
        return [f for f in self.repository.formats if self._has(entry, f.metadata_prefix)]

    @staticmethod
    def _has(entry: Entry, prefix: str) -> bool:
        return entry.tei is not None if prefix == TEI_FORMAT.prefix else prefix in entry.metadata

    def get_record_header(self, identifier: str) -> oai_repo.RecordHeader:
        entry = self.repository.entries[identifier]
        return oai_repo.RecordHeader(identifier, entry.datestamp, list(entry.sets))

    def get_record_metadata(self, identifier: str, metadataprefix: str) -> etree._Element | None:
        entry = self.repository.entries[identifier]
        if metadataprefix == TEI_FORMAT.prefix:
            return etree.parse(str(entry.tei)).getroot() if entry.tei is not None else None
        found = entry.metadata.get(metadataprefix)
        # a copy: appending the element to a response would move it out of the shared repository
        return copy.deepcopy(found) if found is not None else None

    def get_record_abouts(self, identifier: str) -> list:
        return []

    def list_set_specs(self, identifier: str | None = None, cursor: int = 0) -> tuple:
        sets = self.repository.sets
        if sets is None:
            return None, None, None
        specs = list(sets) if identifier is None else list(self.repository.entries[identifier].sets)
        return specs, len(specs), None

    def get_set(self, setspec: str) -> oai_repo.Set:
        return oai_repo.Set(setspec, self.repository.sets[setspec], [])

    def list_identifiers(self, metadataprefix: str, filter_from: dt.datetime | None = None,
                         filter_until: dt.datetime | None = None, filter_set: str | None = None,
                         cursor: int = 0) -> tuple:
        if filter_set is not None and self.repository.sets is None:
            raise oai_repo.exceptions.OAIErrorNoSetHierarchy("This repository does not support sets.")
        start = filter_from.date().isoformat() if filter_from else ""
        end = filter_until.date().isoformat() if filter_until else "9999-12-31"
        matching = [e.identifier for e in self.repository.entries.values()
                    if self._has(e, metadataprefix) and start <= e.datestamp[:10] <= end
                    and (filter_set is None or _in_set(e, filter_set))]
        return matching[cursor:cursor + self.limit], len(matching), self.state
