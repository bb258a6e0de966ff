"""The letters corpus (schnitzler-briefe): sickle harvests it from `edition serve`, and cmif.xml names every letter.

A subset of the real corpus (eight letters, the registers cut down to the entries they need)
is served by the real preview; sickle harvests every record with resumption tokens and every
response validates. The CMIF file is checked against tei_all and the CMIF profile's rules (the
CMIF RELAX NG schema and its Schematron are published only in the TEI Correspondence SIG's
repository, which no package registry carries; their rules are asserted here one by one).
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from oai_helpers import LETTERS, OAI, TEI, XML_ID, RecordingSickle, assert_valid, letters_subset, response_schema
from tei_edition.build import build
from tei_edition.commands.serve import Preview
from tei_edition.config import load_config

NAMES = [f"L{n:05d}" for n in range(1, 9)]
ISO = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")
AUTHORITY = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    config = letters_subset(tmp_path_factory.mktemp("letters"), NAMES)
    log: list[str] = []
    preview = Preview(load_config(config), port=0, log=log.append)
    preview.start()
    assert (preview.site / "index.html").is_file(), "\n".join(log)
    try:
        yield preview
    finally:
        preview.stop()


@pytest.fixture(scope="module")
def cmif(served):
    return etree.parse(str(served.site / "cmif.xml"))


def test_sickle_harvests_the_letters_corpus(served, tmp_path):
    schema = response_schema(tmp_path)
    registers = len(list((LETTERS / "indices").glob("*.xml")))
    for prefix in ("oai_dc", "tei"):
        sickle = RecordingSickle(served.url + "oai")
        records = list(sickle.ListRecords(metadataPrefix=prefix))
        assert len(records) == len(NAMES) + registers
        page = 1 if prefix == "tei" else 3  # TEI documents one a page: the letters repeat register xml:ids
        assert len(sickle.responses) == -(-len(records) // page), "joined by resumption tokens"
        for body in sickle.responses:
            assert_valid(schema, body)
        if prefix == "oai_dc":  # a letter's record names its page, where readers reach it
            first = next(r for r in records if r.header.identifier.endswith(":L00001"))
            assert "https://letters.example.org/documents/L00001.html" in first.metadata["identifier"]
    sickle = RecordingSickle(served.url + "oai")
    letters = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="letters")]
    assert letters == [f"oai:letters.example.org:{name}" for name in NAMES]
    identify = sickle.Identify()
    assert identify.baseURL == "https://letters.example.org/oai"
    assert identify.adminEmail == "editors@letters.example.org"
    for body in sickle.responses:
        assert_valid(schema, body)


def test_the_static_repository_names_its_gateway_address(served):
    root = etree.parse(str(served.site / "oai" / "static.xml")).getroot()
    assert root.findtext(f".//{OAI}baseURL") == "https://gateway.example.org/oai/letters.example.org/oai/static.xml"


def test_cmif_names_every_letter_and_is_valid_tei(cmif, tei_all):
    assert tei_all.validate(cmif), tei_all.error_log.last_error
    descs = cmif.findall(f".//{TEI}profileDesc/{TEI}correspDesc")
    assert [d.get("key") for d in descs] == NAMES
    assert [d.get("ref") for d in descs] == [f"https://letters.example.org/documents/{n}.html" for n in NAMES]


def test_cmif_follows_the_profile(cmif):
    root = cmif.getroot()
    header = root.find(f"{TEI}teiHeader")
    assert header.findtext(f"{TEI}fileDesc/{TEI}titleStmt/{TEI}title")
    assert header.find(f"{TEI}fileDesc/{TEI}publicationStmt/{TEI}idno[@type='url']").text \
        == "https://letters.example.org/cmif.xml"
    assert ISO.fullmatch(header.find(f"{TEI}fileDesc/{TEI}publicationStmt/{TEI}date").get("when"))
    bibl_ids = {b.get(XML_ID) for b in header.iterfind(f"{TEI}fileDesc/{TEI}sourceDesc/{TEI}bibl")}
    for desc in header.iterfind(f"{TEI}profileDesc/{TEI}correspDesc"):
        assert desc.get("source").removeprefix("#") in bibl_ids  # CMIF E0003
        for kind in ("sent", "received"):  # CMIF E0001, E0002
            assert desc.find(f"{TEI}correspAction[@type='{kind}']") is not None, desc.get("key")
        for date in desc.iter(f"{TEI}date"):  # CMIF E0004, and ISO dates only
            assert date.attrib and all(ISO.fullmatch(v) for v in date.attrib.values())
        for name in desc.iterfind(f"{TEI}correspAction/*[@ref]"):
            assert AUTHORITY.fullmatch(name.get("ref")), etree.tostring(name)
        for ref in desc.iterfind(f"{TEI}note/{TEI}ref"):
            assert ref.get("type").startswith("cmif:") and AUTHORITY.fullmatch(ref.get("target"))


def test_cmif_states_what_the_letter_says(cmif):
    """L00001 (Mamroth to Schnitzler): persons with their GND, places with GeoNames, both dates."""
    desc = cmif.find(f".//{TEI}correspDesc[@key='L00001']")
    sent, received = (desc.find(f"{TEI}correspAction[@type='{k}']") for k in ("sent", "received"))
    assert sent.find(f"{TEI}persName").get("ref") == "https://d-nb.info/gnd/116724919"
    assert sent.find(f"{TEI}persName").text == "Mamroth, Fedor"
    assert sent.find(f"{TEI}placeName").get("ref") == "https://sws.geonames.org/2925533/"
    assert sent.find(f"{TEI}date").attrib == {"when": "1889-08-02"}
    assert received.find(f"{TEI}persName").get("ref") == "https://d-nb.info/gnd/118609807"
    assert received.find(f"{TEI}date").attrib == {"notBefore": "1889-08-03", "notAfter": "1889-08-07"}
    mentioned = {r.get("target") for r in desc.iterfind(f"{TEI}note/{TEI}ref[@type='cmif:mentionsPerson']")}
    assert "https://d-nb.info/gnd/116755105" in mentioned  # Paul Goldmann, named in the text
    assert "https://d-nb.info/gnd/116724919" not in mentioned  # the sender is not "mentioned"
    tei_file = desc.find(f"{TEI}note/{TEI}ref[@type='cmif:isAvailableAsTEIfile']")
    assert tei_file.get("target") == "https://letters.example.org/documents/L00001.xml"


def test_an_edition_without_letters_has_no_cmif_file(site):
    assert not (site / "cmif.xml").exists()
    assert (site / "oai" / "static.xml").is_file()


def test_a_letter_without_an_addressee_is_listed_and_reported(tmp_path):
    config = letters_subset(tmp_path, ["L00001"])
    letter = tmp_path / "letters" / "L00001.xml"
    text = letter.read_text(encoding="utf-8")
    received = re.search(r'<correspAction type="received">\s*(<persName[^>]*>[^<]*</persName>)', text)
    letter.write_text(text.replace(received.group(1), "", 1), encoding="utf-8")
    lines: list[str] = []
    assert build(load_config(config), only=["html"], log=lines.append) == 0, "\n".join(lines)
    reported = [ln for ln in "\n".join(lines).splitlines() if "[cmif-letter]" in ln]
    correspdesc_line = text[:text.index("<correspDesc")].count("\n") + 1
    assert len(reported) == 1 and reported[0].endswith(
        f"letters/L00001.xml:{correspdesc_line}:10: warning: cmif.xml lists this letter without its addressee "
        "[cmif-letter]"), "\n".join(lines)
    desc = etree.parse(str(tmp_path / "output" / "html" / "cmif.xml")).find(f".//{TEI}correspDesc")
    assert desc.get("key") == "L00001"
    assert desc.find(f"{TEI}correspAction[@type='received']/{TEI}persName") is None
    assert desc.find(f"{TEI}correspAction[@type='received']/{TEI}placeName") is not None
