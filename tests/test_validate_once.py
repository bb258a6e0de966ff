"""Validation parses each file of the edition once (validate/documents.py), with every check still run.

Synthetic 30-document corpus (benchmarks/generate_corpus.py), plus one broken document.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tei_edition.config import load_config
from tei_edition.model import corpus as corpus_module
from tei_edition.validate import documents as documents_module
from tei_edition.validate import validate

from helpers import corpus_copy


def _parsed(monkeypatch) -> Counter:
    seen: Counter = Counter()
    original = corpus_module.parse_file

    def recording(path, display):
        seen[path.name] += 1
        return original(path, display)

    monkeypatch.setattr(corpus_module, "parse_file", recording)
    return seen


def _break(corpus) -> None:
    first = sorted((corpus / "tei" / "meetings").glob("*.xml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("<p>", '<p><ref target="javascript:alert(1)">x</ref>', 1)
                     .replace('when="', 'when="1951-02-30" n="', 1), encoding="utf-8")


def test_each_file_is_parsed_once_and_every_check_runs(tmp_path, monkeypatch):
    corpus = corpus_copy(tmp_path)
    _break(corpus)
    seen = _parsed(monkeypatch)
    result = validate(load_config(corpus / "edition.toml"))
    files = list((corpus / "tei").rglob("*.xml"))
    assert set(seen) == {f.name for f in files}
    assert set(seen.values()) == {1}, {n: c for n, c in seen.items() if c != 1}
    rules = {d.rule for d in result.diagnostics}
    assert {"url-unsafe-scheme", "date-iso"} <= rules
    assert len(result.index.facts) == len(files)


def test_a_pool_reports_what_one_process_does(tmp_path, monkeypatch):
    corpus = corpus_copy(tmp_path)
    _break(corpus)
    config = load_config(corpus / "edition.toml")
    serial = validate(config, jobs=1)
    monkeypatch.setattr(documents_module, "PARALLEL_FROM", 0)  # 30 documents: start the pool anyway
    pooled = validate(config, jobs=2)
    assert pooled.diagnostics == serial.diagnostics
    assert {p: f.as_json() for p, f in pooled.index.facts.items()} == {p: f.as_json() for p, f in serial.index.facts.items()}
    assert [d.path for d in pooled.corpus.documents] == [d.path for d in serial.corpus.documents]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_cannot_be_read_is_reported_and_left_out(tmp_path, monkeypatch, jobs):
    corpus = corpus_copy(tmp_path)
    broken = sorted((corpus / "tei" / "meetings").glob("*.xml"))[1]
    broken.write_text("<TEI><unclosed></TEI>", encoding="utf-8")
    monkeypatch.setattr(documents_module, "PARALLEL_FROM", 0)
    result = validate(load_config(corpus / "edition.toml"), jobs=jobs)
    assert [d.rule for d in result.diagnostics if d.path.endswith(broken.name)] == ["xml-wellformed"]
    assert broken not in {d.path for d in result.corpus.documents}


def test_a_schema_recompiled_after_an_edit_is_the_one_used(tmp_path):
    # edition serve forgets the compiled schemas when one is edited (load_check.cache_clear):
    # nothing between it and the checks may keep the old one
    from lxml import etree

    from tei_edition.model.corpus import Document
    from tei_edition.validate.schemas import load_check

    schema = tmp_path / "rules.sch"
    rule = ('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
            '<sch:pattern><sch:rule context="/*"><sch:assert id="synthetic-rule" test="{test}">'
            'made up</sch:assert></sch:rule></sch:pattern></sch:schema>')
    doc = Document(tmp_path / "doc.xml", "source", etree.ElementTree(etree.fromstring("<doc/>")), "doc.xml")
    schema.write_text(rule.format(test="false()"), encoding="utf-8")
    assert [d.rule for d in documents_module.check_document(doc, (str(schema),))] == ["synthetic-rule"]
    schema.write_text(rule.format(test="true()"), encoding="utf-8")
    load_check.cache_clear()
    assert documents_module.check_document(doc, (str(schema),)) == []
