"""OAI-PMH: sickle harvests `edition serve`'s /oai on the bundled edition; every response is valid.

Runs the real preview (tests/test_serve.py's Preview) over a copy of the bundled edition with a
page size of 2, so every list needs resumption tokens. Every response is validated against the
OAI-PMH 2.0 schema with the oai_dc and DataCite 4.7 schemas for the records; TEI records against
tei_all. Every error condition of the protocol has a request here that causes it.
"""

from __future__ import annotations

import dataclasses
import shutil
import urllib.error
import urllib.request

import pytest
from lxml import etree

from helpers import REPO
from oai_helpers import OAI, RecordingSickle, assert_valid, error_code, oai_get, response_schema
from tei_edition.commands.serve import Preview, wait_for
from tei_edition.config import load_config
from tei_edition.interfaces.oai import endpoint
from tei_edition.build import build
from tei_edition.interfaces.oai.repository import Data, Entry, Repository, read_repository
from tei_edition.interfaces.oai.static import SR, check_static

TEI_FILES = 7  # the bundled edition: its header, five registers and one meeting record


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    return response_schema(tmp_path_factory.mktemp("schemas"))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = tmp_path_factory.mktemp("bundled")
    for name in ("tei", "schema"):
        shutil.copytree(REPO / name, project / name)
    text = (REPO / "edition.toml").read_text(encoding="utf-8")
    (project / "edition.toml").write_text(text + '\n[oai]\npage-size = 2\n', encoding="utf-8")
    log: list[str] = []
    preview = Preview(load_config(project / "edition.toml"), port=0, log=log.append)
    preview.start()
    try:
        yield preview, project
    finally:
        preview.stop()


def c14n(el: etree._Element) -> bytes:
    return etree.tostring(el, method="c14n", exclusive=True)


def harvest(preview, schema, verb: str, **params) -> tuple[list, RecordingSickle]:
    sickle = RecordingSickle(preview.url + "oai")
    items = list(getattr(sickle, verb)(**params))
    for body in sickle.responses:
        assert_valid(schema, body)
    return items, sickle


def test_sickle_harvests_every_record_in_every_format_page_by_page(served, schema, tei_all):
    preview, _ = served
    records, sickle = harvest(preview, schema, "ListRecords", metadataPrefix="oai_dc")
    assert len(records) == TEI_FILES
    assert len({r.header.identifier for r in records}) == TEI_FILES
    assert len(sickle.responses) == 4, "7 records, 2 a page: 4 pages, joined by resumption tokens"
    assert all(r.metadata["title"] for r in records)
    tei, pages = harvest(preview, schema, "ListRecords", metadataPrefix="tei")
    assert [r.header.identifier for r in tei] == [r.header.identifier for r in records]
    assert len(pages.responses) == TEI_FILES, "TEI documents travel one a page (they may share xml:ids)"
    for record, body in zip(tei, pages.responses):  # sickle's own parse drops blank text: read the response
        document = etree.fromstring(body).find(f".//{OAI}metadata")[0]
        assert tei_all.validate(etree.ElementTree(document)), (record.header.identifier, tei_all.error_log.last_error)
        name = record.header.identifier.rsplit(":", 1)[1]
        source = etree.parse(str(preview.site / "oai" / "tei" / f"{name}.xml")).getroot()
        assert c14n(document) == c14n(source), "the TEI file as it is, whitespace and all"
    datacite, _ = harvest(preview, schema, "ListRecords", metadataPrefix="oai_datacite")
    assert [r.header.identifier for r in datacite] == ["oai:ccp-leadership-meetings:edition"]
    identifiers, _ = harvest(preview, schema, "ListIdentifiers", metadataPrefix="oai_dc")
    assert [h.identifier for h in identifiers] == [r.header.identifier for r in records]
    for record in records:
        body = oai_get(preview.url + "oai", verb="GetRecord", identifier=record.header.identifier,
                       metadataPrefix="oai_dc")
        assert assert_valid(schema, body).find(f".//{OAI}identifier").text == record.header.identifier


