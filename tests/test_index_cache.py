"""Bounded memory and the persistent index cache.

- The index holds facts, not lxml elements, and only a few source documents stay parsed.
- A rebuild parses only the files that changed (the facts of the others come from
  <output>/.cache/index.json), and still reports what the changed files break.

Synthetic 30-document corpus (benchmarks/generate_corpus.py).
"""

from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from tei_edition.model import corpus as corpus_module
from tei_edition.config import load_config
from tei_edition.validate import validate

from helpers import ADDED, build_html, corpus_copy, edit, rebuilt, site_files

pytestmark = pytest.mark.usefixtures("fixed_build_date")  # builds compared byte for byte


def parsed_files(monkeypatch) -> list[str]:
    """The names of the files the corpus parses from now on."""
    seen: list[str] = []
    original = corpus_module.parse_file

    def recording(path, display):
        seen.append(path.name)
        return original(path, display)

    monkeypatch.setattr(corpus_module, "parse_file", recording)
    return seen


def test_index_keeps_no_elements_and_few_sources_stay_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "RECENT_SOURCES", 4)
    corpus = corpus_copy(tmp_path)
    result = validate(load_config(corpus / "edition.toml"))
    sources = result.corpus.sources
    assert len(sources) == 30
    assert sum(d._tree is not None for d in sources) <= 4
    for record in [*result.index.pointers, *(m for ms in result.index.mentions.values() for m in ms)]:
        values = [getattr(record, f.name) for f in dataclasses.fields(record)]
        assert not any(isinstance(v, etree._Element) for v in values), record
    assert any(m.doc.role == "source" for ms in result.index.mentions.values() for m in ms)
    # a dropped document is parsed again when asked for, with the same content
    dropped = next(d for d in sources if d._tree is None)
    assert dropped.root.get("{http://www.w3.org/XML/1998/namespace}id") == dropped.id


def test_after_the_pages_no_source_stays_parsed_and_the_site_makes_its_elements_again(tmp_path):
    from tei_edition.model.edition import Site

    corpus = corpus_copy(tmp_path)
    result = validate(load_config(corpus / "edition.toml"))
    site = Site(result.index)
    entity = next(iter(result.index.entities.values()))
    card, item = etree.tostring(site.card(entity)), etree.tostring(site.document_list_item(site.documents[0]))
    sources = result.corpus.sources
    sources[0].root  # parsed again
    assert any(d._tree is not None for d in sources) and site._cards and site._items
    corpus_module.drop_parsed_sources()
    site.forget_elements()
    assert all(d._tree is None for d in sources) and not site._cards and not site._items
    assert etree.tostring(site.card(entity)) == card  # made again as it was
    assert etree.tostring(site.document_list_item(site.documents[0])) == item
    assert sources[0].root.get("{http://www.w3.org/XML/1998/namespace}id") == sources[0].id


def test_rebuild_parses_only_the_edited_source(tmp_path, monkeypatch):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    seen = parsed_files(monkeypatch)
    assert build_html(corpus, jobs=1)[0] == 0
    assert not any(name.startswith("meeting-") for name in seen), seen  # registers and header only

    edit(corpus, "meeting-00004.xml", "</body>", ADDED)
    seen.clear()
    code, log = build_html(corpus, jobs=1)
    assert code == 0, "\n".join(log)
    assert [n for n in seen if n.startswith("meeting-")] == ["meeting-00004.xml"]
    assert rebuilt(log) == {"documents/meeting-00004.html": "source changed"}

    clean = corpus_copy(tmp_path, "clean")
    edit(clean, "meeting-00004.xml", "</body>", ADDED)
    assert build_html(clean, jobs=1, incremental=False)[0] == 0
    assert site_files(corpus) == site_files(clean)


def test_a_broken_reference_in_an_edited_file_is_reported_by_the_rebuild(tmp_path):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    edit(corpus, "meeting-00007.xml", "</body>", ADDED.replace("An added paragraph.", '<persName ref="#nobody-here">X</persName>'))
    code, log = build_html(corpus, jobs=1)
    text = "\n".join(log)
    assert code == 1
    assert "meeting-00007.xml:" in text and '"#nobody-here" points to no xml:id' in text and "[ref-id]" in text
    # the error stays until it is fixed, though the file's facts are now cached
    code, log = build_html(corpus, jobs=1)
    assert code == 1 and "[ref-id]" in "\n".join(log)


def test_a_corrupt_index_cache_means_a_full_parse(tmp_path, monkeypatch):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    (corpus / "output" / ".cache" / "index.json").write_text("{not json", encoding="utf-8")
    seen = parsed_files(monkeypatch)
    assert build_html(corpus, jobs=1)[0] == 0
    assert sum(name.startswith("meeting-") for name in seen) == 30
