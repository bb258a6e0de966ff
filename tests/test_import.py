"""`edition import` on the seed record: the draft against the hand-encoded document.

The seed record is what tei/meetings/1951-09-09-mutual-aid-conference.xml transcribes by hand.
The importer must give the same text and link the same names to the same register entries;
where it cannot know what the editors knew, the difference is listed here with its reason.
"""

from __future__ import annotations

import hashlib
import re
import tomllib

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_edition.names import TEI_NS
from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.model.corpus import Corpus, load_document
from tei_edition.commands.importer import find_dates, import_command
from tei_edition.model.index import Index
from tei_edition.validate.schemas import load_check

from helpers import FIDELITY, RECORDS, REPO, SEED, edition_config

HAND = REPO / "tei" / "meetings" / "1951-09-09-mutual-aid-conference.xml"
NS = {"t": TEI_NS}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The seed record imported once for this module: (config path, draft path, log lines, exit code)."""
    folder = tmp_path_factory.mktemp("import")
    config = edition_config(folder)
    lines: list[str] = []
    code = import_command([SEED], out_dir=folder / "drafts", force=False, config_path=config, log=lines.append)
    drafts = sorted((folder / "drafts").glob("*.xml"))
    assert len(drafts) == 1, lines
    return config, drafts[0], lines, code


def text_of(root: etree._Element, drop_editorial: bool) -> str:
    """The text of tei:text, whitespace normalised; each note replaced by [note N]."""
    text = root.find(f"{{{TEI_NS}}}text")
    text = etree.fromstring(etree.tostring(text))
    for note in text.iter(f"{{{TEI_NS}}}note"):
        if drop_editorial and note.get("type") == "editorial":
            marker = ""
        else:
            marker = f"[note {note.get('n')}]"
        tail = note.tail
        note.clear()
        note.text, note.tail = marker, tail
    return " ".join("".join(text.itertext()).split())


def test_import_succeeds_and_reports(imported):
    _, draft, lines, code = imported
    assert code == 0, "\n".join(lines)
    assert any("0 not in the registers" in line for line in lines)
    assert draft.with_suffix(".review.toml").is_file()


def test_text_equals_the_hand_encoded_text(imported):
    """Same text, note for note. Difference, justified: the hand encoding adds an editorial note
    (n="a") on the two accounts of who drafted the resolution; that is an editor's judgement the
    importer cannot make, so it is left out of the comparison (and must be absent from the draft)."""
    _, draft, _, _ = imported
    hand = etree.parse(str(HAND)).getroot()
    mine = etree.parse(str(draft)).getroot()
    assert not mine.xpath("//t:note[@type='editorial']", namespaces=NS)
    # the source note keeps its number, at the same place
    assert text_of(mine, drop_editorial=True) == text_of(hand, drop_editorial=True)
    assert "[note 87]" in text_of(mine, drop_editorial=True)


def test_every_seed_sentence_is_in_the_draft(imported, tmp_path):
    import subprocess
    import sys

    _, draft, _, _ = imported
    plain = tmp_path / "draft.txt"
    plain.write_text(" ".join(etree.parse(str(draft)).getroot().find(f"{{{TEI_NS}}}text").itertext()), encoding="utf-8")
    result = subprocess.run([sys.executable, str(FIDELITY), str(SEED), str(plain)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def linked_names(index: Index, doc) -> set[tuple[str, str, str, str | None]]:
    """(element, text, entity id, role) of every pointer in tei:text outside notes, through the index."""
    found = set()
    body = doc.root.find(f"{{{TEI_NS}}}text")
    for el in body.iter():
        if not isinstance(el.tag, str) or not el.get("ref") and not el.get("corresp"):
            continue
        if any(etree.QName(a).localname == "note" for a in el.iterancestors()):
            continue
        for attr in ("ref", "corresp"):
            for value in (el.get(attr) or "").split():
                entity = index.entity_for(doc, value, attr)
                assert entity is not None, f"{value} in {doc.display} does not resolve"
                found.add((etree.QName(el).localname, " ".join("".join(el.itertext()).split())[:60], entity.id,
                           el.get("role")))
    return found


def test_pointers_go_to_the_same_register_entries(imported):
    config_path, draft, _, _ = imported
    config = load_config(config_path)
    corpus, problems = Corpus.load(config)
    assert not problems
    doc, problems = load_document(draft, "source")
    assert doc is not None and not problems
    corpus.documents.append(doc)
    index = Index(corpus)
    hand = next(d for d in corpus.documents if d.path == HAND)

    mine, theirs = linked_names(index, doc), linked_names(index, hand)
    # What the hand encoding links and the importer cannot, each with the reason:
    only_by_hand = {
        # remark 2's date is the distribution event of the register: only an editor knows that a
        # date in a remark is an event of its own
        ("rs", "December 15, 1951", "distribution-of-resolution-1951", None),
        # "his speech", "The keynote", "The Draft" are descriptions, not names: which document
        # they mean is an editor's reading of the context
        ("rs", "his speech", "liu-shaoqi-keynote-1951", None),
        ("rs", "The keynote", "liu-shaoqi-keynote-1951", None),
        ("rs", "The Draft", "resolution-mutual-aid-1951", None),
    }
    assert theirs - mine == only_by_hand
    assert mine - theirs == set(), "the importer links something the editors did not"

    # the meeting's setting in the header: the same event, place and dates
    def setting(d):
        s = d.root.find(".//t:settingDesc/t:setting", NS)
        return (index.entity_for(d, s.find("t:name", NS).get("ref")).id,
                index.entity_for(d, s.find("t:placeName", NS).get("ref")).id,
                dict(s.find("t:date", NS).attrib))
    assert setting(doc) == setting(hand)
    # the source note points to the same literature
    assert index.entity_for(doc, doc.root.find(".//t:note[@n='87']//t:ref", NS).get("target")).id == "zhao-2007"


def test_same_structure_as_the_hand_encoding(imported):
    """Same fields, lists and numbering. Difference, justified: the hand encoding marks "the end 1952"
    as a date with notAfter="1952-12-31"; the importer marks only the year ("1952", when="1952"),
    since "the end" is not a date form it knows."""
    _, draft, _, _ = imported
    shape = ("//t:div/@subtype | //t:list/@rend | //t:item/@n | //t:head/text() | //t:date/@from | //t:date/@to"
             " | //t:date/@when | //t:date/@notAfter")

    def values(path):
        return [str(v) for v in etree.parse(str(path)).getroot().find(f"{{{TEI_NS}}}text").xpath(
            shape.replace("//", ".//"), namespaces=NS)]
    hand, mine = values(HAND), values(draft)
    assert "1952-12-31" in hand
    assert mine == ["1952" if v == "1952-12-31" else v for v in hand]


def test_draft_is_valid_against_project_schemas_and_tei_all(imported, tei_all):
    config_path, draft, _, _ = imported
    config = load_config(config_path)
    assert any(p.suffix == ".xsd" for p in config.schemas)
    doc, _ = load_document(draft, "source")
    problems = [d.format() for path in config.schemas for d in load_check(path)(doc)]
    assert problems == []
    assert tei_all.validate(doc.tree), tei_all.error_log


def test_draft_carries_xml_model_instructions_that_resolve(imported):
    config_path, draft, _, _ = imported
    config = load_config(config_path)
    hrefs = re.findall(r'<\?xml-model href="([^"]+)"', draft.read_text(encoding="utf-8"))
    assert sorted((draft.parent / h).resolve() for h in hrefs) == sorted(config.schemas)


def test_idempotent_and_never_overwrites_without_force(imported, tmp_path, monkeypatch):
    config_path, draft, _, _ = imported
    first = draft.read_bytes()
    review = draft.with_suffix(".review.toml").read_bytes()
    # a second import into another folder at the same depth gives byte-identical files
    # (the paths to schemas and registers are relative to the draft's folder)
    elsewhere = tmp_path / "drafts"
    assert len(elsewhere.parts) == len(draft.parent.parts)
    code = import_command([SEED], out_dir=elsewhere, force=False, config_path=config_path, log=lambda s: None)
    assert code == 0
    assert (elsewhere / draft.name).read_bytes() == first
    assert (elsewhere / draft.with_suffix(".review.toml").name).read_bytes() == review
    # and again into the same folder, with --force
    code = import_command([SEED], out_dir=draft.parent, force=True, config_path=config_path, log=lambda s: None)
    assert code == 0 and draft.read_bytes() == first
    assert draft.with_suffix(".review.toml").read_bytes() == review
    # without --force an existing file is left alone, with a message, exit 1
    draft.write_bytes(b"<edited/>")
    lines: list[str] = []
    code = import_command([SEED], out_dir=draft.parent, force=False, config_path=config_path, log=lines.append)
    assert code == 1
    assert draft.read_bytes() == b"<edited/>"
    assert any("[import-exists]" in line and "--force" in "\n".join(lines) for line in lines)
    draft.write_bytes(first)


def test_source_date_epoch_sets_the_draft_date(tmp_path, monkeypatch):
    config = edition_config(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert import_command([SEED], out_dir=tmp_path / "out", force=False, config_path=config, log=lambda s: None) == 0
    root = etree.parse(str(next((tmp_path / "out").glob("*.xml")))).getroot()
    assert root.find(".//t:publicationStmt/t:date", NS).get("when") == "1970-01-01"
    assert root.find(".//t:revisionDesc/t:change", NS).get("when") == "1970-01-01"


def registers_digest() -> str:
    h = hashlib.sha256()
    for path in sorted((REPO / "tei" / "registers").glob("*.xml")):
        h.update(path.read_bytes())
    return h.hexdigest()


def test_variants_link_and_unknown_names_are_proposed(tmp_path):
    """Synthetic record: case and hyphenation variants link; names the registers lack are proposed."""
    config = edition_config(tmp_path)
    before = registers_digest()
    result = CliRunner().invoke(main, ["import", str(RECORDS / "variants.txt"), "--out", str(tmp_path / "out"),
                                       "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert registers_digest() == before, "the importer must never edit the registers"
    draft = next((tmp_path / "out").glob("*.xml"))
    root = etree.parse(str(draft)).getroot()

    def ref_of(text):
        hits = [el for el in root.iter() if isinstance(el.tag, str) and el.get("ref") and el.text == text]
        assert hits, text
        return hits[0].get("ref"), hits[0].get("role")
    assert ref_of("Liu Shao-qi") == ("person:liu-shaoqi", "presided")
    assert ref_of("MAO ZEDONG") == ("person:mao-zedong", "presided")
    assert ref_of("Chen Bo-da") == ("person:chen-boda", "speaker")
    assert ref_of("BEIJING")[0] == "place:beijing"
    assert ref_of("mao zedong")[0] == "person:mao-zedong"
    assert ref_of("Central Committee") == ("org:ccp-cc", "convened")
    assert "word mao in lower case" in "".join(root.itertext()), "a lower-case single word is not a name"
    # a wrapped line continues its bullet item
    items = root.xpath("//t:div[@subtype='documents-passed']/t:list/t:item", namespaces=NS)
    assert [" ".join("".join(i.itertext()).split()) for i in items] == [
        '"A Synthetic Resolution on Testing" was passed on September 9-30, 1951, after a long debate.',
        "A second document."]

    review = tomllib.loads(draft.with_suffix(".review.toml").read_text(encoding="utf-8"))
    proposed = {u["name"]: u for u in review["unlinked"]}
    assert set(proposed) == {"Zhou Enlai", "Deng Xiaoping", "delegates of the test committee",
                             "A Synthetic Resolution on Testing", "Synthetic test meeting on cooperatives"}
    zhou = proposed["Zhou Enlai"]
    assert (zhou["kind"], zhou["proposed_id"], zhou["record_line"], zhou["record_col"]) == ("person", "zhou-enlai", 15, 26)
    assert zhou["register"].endswith("registers/persons.xml")
    entry = etree.fromstring(zhou["entry"].replace("xml:id", "id"))
    assert entry.get("id") == "zhou-enlai" and "".join(entry.itertext()) == "Zhou Enlai"
    assert ref_of("Zhou Enlai") == ("person:zhou-enlai", "presided")
    event = etree.fromstring(proposed["Synthetic test meeting on cooperatives"]["entry"].replace("xml:id", "id"))
    assert (event.get("when"), event.get("where")) == ("1951-12-15", "#beijing")
    assert proposed["delegates of the test committee"]["kind"] == "organisation"
    assert proposed["A Synthetic Resolution on Testing"]["kind"] == "document"
    assert "5 not in the registers" in result.output
    # each is also reported as a located warning
    assert "variants.txt:15:26: warning: person \"Zhou Enlai\" is not in the registers" in result.output
    assert result.output.count("[import-unlinked]") == 5
    # until an editor adds the proposed entries, `edition validate` reports exactly those pointers
    from tei_edition.validate import validate
    found = [d for d in validate(load_config(config), extra=[draft]).diagnostics if d.path.endswith(draft.name)]
    assert {d.rule for d in found} == {"ref-id"}
    assert {re.search(r'no xml:id "([^"]+)"', d.message).group(1) for d in found} == {
        u["proposed_id"] for u in review["unlinked"]}


@pytest.mark.parametrize("written, expected", [
    ("9-9-1951 – 30-9-1951", {"from": "1951-09-09", "to": "1951-09-30"}),
    ("9-9-1951 - 30-9-1951", {"from": "1951-09-09", "to": "1951-09-30"}),
    ("9-9-1951", {"when": "1951-09-09"}),
    ("December 15, 1951", {"when": "1951-12-15"}),
    ("15 December 1951", {"when": "1951-12-15"}),
    ("September 1951", {"when": "1951-09"}),
    ("9–30 September 1951", {"from": "1951-09-09", "to": "1951-09-30"}),
    ("September 9-30, 1951", {"from": "1951-09-09", "to": "1951-09-30"}),
    ("28 September – 3 October 1951", {"from": "1951-09-28", "to": "1951-10-03"}),
    ("September 1951 – March 1952", {"from": "1951-09", "to": "1952-03"}),
    ("1953 – 1954", {"from": "1953", "to": "1954"}),
    ("1952", {"when": "1952"}),
    ("29-2-1952", {"when": "1952-02-29"}),
    ("29-2-1951", None),
    ("30-9-1951 – 9-9-1951", None),
])
def test_date_forms(written, expected):
    found = find_dates(written)
    assert len(found) == 1 and found[0][:2] == (0, len(written)), found
    assert found[0][2] == expected


AMBIGUOUS_REGISTER = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Synthetic register for the importer tests: two persons share the short name "Liu". -->
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Persons</title></titleStmt>
<publicationStmt><p>Synthetic.</p></publicationStmt><sourceDesc><p>Synthetic.</p></sourceDesc></fileDesc></teiHeader>
<text><body><listPerson>
<person xml:id="liu-shaoqi"><persName type="main">Liu Shaoqi</persName><persName type="short">Liu</persName></person>
<person xml:id="liu-bocheng"><persName type="main">Liu Bocheng</persName><persName type="short">Liu</persName></person>
</listPerson></body></text></TEI>
"""
AMBIGUOUS_RECORD = """Dates of Meeting:
1-5-1950
Type of Meeting:
Synthetic meeting
Place of Meeting:
Nowhere
Attendance:
Liu presided.
Major Agenda Items:
Speeches/Reports:
Documents passed:
Remarks:
1. Liu spoke, and Liu Bocheng answered.
"""