def test_identify_formats_and_sets(served, schema):
    preview, _ = served
    sickle = RecordingSickle(preview.url + "oai")
    identify = sickle.Identify()
    assert identify.repositoryName == "Meetings of the Chinese Communist Party Leadership"
    assert identify.granularity == "YYYY-MM-DD" and identify.deletedRecord == "no"
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats()] == ["oai_dc", "oai_datacite", "tei"]
    document = "oai:ccp-leadership-meetings:meeting-1951-09-09-mutual-aid"
    assert [f.metadataPrefix for f in sickle.ListMetadataFormats(identifier=document)] == ["oai_dc", "tei"]
    assert {s.setSpec for s in sickle.ListSets()} == {"documents", "registers"}
    for body in sickle.responses:
        assert_valid(schema, body)
    registers, _ = harvest(preview, schema, "ListIdentifiers", metadataPrefix="oai_dc", set="registers")
    assert len(registers) == 5 and all("registers" in h.setSpecs for h in registers)
    documents, _ = harvest(preview, schema, "ListIdentifiers", metadataPrefix="tei", set="documents")
    assert [h.identifier for h in documents] == [document]


def test_from_and_until_select_by_datestamp(served, schema):
    preview, _ = served
    headers, _ = harvest(preview, schema, "ListIdentifiers", metadataPrefix="oai_dc")
    stamps = sorted({h.datestamp for h in headers})
    first, last = stamps[0], stamps[-1]
    assert len(harvest(preview, schema, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": first})[0]) == TEI_FILES
    assert len(harvest(preview, schema, "ListIdentifiers", metadataPrefix="oai_dc", until=last)[0]) == TEI_FILES
    later = harvest(preview, schema, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": last})[0]
    assert {h.datestamp for h in later} == {last}


ERRORS = [
    ({}, "badVerb"),
    ({"verb": "ListEverything"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "GetRecord", "identifier": "oai:ccp-leadership-meetings:register-persons"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "tei"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1951-09"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "bWV0YWRhdGFQcmVmaXg9b2FpX2RjJmM9Mg=="}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": "oai:ccp-leadership-meetings:meeting-1951-09-09-mutual-aid",
      "metadataPrefix": "oai_datacite"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "identifier": "oai:elsewhere:nothing", "metadataPrefix": "oai_dc"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:elsewhere:nothing"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "letters"}, "noRecordsMatch"),
]


@pytest.mark.parametrize("query,code", ERRORS, ids=[f"{c}-{i}" for i, (_, c) in enumerate(ERRORS)])
def test_every_error_condition(served, schema, query, code):
    preview, _ = served
    pairs = [(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])]
    url = preview.url + "oai?" + "&".join(f"{k}={urllib.request.quote(v)}" for k, v in pairs)
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    root = assert_valid(schema, body)
    assert error_code(body) == code, body.decode()
    assert not root.find(f"{OAI}request").attrib, "a request with an error repeats no arguments"


def test_post_is_answered_like_get(served, schema):
    preview, _ = served
    request = urllib.request.Request(preview.url + "oai", data=b"verb=ListMetadataFormats", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    assert len(assert_valid(schema, body).findall(f".//{OAI}metadataFormat")) == 3


def test_a_repository_without_sets_says_so(served, schema, tmp_path):
    """noSetHierarchy: the static file alone (a gateway's view) has no sets."""
    preview, _ = served
    (tmp_path / "html" / "oai").mkdir(parents=True)
    shutil.copy(preview.site / "oai" / "static.xml", tmp_path / "html" / "oai" / "static.xml")
    config = dataclasses.replace(preview.config, output=tmp_path)
    for query in ({"verb": ["ListSets"]}, {"verb": ["ListRecords"], "metadataPrefix": ["oai_dc"], "set": ["documents"]}):
        response = endpoint.handle(config, "/oai", query)
        assert_valid(schema, response.body)
        assert error_code(response.body) == "noSetHierarchy"


def test_an_item_without_formats_says_so(schema):
    """noMetadataFormats: every file of an edition has oai_dc and tei, so only a repository made
    by hand can hold an item without any."""
    repository = Repository({"repositoryName": "x", "adminEmail": "a@b.org", "earliestDatestamp": "2020-01-01"},
                            [], {"oai:x:empty": Entry("oai:x:empty", "2020-01-01")}, None)
    body = endpoint.answer(Data(repository, "http://localhost/oai", 10),
                           {"verb": ["ListMetadataFormats"], "identifier": ["oai:x:empty"]})
    assert_valid(schema, body)
    assert error_code(body) == "noMetadataFormats"


def test_a_rebuild_invalidates_the_tokens_of_an_earlier_harvest(served, schema):
    preview, project = served
    first = etree.fromstring(oai_get(preview.url + "oai", verb="ListIdentifiers", metadataPrefix="oai_dc"))
    token = first.find(f".//{OAI}resumptionToken").text
    header = project / "tei" / "edition.xml"
    text = header.read_text(encoding="utf-8")
    changed = text.replace("<revisionDesc>", '<revisionDesc><change when="2030-01-01">A later change.</change>', 1)
    assert changed != text
    before = preview.rebuilds
    try:
        header.write_text(changed, encoding="utf-8")
        assert wait_for(lambda: preview.rebuilds > before, 60)
        body = oai_get(preview.url + "oai", verb="ListIdentifiers", resumptionToken=token)
        assert_valid(schema, body)
        assert error_code(body) == "badResumptionToken"
    finally:
        before = preview.rebuilds
        header.write_text(text, encoding="utf-8")
        wait_for(lambda: preview.rebuilds > before, 60)


def test_the_static_repository_keeps_the_rules_and_its_records_validate(served, schema):
    preview, _ = served
    root = etree.parse(str(preview.site / "oai" / "static.xml")).getroot()
    assert check_static(root) == []
    for listing in root.iterfind(f"{{{SR}}}ListRecords"):
        envelope = etree.fromstring(
            b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-01-01T00:00:00Z</responseDate>'
            b'<request verb="ListRecords" metadataPrefix="x">http://localhost/oai</request><ListRecords/></OAI-PMH>')
        for record in listing:
            envelope.find(f"{OAI}ListRecords").append(record)
        assert_valid(schema, etree.tostring(envelope))
    # a header with a set breaks the rules: static repositories have none
    root = etree.parse(str(preview.site / "oai" / "static.xml")).getroot()
    record = root.find(f"{{{SR}}}ListRecords/{OAI}record/{OAI}header")
    etree.SubElement(record, f"{OAI}setSpec").text = "documents"
    assert any("no sets" in p for p in check_static(root))


def test_documents_in_several_folders_are_collections(tmp_path):
    """Sets per collection: the folder a document lies in, below `documents`, when there are several."""
    project = tmp_path / "two-folders"
    for name in ("tei", "schema"):
        shutil.copytree(REPO / name, project / name)
    meeting = next((project / "tei" / "meetings").glob("*.xml"))
    (project / "tei" / "later").mkdir()
    text = meeting.read_text(encoding="utf-8")
    (project / "tei" / "later" / "copy.xml").write_text(
        text.replace("meeting-1951-09-09-mutual-aid", "later-meeting"), encoding="utf-8")
    config = (REPO / "edition.toml").read_text(encoding="utf-8").replace(
        'sources = ["tei/meetings/*.xml"]', 'sources = ["tei/meetings/*.xml", "tei/later/*.xml"]')
    (project / "edition.toml").write_text(config, encoding="utf-8")
    lines: list[str] = []
    assert build(load_config(project / "edition.toml"), only=["html"], log=lines.append) == 0, "\n".join(lines)
    sets = etree.parse(str(project / "output" / "html" / "oai" / "sets.xml")).getroot()
    members = {s.get("spec"): [r.get("identifier").rsplit(":", 1)[1] for r in s] for s in sets}
    assert members["documents:meetings"] == ["meeting-1951-09-09-mutual-aid"]
    assert members["documents:later"] == ["later-meeting"]
    assert sorted(members["documents"]) == ["later-meeting", "meeting-1951-09-09-mutual-aid"]
    repository = read_repository(project / "output" / "html")
    data = Data(repository, "http://localhost/oai", 10)
    body = endpoint.answer(data, {"verb": ["ListIdentifiers"], "metadataPrefix": ["oai_dc"], "set": ["documents:later"]})
    assert [h.findtext(f"{OAI}identifier") for h in etree.fromstring(body).iter(f"{OAI}header")] == [
        "oai:ccp-leadership-meetings:later-meeting"]


def test_a_bad_form_or_a_failing_endpoint_is_answered_not_dropped(served, monkeypatch):
    preview, _ = served
    request = urllib.request.Request(preview.url + "oai", data=b"verb=Identify", method="POST",
                                     headers={"Content-Length": "x"})
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(request, timeout=10)
    assert bad.value.code == 400

    def broken(config, path, query):
        raise RuntimeError("the schema was saved half-written")

    from tei_edition.commands import endpoints
    monkeypatch.setitem(endpoints.ENDPOINTS, "/broken", broken)
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(preview.url + "broken", timeout=10)
    assert failed.value.code == 500 and b"half-written" in failed.value.read()
