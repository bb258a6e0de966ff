"""`edition new DIR`: the new project validates cleanly and builds at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree, html

from tei_edition.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "letters-of-example"
    result = CliRunner().invoke(main, ["new", str(folder)])
    assert result.exit_code == 0, result.output
    assert "next: cd" in result.output
    return folder


def test_layout(project):
    files = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    assert files == [
        "edition.toml", "records/example-record.txt", "schema/edition.sch", "schema/edition.xsd",
        "tei/documents/1950-03-01-example-meeting.xml", "tei/edition.xml",
        "tei/registers/documents.xml", "tei/registers/events.xml", "tei/registers/organisations.xml",
        "tei/registers/persons.xml", "tei/registers/places.xml",
    ]
    # the project's own schema, copied as it is
    for name in ("edition.xsd", "edition.sch"):
        assert (project / "schema" / name).read_bytes() == (REPO / "schema" / name).read_bytes()
    title = etree.parse(str(project / "tei" / "edition.xml")).findtext(".//{*}titleStmt/{*}title")
    assert title == "Letters of example"


def test_validates_without_errors_or_warnings(project):
    result = CliRunner().invoke(main, ["validate", "--config", str(project / "edition.toml")])
    assert result.exit_code == 0, result.output
    # no warnings either: every file carries its xml-model instructions, every entry is used
    assert result.output.strip().endswith("0 error(s), 0 warning(s)"), result.output


def test_builds(project):
    result = CliRunner().invoke(main, ["build", "--config", str(project / "edition.toml")])
    assert result.exit_code == 0, result.output
    site = project / "output" / "html"
    assert (site / "index.html").is_file()
    pages = [p for p in site.rglob("*.html") if "Example Person" in p.read_text(encoding="utf-8")]
    assert pages, "the example document's names reach the HTML edition"
    doc = html.parse(str(next(site.glob("documents/*.html"))))
    assert doc.xpath("//text()[contains(., 'Example meeting')]")


def test_source_date_epoch_makes_it_reproducible(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    for name in ("a", "b"):
        assert CliRunner().invoke(main, ["new", str(tmp_path / name / "same")]).exit_code == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes(), path
    assert 'when="1970-01-02"' in (tmp_path / "a" / "same" / "tei" / "edition.xml").read_text(encoding="utf-8")


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["new", str(tmp_path)])
    assert result.exit_code == 2
    assert "not an empty folder" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
