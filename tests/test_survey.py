"""`edition new DIR --from CORPUS`: an existing corpus is read as it is, and the config written for it loads,
validates and says why each setting is what it is."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from helpers import SHARED, invoke
from tei_edition.commands.survey import is_register, pointer_form, survey
from tei_edition.config import load_config
from tei_edition.validate import validate
from lxml import etree

CORPORA = SHARED / "corpora"
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0">'
HEADER = "<teiHeader><fileDesc><titleStmt><title>{}</title></titleStmt></fileDesc></teiHeader>"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Letters with back lists that copy the register, a register in standOff, a broken xml-model."""
    corpus = tmp_path / "corpus"
    for n in (1, 2):
        write(corpus / "letters" / f"L{n}.xml",
              f'<?xml-model href="../schema/gone.rng"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="L{n}">'
              + HEADER.format(f"Letter {n}")
              + f'<text><body><p><persName ref="#p1">Anna</persName> and <rs ref="p2">Ben</rs>, '
                f'see <ref target="L{3 - n}">the other letter</ref>; <change who="MAM"/></p></body>'
                '<back><listPerson><person xml:id="p1"><persName>Anna</persName></person></listPerson></back>'
                '</text></TEI>')
    write(corpus / "indices" / "persons.xml",
          TEI + HEADER.format("Persons") + '<standOff><listPerson><person xml:id="p1"><persName>Anna</persName>'
          '</person><person xml:id="p2"><persName>Ben</persName></person></listPerson></standOff></TEI>')
    write(corpus / "notes.xml", "<html><body>not TEI</body></html>")
    return corpus


def test_documents_and_registers_are_told_apart_by_where_their_lists_lie(small_corpus):
    found = survey(small_corpus)
    assert [p.name for p in found.documents] == ["L1.xml", "L2.xml"]  # back lists do not make a register
    assert [p.name for p in found.registers] == ["persons.xml"]      # a list in standOff does
    assert [(p.name, why.startswith("not TEI")) for p, why in found.skipped] == [("notes.xml", True)]
    assert found.forms == {"#id": 2, "bare id": 4, "code": 2}  # rs ref="p2", the letters' ids; who="MAM"
    assert found.missing_schemas == {"../schema/gone.rng": 2}


def test_pointer_forms():
    known, prefixes = {"pmb1", "L1"}, {"person"}
    assert [pointer_form(v, known, prefixes) for v in
            ("#pmb1", "pmb1", "L1", "MAM", "person:x", "status:checked", "https://x.org/a", "toc.html?p=1",
             "../registers/persons.xml#pmb1", "other.xml")] == [
        "#id", "bare id", "bare id", "code", "prefixed", "undeclared prefix", "external", "page",
        "relative URI", "relative URI"]


def test_a_register_is_a_list_in_the_body_not_in_back():
    body = etree.fromstring(TEI + '<text><body><div><listPlace><place xml:id="x"/></listPlace></div></body></text></TEI>')
    back = etree.fromstring(TEI + '<text><body><p/></body><back><listPlace><place xml:id="x"/></listPlace></back></text></TEI>')
    assert is_register(body) and not is_register(back)


def test_the_config_written_beside_the_corpus_loads_and_explains_itself(small_corpus, tmp_path):
    project = tmp_path / "project"
    result = invoke(["new", str(project), "--from", str(small_corpus)], tmp_path)
    assert result.exit_code == 0, result.output
    text = (project / "edition.toml").read_text(encoding="utf-8")
    assert 'sources = ["../corpus/letters/*.xml"]' in text and 'registers = ["../corpus/indices/*.xml"]' in text
    assert "left out: ../corpus/notes.xml: not TEI" in text
    assert "'../schema/gone.rng'" in text  # named by the documents, missing: not used
    levels = tomllib.loads(text)["validation"]["levels"]
    assert levels == {"ref-bare": "off", "ref-code": "warning", "header-licence": "warning"}
    config = load_config(project / "edition.toml")
    assert len(config.sources) == 2 and config.schemas == ()
    found = validate(config)
    assert found.errors == [], [d.format() for d in found.errors]  # every pointer resolves
    assert not [d for d in found.diagnostics if d.rule == "ref-bare"]  # turned off, as the comment says
    again = invoke(["new", str(project), "--from", str(small_corpus)], tmp_path)
    assert again.exit_code == 2 and "exists" in again.output  # never overwritten


def test_a_folder_without_tei_is_refused(tmp_path):
    write(tmp_path / "empty" / "a.xml", "<a/>")
    result = invoke(["new", str(tmp_path / "p"), "--from", str(tmp_path / "empty")], tmp_path)
    assert result.exit_code == 2 and "no TEI documents" in result.output
    assert not (tmp_path / "p" / "edition.toml").exists()


@pytest.mark.parametrize("name, documents, registers", [
    ("schnitzler-briefe", 200, 5), ("bahr-schnitzler-diaries", 300, 4), ("legalkraus", 300, 6)])
def test_each_real_corpus_gets_a_config_that_validates_it(name, documents, registers, tmp_path):
    corpus = CORPORA / name
    if not corpus.is_dir():
        assert os.environ.get("CI") != "true", f"{corpus} is missing: shared/ must sit beside the repository"
        pytest.skip(f"{corpus} is not here")
    result = invoke(["new", str(tmp_path), "--from", str(corpus)], tmp_path)
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "edition.toml")  # a config error would raise here
    assert (len(config.sources), len(config.registers)) == (documents, registers)
    found = validate(config)
    rules = {d.rule for d in found.errors}
    assert rules <= {"ref-id", "ref-document", "ref-malformed", "date-order"}, rules  # the genuine findings
