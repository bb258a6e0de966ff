"""Bad or hostile input at the edges of the writers: file names from xml:ids, links from the
header, the order of --only, validation of a named file that does not parse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path


from tei_edition.build import writers_to_run

from helpers import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "validate"


def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "base", root)  # synthetic, no schemas configured
    return root


def test_an_xml_id_cannot_write_outside_the_output(tmp_path):
    root = corpus(tmp_path)
    doc = root / "docs" / "good.xml"
    doc.write_text(doc.read_text().replace('xml:id="doc-good"', 'xml:id="../../../escaped"'))
    result = invoke(["build", "--only", "pdf", "--only", "deposit", "--keep-going", "--jobs", "1"], root)
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "escaped" in p.name}
    assert written, result.output  # the document's PDF was made ...
    assert all(p.parts[:3] == ("corpus", "output", "pdf") for p in written), written  # ... inside output/pdf


def test_a_javascript_licence_never_becomes_a_link(tmp_path):
    root = corpus(tmp_path)
    header = root / "edition.xml"
    header.write_text(header.read_text().replace("https://creativecommons.org/licenses/by/4.0/", "javascript:alert(1)"))
    invoke(["build", "--only", "html", "--keep-going", "--jobs", "1"], root)
    pages = [p for p in (root / "output" / "html").rglob("*.html")]
    assert pages
    assert not [p for p in pages if "javascript:" in p.read_text(encoding="utf-8")]


def test_writers_run_in_build_order_and_html_brings_its_search_index(tmp_path):
    log: list[str] = []
    assert writers_to_run(["search", "html"], log.append) == ["html"]  # html indexes its own pages
    assert writers_to_run(["deposit", "pdf"], log.append) == ["pdf", "deposit"]
    assert writers_to_run(["search"], log.append) == ["search"]
    assert writers_to_run([], log.append) == ["html", "pdf", "deposit"]
    root = corpus(tmp_path)
    result = invoke(["build", "--only", "html", "--jobs", "1"], root)
    assert result.exit_code == 0, result.output
    assert (root / "output" / "html" / "pagefind" / "pagefind-ui.js").is_file()  # published with its index


def test_validating_a_named_file_that_does_not_parse_reports_it(tmp_path):
    root = corpus(tmp_path)
    (root / "docs" / "empty.xml").write_text("")
    (root / "docs" / "latin1.xml").write_bytes('<?xml version="1.0"?><TEI>caf\xe9</TEI>'.encode("latin-1"))
    for name in ("empty.xml", "latin1.xml"):
        result = invoke(["validate", "--format", "json", f"docs/{name}"], root)
        assert result.exit_code == 1, result.output
        assert [d["rule"] for d in json.loads(result.output)] == ["xml-wellformed"]


def test_invisible_characters_in_messages_are_spelled_out(tmp_path):
    # a right-to-left override in a broken pointer must not reorder the terminal line it is printed on
    root = corpus(tmp_path)
    doc = root / "docs" / "good.xml"
    doc.write_text(doc.read_text().replace('ref="#ada"', 'ref="#ada\u202eevil"', 1))
    result = invoke(["validate"], root)
    assert result.exit_code == 1
    assert "\u202e" not in result.output
    assert "ada<U+202E>evil" in result.output


def test_c1_control_characters_are_reported_as_mojibake(tmp_path):
    # legal XML, but a page would show U+0085 as "…": the editor is told, with the place
    root = corpus(tmp_path)
    doc = root / "docs" / "good.xml"
    text = doc.read_text()
    doc.write_text(text.replace("Ada</persName> met", "Ada</persName> met\u0085", 1))
    # (not str.splitlines: it would break the line at U+0085 itself; XML does not)
    line = next(i for i, t in enumerate(doc.read_text().split("\n"), 1) if "\u0085" in t)
    result = invoke(["validate", "--format", "json"], root)
    found = [d for d in json.loads(result.output) if d["rule"] == "text-control-char"]
    col = doc.read_text().split("\n")[line - 1].index("<p>") + 1
    assert [(d["path"], d["line"], d["col"], d["severity"]) for d in found] == [("docs/good.xml", line, col, "warning")]
    assert 'U+0085 (in Windows-1252 "…")' in found[0]["message"]


def test_the_output_folder_is_never_read_as_sources(tmp_path):
    # a pattern that also matches the TEI copies the web edition publishes
    root = corpus(tmp_path)
    toml = root / "edition.toml"
    toml.write_text(toml.read_text().replace('sources = ["docs/*.xml"]', 'sources = ["**/doc*/*.xml"]')
                    + 'output = "docs/out"\n')
    for _ in range(2):  # the second build sees the first one's output below the pattern
        result = invoke(["build", "--only", "html", "--jobs", "1"], root)
        assert result.exit_code == 0, result.output
