"""Deposit checks on a small synthetic corpus (tests/fixtures/deposit-minimal, invented data):
the pre-flight, --verify on damaged bags and zips, reproducibility, PDFs, the build writer."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei_edition.build import build
from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.writers.deposit.package import deposit_command, verify_command

from helpers import SCHEMAS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "deposit-minimal"
NAME = "synthetic-letters-2.0"
NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink",
      "d": "http://datacite.org/schema/kernel-4"}


@pytest.fixture
def edition(tmp_path, monkeypatch) -> Path:
    """A fresh copy of the synthetic corpus; returns its config file."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # dates come from the header unless a test sets it
    shutil.copytree(FIXTURE, tmp_path / "edition")
    return tmp_path / "edition" / "edition.toml"


def run_deposit(config_path: Path) -> tuple[int, str]:
    log: list[str] = []
    code = deposit_command(load_config(config_path), log=log.append)
    return code, "\n".join(log)


def run_verify(path: Path) -> tuple[int, str]:
    log: list[str] = []
    code = verify_command(path, log=log.append)
    return code, "\n".join(log)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- pre-flight --------------------------------------------------------------------------------------

def test_header_without_licence_is_refused_naming_file_and_element(edition):
    header = edition.parent / "tei" / "edition.xml"
    text = header.read_text()
    header.write_text(re.sub(r"\s*<availability.*?</availability>", "", text, flags=re.S))
    code, log = run_deposit(edition)
    assert code == 1
    line = line_of(header, "<publicationStmt>")
    assert re.search(rf"tei/edition\.xml:{line}:\d+: error: a deposit needs a licence URI.*\[deposit-licence\]", log), log
    assert "<licence target=" in log  # the hint shows the element to add
    assert "nothing written" in log
    assert not (edition.parent / "output" / "deposit").exists()


def test_every_missing_field_is_listed_at_once(edition):
    header = edition.parent / "tei" / "edition.xml"
    text = header.read_text()
    for pattern in (r"<author>.*?</author>", r'role="editor"', r"<publisher>.*?</publisher>", r"<date when.*?</date>",
                    r"<idno.*?</idno>", r"<langUsage>.*?</langUsage>", r"<editionStmt>.*?</editionStmt>"):
        text = re.sub(pattern, "", text, count=1, flags=re.S)
    header.write_text(text)
    code, log = run_deposit(edition)
    assert code == 1
    for rule in ("creator", "publisher", "date", "identifier", "language", "version"):
        assert f"[deposit-{rule}]" in log, rule
    assert not (edition.parent / "output" / "deposit").exists()


def test_document_without_title_is_refused(edition):
    letter = edition.parent / "tei" / "docs" / "letter-1.xml"
    edit(letter, '<title type="main">Letter from Carla Muster, 1 March 1900</title>', "")
    code, log = run_deposit(edition)
    assert code == 1
    assert re.search(rf"tei/docs/letter-1\.xml:{line_of(letter, '<titleStmt')}:\d+: .*\[deposit-title\]", log), log


def test_unknown_deposit_option_is_refused(edition):
    edition.write_text(edition.read_text() + '\n[deposit]\nzenodo-upload-type = "novel"\n')
    result = CliRunner().invoke(main, ["deposit", "--config", str(edition)])
    assert result.exit_code == 2  # a usage error, found when the config is loaded
    assert "zenodo-upload-type" in result.output and "'novel'" in result.output
    assert "[config-deposit]" in result.output


def test_failed_deposit_keeps_the_previous_package(edition):
    assert run_deposit(edition)[0] == 0
    zip_path = edition.parent / "output" / "deposit" / f"{NAME}.zip"
    before = sha256(zip_path)
    edit(edition.parent / "tei" / "edition.xml", "<publisher>Example Institute for Testing</publisher>", "")
    assert run_deposit(edition)[0] == 1
    assert sha256(zip_path) == before
    assert run_verify(zip_path)[0] == 0


# -- the package ------------------------------------------------------------------------------------