def test_a_name_several_entries_carry_is_never_guessed(tmp_path):
    (tmp_path / "registers").mkdir()
    (tmp_path / "registers" / "persons.xml").write_text(AMBIGUOUS_REGISTER, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "placeholder.xml").write_text(AMBIGUOUS_REGISTER.replace("liu-", "x-"), encoding="utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["docs/*.xml"]\nregisters = ["registers/*.xml"]\n',
                                           encoding="utf-8")
    (tmp_path / "record.txt").write_text(AMBIGUOUS_RECORD, encoding="utf-8")
    code = import_command([tmp_path / "record.txt"], out_dir=tmp_path / "out", force=False,
                          config_path=tmp_path / "edition.toml", log=lambda s: None)
    assert code == 0
    draft = next((tmp_path / "out").glob("*.xml"))
    root = etree.parse(str(draft)).getroot()
    refs = {el.text: el.get("ref") for el in root.iter(f"{{{TEI_NS}}}persName")}
    assert refs["Liu Bocheng"] == "person:liu-bocheng"
    assert refs["Liu"] not in ("person:liu-shaoqi", "person:liu-bocheng")  # attendance: proposed, not guessed
    review = tomllib.loads(draft.with_suffix(".review.toml").read_text(encoding="utf-8"))
    liu = next(u for u in review["unlinked"] if u["name"] == "Liu")
    assert "liu-bocheng" in liu["note"] and "liu-shaoqi" in liu["note"]
    assert review["ambiguous"] == [{"name": "Liu", "candidates": ["liu-bocheng", "liu-shaoqi"], "record_line": 13}]
    assert "Liu spoke" in "".join(root.itertext())
