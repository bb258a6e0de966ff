"""After writing: every metadata record is there, well-formed, with what a repository needs.

The product ships no foreign schemas (DataCite, METS, OAI-DC, TEI): it checks
well-formedness and the required fields here; the tests validate against the real schemas.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


from tei_edition.names import TEI_NS
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.xmlparse import parse_bytes

NS = {"dc": "http://purl.org/dc/elements/1.1/", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
      "dcite": "http://datacite.org/schema/kernel-4", "mets": "http://www.loc.gov/METS/",
      "xlink": "http://www.w3.org/1999/xlink", "tei": TEI_NS}

DATACITE_REQUIRED = ("dcite:identifier", "dcite:creators/dcite:creator/dcite:creatorName", "dcite:titles/dcite:title",
                     "dcite:publisher", "dcite:publicationYear", "dcite:resourceType/@resourceTypeGeneral")
DC_REQUIRED = ("dc:title", "dc:identifier", "dc:publisher", "dc:date", "dc:language", "dc:rights")
ZENODO_REQUIRED = ("upload_type", "title", "creators", "description", "access_right", "license", "publication_date")
HINT = "this is a bug in the deposit stylesheets (xslt/deposit/); please report it with the edition header"


def _error(where: str, message: str, line: int = 1) -> Diagnostic:
    return Diagnostic(where, line, 1, "error", message, "deposit-record", HINT)


def _parse(data: Path, rel: str, label: str, problems: list[Diagnostic]):
    path = data / rel
    if not path.is_file():
        problems.append(_error(f"{label}/data/{rel}", f"missing record {rel}"))
        return None
    tree, found = parse_bytes(path.read_bytes(), f"{label}/data/{rel}")
    problems += found
    return tree.getroot() if tree is not None else None


def _require(root, rel: str, label: str, paths: tuple[str, ...], problems: list[Diagnostic]) -> None:
    for xpath in paths:
        values = root.xpath(xpath, namespaces=NS)
        if not any(" ".join((v if isinstance(v, str) else "".join(v.itertext())).split()) for v in values):
            problems.append(_error(f"{label}/data/{rel}", f"{rel} lacks {xpath}", root.sourceline or 1))


def check_records(bag_dir: Path, label: str) -> list[Diagnostic]:
    data = bag_dir / "data"
    problems: list[Diagnostic] = []
    tei_files = sorted(p.relative_to(data).as_posix() for p in (data / "tei").rglob("*.xml"))

    for rel in tei_files:
        _parse(data, rel, label, problems)
    corpus = _parse(data, "teiCorpus.xml", label, problems)
    if corpus is not None and len(corpus.findall(f"{{{TEI_NS}}}TEI")) != len(tei_files):
        problems.append(_error(f"{label}/data/teiCorpus.xml",
                               f"teiCorpus.xml holds {len(corpus.findall(f'{{{TEI_NS}}}TEI'))} TEI documents, "
                               f"the package {len(tei_files)}"))

    if (root := _parse(data, "datacite.xml", label, problems)) is not None:
        _require(root, "datacite.xml", label, DATACITE_REQUIRED, problems)

    dc_files = sorted(p.relative_to(data).as_posix() for p in (data / "dc").glob("*.xml"))
    if len(dc_files) != len(tei_files):
        problems.append(_error(f"{label}/data/dc", f"{len(dc_files)} Dublin Core records for {len(tei_files)} TEI files"))
    for rel in dc_files:
        if (root := _parse(data, rel, label, problems)) is not None:
            _require(root, rel, label, DC_REQUIRED, problems)

    if (root := _parse(data, "mets.xml", label, problems)) is not None:
        problems += _check_mets(root, data, label, len(tei_files))

    problems += _check_json(data, "zenodo.json", label, lambda doc: [
        f"zenodo.json lacks metadata.{key}" for key in ZENODO_REQUIRED if not doc.get("metadata", {}).get(key)])
    for path in sorted((data / "jsonld").glob("*.jsonld")):
        rel = path.relative_to(data).as_posix()
        problems += _check_json(data, rel, label, lambda doc: (
            [f"{rel} has no @context"] if "@context" not in doc else []) + [
            f"{rel}: a node lacks @id, @type or name" for node in doc.get("@graph", [])
            if not all(node.get(k) for k in ("@id", "@type", "name"))][:1])
    return problems


def _check_mets(root, data: Path, label: str, tei_count: int) -> list[Diagnostic]:
    """A dmdSec per TEI file, and every other payload file in the fileSec with its checksum."""
    problems = []
    where = f"{label}/data/mets.xml"
    headers = root.findall("mets:dmdSec/mets:mdWrap[@MDTYPE='TEIHDR']", NS)
    if len(headers) != tei_count:
        problems.append(_error(where, f"mets.xml describes {len(headers)} TEI headers, the package has {tei_count}"))
    listed = {}
    for file in root.iterfind(".//mets:fileSec//mets:file", NS):
        flocat = file.find("mets:FLocat", NS)
        if flocat is not None:
            listed[flocat.get(f"{{{NS['xlink']}}}href")] = (file.get("CHECKSUM"), file.sourceline or 1)
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        rel = path.relative_to(data).as_posix()
        if rel == "mets.xml":
            continue
        if rel not in listed:
            problems.append(_error(where, f"mets.xml does not list {rel}"))
        elif listed[rel][0] != hashlib.sha256(path.read_bytes()).hexdigest():
            problems.append(_error(where, f"mets.xml gives a wrong checksum for {rel}", listed[rel][1]))
    return problems


def _check_json(data: Path, rel: str, label: str, required) -> list[Diagnostic]:
    path = data / rel
    where = f"{label}/data/{rel}"
    if not path.is_file():
        return [_error(where, f"missing record {rel}")]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return [_error(where, f"{rel} is not valid JSON: {exc}")]
    return [_error(where, message) for message in required(doc)]