def test_two_deposits_give_the_same_zip(edition):
    assert run_deposit(edition)[0] == 0
    zip_path = edition.parent / "output" / "deposit" / f"{NAME}.zip"
    first = sha256(zip_path)
    for source in (edition.parent / "tei").rglob("*.xml"):  # new mtimes must not leak into the zip
        source.touch()
    assert run_deposit(edition)[0] == 0
    assert sha256(zip_path) == first
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(n.startswith(f"{NAME}/") for n in names)
        assert {i.date_time for i in archive.infolist()} == {(2024, 5, 17, 0, 0, 0)}  # the header's date


def test_source_date_epoch_fixes_every_date(edition, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    assert run_deposit(edition)[0] == 0
    bag = edition.parent / "output" / "deposit" / NAME
    assert "Bagging-Date: 2023-11-14\n" in (bag / "bag-info.txt").read_text()
    assert etree.parse(str(bag / "data" / "mets.xml")).find("mets:metsHdr", NS).get("CREATEDATE") == "2023-11-14T22:13:20Z"
    with zipfile.ZipFile(bag.parent / f"{NAME}.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_bad_source_date_epoch_is_refused(edition, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    for command in (["deposit"], ["build", "--only", "deposit"], ["validate"]):
        result = CliRunner().invoke(main, [*command, "--config", str(edition)])
        # an environment error, not the data's: the same message for every command
        assert result.exit_code == 2, command
        assert "SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970 [config-epoch]" in result.output
    # set after the config was loaded: the build's first phase still refuses it
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    config = load_config(edition)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-1")
    log: list[str] = []
    assert build(config, only=["deposit"], log=log.append) == 2 and "[config-epoch]" in "\n".join(log)


def test_unwritable_output_is_an_environment_error(edition):
    (edition.parent / "output").write_text("a file where the output folder should be")
    code, log = run_deposit(edition)
    assert code == 2 and "cannot write the package" in log and "[deposit-io]" in log


def test_names_roles_licence_and_identifiers_reach_the_records(edition):
    assert run_deposit(edition)[0] == 0
    data = edition.parent / "output" / "deposit" / NAME / "data"
    xmlschema.XMLSchema(str(SCHEMAS / "datacite-4.7" / "metadata.xsd")).validate(str(data / "datacite.xml"))
    record = etree.parse(str(data / "datacite.xml"))
    creator = record.find("d:creators/d:creator", NS)
    assert creator.findtext("d:creatorName", namespaces=NS) == "Example, Ada"
    assert creator.find("d:creatorName", NS).get("nameType") == "Personal"
    assert creator.findtext("d:familyName", namespaces=NS) == "Example"
    assert record.findtext("d:contributors/d:contributor[@contributorType='Editor']/d:contributorName",
                           namespaces=NS) == "Sample, Ben"
    assert record.find("d:rightsList/d:rights", NS).get("rightsIdentifier") == "CC0-1.0"
    assert record.findtext("d:relatedIdentifiers/d:relatedIdentifier[@relationType='HasPart']",
                           namespaces=NS) == "https://example.org/synthetic-letters/letter-1"
    assert record.findtext("d:dates/d:date[@dateType='Coverage']", namespaces=NS) == "1900-03-01"
    zenodo = json.loads((data / "zenodo.json").read_text())["metadata"]
    assert zenodo["creators"] == [{"name": "Example, Ada"}]
    assert zenodo["license"] == "cc0-1.0" and zenodo["language"] == "deu"
    # the document inherits publisher, licence and date from the edition header
    dc = etree.parse(str(data / "dc" / "letter-1.xml"))
    dcns = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert dc.findtext("dc:publisher", namespaces=dcns) == "Example Institute for Testing"
    assert dc.findtext("dc:date", namespaces=dcns) == "2024-05-17"
    assert [s.text for s in dc.iterfind("dc:subject", dcns)] == ["Carla Muster"]
    assert [c.text for c in dc.iterfind("dc:coverage", dcns)] == ["1900-03-01", "Testville"]
    info = (data.parent / "bag-info.txt").read_text()
    assert "Contact-Email: ben.sample@example.org\n" in info and "Contact-Name: Sample, Ben\n" in info


def test_pdfs_are_packaged_and_linked_to_their_documents(edition):
    pdf = edition.parent / "output" / "pdf"
    (pdf / "documents").mkdir(parents=True)
    # synthetic stand-ins for the print writer's output: only copied and checksummed here
    (pdf / "volume-pdfa.pdf").write_bytes(b"%PDF-1.7\n% synthetic test volume\n%%EOF\n")
    (pdf / "documents" / "letter-1.pdf").write_bytes(b"%PDF-1.7\n% synthetic test letter\n%%EOF\n")
    code, log = run_deposit(edition)
    assert code == 0, log
    data = edition.parent / "output" / "deposit" / NAME / "data"
    assert (data / "pdf" / "volume-pdfa.pdf").read_bytes() == (pdf / "volume-pdfa.pdf").read_bytes()
    assert (data / "pdf" / "documents" / "letter-1.pdf").is_file()
    mets = etree.parse(str(data / "mets.xml"))
    xmlschema.XMLSchema(str(SCHEMAS / "mets-1.12.1" / "mets.xsd")).validate(str(data / "mets.xml"))
    ids = {f.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href"): f.get("ID") for f in mets.iterfind(".//mets:file", NS)}
    letter = mets.find(".//mets:div[@TYPE='document']", NS)
    assert {p.get("FILEID") for p in letter.iterfind("mets:fptr", NS)} == {ids["tei/docs/letter-1.xml"],
                                                                             ids["pdf/documents/letter-1.pdf"]}
    assert mets.find(".//mets:div[@TYPE='volume']/mets:fptr", NS).get("FILEID") == ids["pdf/volume-pdfa.pdf"]


def test_build_only_deposit_makes_the_package(edition):
    config = load_config(edition)
    assert build(config, only=["deposit"], log=lambda _: None) == 0
    assert run_verify(config.output / "deposit" / f"{NAME}.zip")[0] == 0


# -- --verify ---------------------------------------------------------------------------------------

@pytest.fixture
def bag(edition) -> Path:
    assert run_deposit(edition)[0] == 0
    return edition.parent / "output" / "deposit" / NAME


def test_verify_accepts_an_intact_bag_and_zip(bag):
    assert run_verify(bag)[0] == 0
    assert run_verify(bag.parent / f"{NAME}.zip")[0] == 0


def test_verify_names_each_altered_missing_and_extra_file(bag):
    letter = bag / "data" / "tei" / "docs" / "letter-1.xml"
    data = bytearray(letter.read_bytes())
    data[200] ^= 0x01  # one byte
    letter.write_bytes(bytes(data))
    (bag / "data" / "zenodo.json").unlink()
    (bag / "data" / "notes.txt").write_text("not part of the package\n")
    code, log = run_verify(bag)
    assert code == 1
    assert "altered file data/tei/docs/letter-1.xml" in log and "[bag-altered]" in log
    assert "missing file data/zenodo.json" in log and "[bag-missing]" in log
    assert "extra file data/notes.txt" in log and "[bag-extra]" in log
    # each damaged file once, naming every manifest that notices it
    assert log.count("[bag-altered]") == log.count("[bag-missing]") == log.count("[bag-extra]") == 1
    assert "manifest-sha256.txt line" in log and "manifest-sha512.txt line" in log


def test_verify_notices_changed_tag_files(bag):
    edit(bag / "bag-info.txt", "Source-Organization: Example Institute for Testing",
         "Source-Organization: Someone Else")
    code, log = run_verify(bag)
    assert code == 1 and "altered file bag-info.txt" in log


def test_verify_names_a_changed_member_of_the_zip(bag, tmp_path):
    original = bag.parent / f"{NAME}.zip"
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename.endswith("data/datacite.xml"):
                content = content.replace(b"Synthetic", b"Synthetik")
            dst.writestr(info, content)
        dst.writestr(f"{NAME}/data/added.xml", b"<x/>")
    code, log = run_verify(tampered)
    assert code == 1
    assert "altered file data/datacite.xml" in log
    assert "extra file data/added.xml" in log


def test_verify_reports_a_damaged_zip_by_member_name(bag, tmp_path):
    original = (bag.parent / f"{NAME}.zip").read_bytes()
    with zipfile.ZipFile(bag.parent / f"{NAME}.zip") as archive:
        info = archive.getinfo(f"{NAME}/data/teiCorpus.xml")
    damaged = bytearray(original)
    damaged[info.header_offset + 30 + len(info.filename) + 10] ^= 0xFF  # inside the compressed data
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(damaged))
    code, log = run_verify(path)
    assert code == 1 and "data/teiCorpus.xml" in log


def test_verify_refuses_what_is_not_a_bag(tmp_path):
    (tmp_path / "folder").mkdir()
    code, log = run_verify(tmp_path / "folder")
    assert code == 1 and "this is not a bag" in log
    (tmp_path / "file.zip").write_bytes(b"not a zip")
    code, log = run_verify(tmp_path / "file.zip")
    assert code == 1 and "not a readable zip" in log


# -- the command line and a property of --verify -----------------------------------------------------

def test_command_line_exit_codes(edition):


    runner = CliRunner()
    made = runner.invoke(main, ["deposit", "--config", str(edition)])
    assert made.exit_code == 0, made.output
    bag = edition.parent / "output" / "deposit" / NAME
    assert runner.invoke(main, ["deposit", "--verify", str(bag)]).exit_code == 0
    (bag / "data" / "datacite.xml").write_text("changed")
    checked = runner.invoke(main, ["deposit", "--verify", str(bag)])
    assert checked.exit_code == 1 and "altered file data/datacite.xml" in checked.output


@pytest.fixture(scope="module")
def pristine_bag(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pristine")
    shutil.copytree(FIXTURE, folder / "edition")
    assert run_deposit(folder / "edition" / "edition.toml")[0] == 0
    return folder / "edition" / "output" / "deposit" / NAME


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_flipped_byte_is_named(pristine_bag, tmp_path_factory, data):
    bag = tmp_path_factory.mktemp("flip") / NAME
    shutil.copytree(pristine_bag, bag)
    files = [p for p in sorted(bag.rglob("*")) if p.is_file() and not p.name.startswith("tagmanifest-")]
    target = data.draw(st.sampled_from(files), label="file")
    content = bytearray(target.read_bytes())
    position = data.draw(st.integers(0, len(content) - 1), label="byte")
    content[position] ^= data.draw(st.integers(1, 255), label="mask")
    target.write_bytes(bytes(content))
    code, log = run_verify(bag)
    assert code == 1
    assert f"altered file {target.relative_to(bag).as_posix()}" in log, log


def test_a_record_failing_the_self_check_writes_nothing(edition, monkeypatch):
    from tei_edition.writers.deposit import records

    # stand-in for a stylesheet bug: a Zenodo record without the fields the API needs
    monkeypatch.setattr(records.Payload, "write_zenodo",
                        lambda self, corpus: self._record("zenodo.json", '{"metadata": {}}\n'))
    code, log = run_deposit(edition)
    assert code == 1
    assert "zenodo.json lacks metadata.title" in log and "[deposit-record]" in log
    assert not (edition.parent / "output" / "deposit").exists()


def test_keep_going_build_over_sources_with_errors_makes_no_package(edition):
    config = load_config(edition)
    log: list[str] = []
    assert build(config, only=["deposit"], keep_going=True, log=log.append) == 0
    assert (config.output / "deposit").is_dir()  # clean sources: --keep-going changes nothing
    shutil.rmtree(config.output / "deposit")
    source = next(p for p in config.sources)
    source.write_text(source.read_text().replace("</body>", '<p><persName ref="#nobody">X</persName></p></body>', 1))
    log.clear()
    assert build(config, only=["deposit"], keep_going=True, log=log.append) == 1
    assert "[deposit-keep-going]" in "\n".join(log)
    assert not (config.output / "deposit").exists()
