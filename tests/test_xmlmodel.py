"""`<?xml-model?>` checks: a warning when a TEI file lacks the instructions for the configured
schemas, or has one that points nowhere. The corpora here are synthetic, written by the tests."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.model.corpus import Corpus
from tei_edition.validate.xmlmodel import check_xml_model

REPO = Path(__file__).resolve().parents[1]

# A permissive RELAX NG schema: any element in any namespace (synthetic, for these tests only).
ANYTHING_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><ref name="any"/></start>
  <define name="any"><element><anyName/>
    <zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore>
  </element></define>
</grammar>
"""
TEI_BODY = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc>
<titleStmt><title>Synthetic test document</title></titleStmt>
<publicationStmt><publisher>Tests</publisher><availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability></publicationStmt>
<sourceDesc><p>Synthetic.</p></sourceDesc></fileDesc></teiHeader><text><body><p>Text.</p></body></text></TEI>
"""
RNG_PI = '<?xml-model href="{href}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'


def project(tmp_path: Path, documents: dict[str, str]) -> Path:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "test.rng").write_text(ANYTHING_RNG, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name, text in documents.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    config = tmp_path / "edition.toml"
    config.write_text('[edition]\nsources = ["docs/*.xml"]\nschemas = ["schema/test.rng"]\n', encoding="utf-8")
    return config


def diagnostics(config: Path):
    corpus, problems = Corpus.load(load_config(config))
    assert not problems
    return sorted(check_xml_model(corpus))


def test_file_without_instructions_gets_a_warning_with_the_line_to_add(tmp_path):
    config = project(tmp_path, {"bare.xml": '<?xml version="1.0" encoding="UTF-8"?>\n' + TEI_BODY})
    found = diagnostics(config)
    assert [(d.path.endswith("docs/bare.xml"), d.line, d.severity, d.rule) for d in found] == [
        (True, 2, "warning", "xml-model-missing")]
    assert "test.rng" in found[0].message
    assert RNG_PI.format(href="../schema/test.rng").strip() in found[0].hint


def test_instruction_pointing_nowhere_is_broken(tmp_path):
    text = '<?xml version="1.0"?>\n' + RNG_PI.format(href="../schema/gone.rng") + TEI_BODY
    config = project(tmp_path, {"broken.xml": text})
    found = diagnostics(config)
    assert [(d.line, d.rule) for d in found] == [(2, "xml-model-broken"), (2, "xml-model-missing")]
    assert "gone.rng" in found[0].message and "does not exist" in found[0].message


def test_correct_instructions_and_urls_are_quiet(tmp_path):
    text = ('<?xml version="1.0"?>\n' + RNG_PI.format(href="../schema/test.rng")
            + RNG_PI.format(href="https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng") + TEI_BODY)
    config = project(tmp_path, {"good.xml": text})
    assert diagnostics(config) == []


def test_edition_validate_prints_the_warning_and_exits_0(tmp_path):
    config = project(tmp_path, {"bare.xml": TEI_BODY})
    result = CliRunner().invoke(main, ["validate", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "docs/bare.xml:1:1: warning: no <?xml-model?> for the project schema test.rng" in result.output
    assert "[xml-model-missing]" in result.output
    strict = CliRunner().invoke(main, ["validate", "--strict", "--config", str(config)])
    assert strict.exit_code == 1


def test_bundled_edition_files_all_carry_them():
    corpus, _ = Corpus.load(load_config(REPO / "edition.toml"))
    assert list(check_xml_model(corpus)) == []
