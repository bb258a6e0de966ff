"""The deposit package of the bundled edition, checked against the real schemas.

The bundled edition is deposited once per session into a temporary folder; the package's
records are validated against the reference schemas in ../shared/schemas/ (DataCite 4.7,
METS 1.12.1, OAI-DC, TEI P5 tei_all), which the product itself does not ship.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import bagit
import pytest
import xmlschema
from lxml import etree

from tei_edition.config import load_config
from tei_edition.writers.deposit.package import deposit_command
from tei_edition.writers.deposit.bag import check_bag, files_of

from helpers import REPO, SCHEMAS

NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink",
      "tei": "http://www.tei-c.org/ns/1.0", "d": "http://datacite.org/schema/kernel-4",
      "dc": "http://purl.org/dc/elements/1.1/"}


def _bundled_config(folder: Path) -> Path:
    """A config for the bundled edition's own files with the output in `folder`.

    It names the repository's tei/ files and whatever project schemas schema/ holds."""
    schemas = sorted(p for p in (REPO / "schema").glob("*") if p.suffix in {".xsd", ".rng", ".sch"})
    config = folder / "edition.toml"
    config.write_text(
        "[edition]\n"
        f'header = "{REPO / "tei/edition.xml"}"\n'
        f'sources = ["{REPO / "tei/meetings/*.xml"}"]\n'
        f'registers = ["{REPO / "tei/registers/*.xml"}"]\n'
        f"schemas = {json.dumps([str(p) for p in schemas])}\n"
        f'output = "{folder / "output"}"\n', encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def deposited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundled-deposit")
    config = load_config(_bundled_config(folder))
    log: list[str] = []
    code = deposit_command(config, log=log.append)
    assert code == 0, "\n".join(log)
    deposit = config.output / "deposit"
    bags = [p for p in deposit.iterdir() if p.is_dir()]
    assert len(bags) == 1
    return config, bags[0], deposit / f"{bags[0].name}.zip"


def test_package_is_named_after_the_edition_identifier_and_version(deposited):
    _, bag, zip_path = deposited
    header = etree.parse(str(REPO / "tei/edition.xml"))
    idno = header.findtext(".//tei:publicationStmt/tei:idno", namespaces=NS).strip()
    version = header.find(".//tei:editionStmt/tei:edition", NS).get("n")
    assert bag.name == f"{idno}-{version}"
    assert zip_path.is_file()


def test_bag_is_bagit_1_0_and_valid_for_the_library(deposited):
    _, bag, _ = deposited
    assert (bag / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
        assert (bag / name).is_file(), name
    library_bag = bagit.Bag(str(bag))
    assert library_bag.version_info == (1, 0)
    library_bag.validate()  # raises on any problem


def test_bag_info_has_the_fields_from_the_edition_header(deposited):
    _, bag, _ = deposited
    info = bagit.Bag(str(bag)).info
    header = etree.parse(str(REPO / "tei/edition.xml"))
    assert info["Source-Organization"] == header.findtext(".//tei:publicationStmt/tei:publisher", namespaces=NS).strip()
    assert info["External-Identifier"] == header.findtext(".//tei:publicationStmt/tei:idno", namespaces=NS).strip()
    assert header.findtext(".//tei:titleStmt/tei:title", namespaces=NS).strip() in info["External-Description"]
    assert info["Bagging-Date"] == header.find(".//tei:publicationStmt/tei:date", NS).get("when")
    assert info["Contact-Name"]
    payload = files_of(bag / "data")
    assert info["Payload-Oxum"] == f"{sum((bag / 'data' / p).stat().st_size for p in payload)}.{len(payload)}"


def test_every_payload_file_is_in_every_manifest(deposited):
    _, bag, _ = deposited
    payload = {f"data/{p}" for p in files_of(bag / "data")}
    for algorithm in ("sha256", "sha512"):
        listed = {}
        for line in (bag / f"manifest-{algorithm}.txt").read_text().splitlines():
            digest, path = line.split("  ", 1)
            listed[path] = digest
        assert set(listed) == payload
        for path, digest in listed.items():
            assert hashlib.new(algorithm, (bag / path).read_bytes()).hexdigest() == digest
    tag_files = {p for p in files_of(bag) if not p.startswith(("data/", "tagmanifest-"))}
    for algorithm in ("sha256", "sha512"):
        listed = {line.split(" ", 1)[1] for line in (bag / f"tagmanifest-{algorithm}.txt").read_text().splitlines()}
        assert listed == tag_files
    assert check_bag(bag, bag.name) == []


def test_payload_holds_the_original_tei_files_schemas_and_records(deposited):
    config, bag, _ = deposited
    data = bag / "data"
    for path in config.all_files():
        copy = data / "tei" / path.relative_to(REPO / "tei")
        assert copy.read_bytes() == path.read_bytes(), copy
    for schema in config.schemas:
        assert (data / "schema" / schema.name).read_bytes() == schema.read_bytes()
    for name in ("teiCorpus.xml", "datacite.xml", "mets.xml", "zenodo.json"):
        assert (data / name).is_file(), name
    ids = [etree.parse(str(p)).getroot().get("{http://www.w3.org/XML/1998/namespace}id") for p in config.all_files()]
    assert sorted(p.stem for p in (data / "dc").glob("*.xml")) == sorted(ids)
    assert sorted(p.stem for p in (data / "jsonld").glob("*.jsonld")) == sorted(
        etree.parse(str(p)).getroot().get("{http://www.w3.org/XML/1998/namespace}id") for p in config.registers)


def test_every_tei_file_and_the_tei_corpus_are_valid_tei_p5(deposited, tei_all):
    _, bag, _ = deposited
    files = sorted((bag / "data" / "tei").rglob("*.xml")) + [bag / "data" / "teiCorpus.xml"]
    for path in files:
        ok = tei_all.validate(etree.parse(str(path)))
        assert ok, f"{path.name}: {tei_all.error_log.last_error}"


def test_tei_corpus_holds_every_file_with_its_path_as_base(deposited):
    _, bag, _ = deposited
    corpus = etree.parse(str(bag / "data" / "teiCorpus.xml")).getroot()
    assert corpus.tag == "{http://www.tei-c.org/ns/1.0}teiCorpus"
    members = corpus.findall("tei:TEI", NS)
    bases = [m.get("{http://www.w3.org/XML/1998/namespace}base") for m in members]
    assert sorted(bases) == sorted("tei/" + p for p in files_of(bag / "data" / "tei"))
    for member, base in zip(members, bases):
        original = etree.parse(str(bag / "data" / base)).getroot()
        assert etree.tostring(member.find("tei:text", NS)) == etree.tostring(original.find("tei:text", NS))


def test_datacite_record_is_valid_datacite_4_7(deposited):
    _, bag, _ = deposited
    schema = xmlschema.XMLSchema(str(SCHEMAS / "datacite-4.7" / "metadata.xsd"))
    schema.validate(str(bag / "data" / "datacite.xml"))
    record = etree.parse(str(bag / "data" / "datacite.xml"))
    assert record.findtext("d:publicationYear", namespaces=NS) == "2026"
    assert record.find("d:contributors/d:contributor[@contributorType='Editor']", NS) is not None
    rights = record.find("d:rightsList/d:rights", NS)
    assert rights.get("rightsURI") == "https://creativecommons.org/licenses/by/4.0/"
    assert rights.get("rightsIdentifier") == "CC-BY-4.0"


def test_mets_is_valid_and_lists_every_file_with_its_checksum(deposited):
    _, bag, _ = deposited
    schema = xmlschema.XMLSchema(str(SCHEMAS / "mets-1.12.1" / "mets.xsd"))
    schema.validate(str(bag / "data" / "mets.xml"))
    mets = etree.parse(str(bag / "data" / "mets.xml"))
    tei_files = files_of(bag / "data" / "tei")
    assert len(mets.findall("mets:dmdSec/mets:mdWrap[@MDTYPE='TEIHDR']/mets:xmlData/tei:teiHeader", NS)) == len(tei_files)
    listed = {f.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href"): f for f in mets.iterfind(".//mets:file", NS)}
    assert set(listed) == set(files_of(bag / "data")) - {"mets.xml"}
    for path, file in listed.items():
        data = (bag / "data" / path).read_bytes()
        assert file.get("CHECKSUM") == hashlib.sha256(data).hexdigest()
        assert file.get("SIZE") == str(len(data))
        assert file.get("MIMETYPE")
    structure = mets.find("mets:structMap/mets:div", NS)
    assert structure.find("mets:div[@TYPE='documents']/mets:div[@TYPE='document']", NS) is not None


def test_oai_dc_records_are_valid(deposited):
    _, bag, _ = deposited
    schema = xmlschema.XMLSchema(str(SCHEMAS / "oai-dc" / "oai_dc.xsd"))
    records = sorted((bag / "data" / "dc").glob("*.xml"))
    assert records
    for record in records:
        schema.validate(str(record))
        tree = etree.parse(str(record))
        assert tree.findtext("dc:title", namespaces=NS)
        assert "https://creativecommons.org/licenses/by/4.0/" in [r.text for r in tree.iterfind("dc:rights", NS)]


def test_zenodo_json_has_what_the_deposit_api_needs(deposited):
    _, bag, _ = deposited
    meta = json.loads((bag / "data" / "zenodo.json").read_text())["metadata"]
    for key in ("upload_type", "title", "creators", "description", "access_right", "license",
                "publication_date", "keywords", "related_identifiers"):
        assert meta.get(key), key
    assert meta["license"] == "cc-by-4.0"
    assert meta["access_right"] == "open"
    assert all(c["name"] for c in meta["creators"])


def test_jsonld_describes_the_register_entries(deposited):
    _, bag, _ = deposited
    graph = {}
    for path in (bag / "data" / "jsonld").glob("*.jsonld"):
        doc = json.loads(path.read_text())
        assert doc["@context"] == "https://schema.org"
        for node in doc["@graph"]:
            graph[node["@id"]] = node
    types = {node["@type"] for node in graph.values()}
    assert {"Person", "Place", "Organization", "Event"} <= types
    mao = next(n for n in graph.values() if n["name"] == "Mao Zedong")
    assert "http://www.wikidata.org/entity/Q5816" in mao["sameAs"]
    conference = next(n for n in graph.values() if n["@type"] == "Event" and n.get("location"))
    assert all(loc["@id"] in graph for loc in conference["location"])
    # every link leads to a file in the package (IRIs are relative to jsonld/)
    data = bag / "data"
    for node in graph.values():
        for link in [node["@id"]] + [s["@id"] for s in node.get("subjectOf", [])]:
            assert (data / "jsonld" / link.split("#")[0]).resolve().is_file(), link


def test_another_corpus_gives_valid_records_too(tmp_path, tei_all):
    """The synthetic fixture corpus (other names, a DOI-less URL idno, personal names, CC0)."""
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "deposit-minimal", tmp_path / "edition")
    config = load_config(tmp_path / "edition" / "edition.toml")
    log: list[str] = []
    assert deposit_command(config, log=log.append) == 0, "\n".join(log)
    data = config.output / "deposit" / "synthetic-letters-2.0" / "data"
    for path in sorted((data / "tei").rglob("*.xml")) + [data / "teiCorpus.xml"]:
        assert tei_all.validate(etree.parse(str(path))), f"{path.name}: {tei_all.error_log.last_error}"
    xmlschema.XMLSchema(str(SCHEMAS / "datacite-4.7" / "metadata.xsd")).validate(str(data / "datacite.xml"))
    xmlschema.XMLSchema(str(SCHEMAS / "mets-1.12.1" / "mets.xsd")).validate(str(data / "mets.xml"))
    dc = xmlschema.XMLSchema(str(SCHEMAS / "oai-dc" / "oai_dc.xsd"))
    for record in (data / "dc").glob("*.xml"):
        dc.validate(str(record))
