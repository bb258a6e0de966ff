"""Incremental builds: after an edit, only what depends on it is rebuilt, and the result is
byte for byte the site a clean build writes.

Synthetic 30-document corpus (benchmarks/generate_corpus.py); HTML only.
"""

from __future__ import annotations

import re

import pytest

from tei_edition.config import load_config
from tei_edition.validate import validate

from helpers import build_html, corpus_copy, edit, rebuilt, site_files

pytestmark = pytest.mark.usefixtures("fixed_build_date")  # builds compared byte for byte


def test_rebuild_after_editing_one_document_rebuilds_only_its_page(tmp_path):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    code, log = build_html(corpus, jobs=1)
    assert code == 0 and rebuilt(log) == {}
    assert any(re.fullmatch(r"html: nothing changed, \d+ page\(s\) reused", line) for line in log), log

    edit(corpus, "meeting-00004.xml", "</body>", '<div type="field" subtype="remarks"><head>Remarks:</head><p>An added paragraph.</p></div></body>')
    code, log = build_html(corpus, jobs=1)
    assert code == 0, "\n".join(log)
    assert rebuilt(log) == {"documents/meeting-00004.html": "source changed"}

    clean = corpus_copy(tmp_path, "clean")
    edit(clean, "meeting-00004.xml", "</body>", '<div type="field" subtype="remarks"><head>Remarks:</head><p>An added paragraph.</p></div></body>')
    assert build_html(clean, jobs=1, incremental=False)[0] == 0
    first, second = site_files(corpus), site_files(clean)
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []
    assert "An added paragraph." in first["documents/meeting-00004.html"].decode()


def test_a_new_mention_rebuilds_the_register_page_it_appears_on(tmp_path):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    page = (corpus / "output" / "html" / "persons" / "person-00030.html").read_text(encoding="utf-8")
    assert "meeting-00004.html" not in page  # the synthetic corpus does not link them yet
    edit(corpus, "meeting-00004.xml", "</body>",
         '<div type="field" subtype="remarks"><head>Remarks:</head><p>Also present: <persName ref="#person-00030">a new name</persName>.</p></div></body>')
    code, log = build_html(corpus, jobs=1)
    assert code == 0, "\n".join(log)
    why = rebuilt(log)
    assert why["documents/meeting-00004.html"] == "source changed"
    assert why["persons/person-00030.html"] == "mentions changed"
    assert "persons/index.html" not in why or why["persons/index.html"] == "linked data changed"
    # pages that do not show meeting-00004 or person-00030 are reused
    assert len(why) < 10, why
    page = (corpus / "output" / "html" / "persons" / "person-00030.html").read_text(encoding="utf-8")
    assert "meeting-00004.html" in page

    clean = corpus_copy(tmp_path, "clean")
    edit(clean, "meeting-00004.xml", "</body>",
         '<div type="field" subtype="remarks"><head>Remarks:</head><p>Also present: <persName ref="#person-00030">a new name</persName>.</p></div></body>')
    assert build_html(clean, jobs=1, incremental=False)[0] == 0
    first, second = site_files(corpus), site_files(clean)
    assert [p for p in first.keys() | second.keys() if first.get(p) != second.get(p)] == []


def test_a_stylesheet_change_rebuilds_every_page(tmp_path, monkeypatch):
    from tei_edition.writers.html import writer as html_module

    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    pages = [p for p in site_files(corpus) if p.endswith(".html")]
    original = html_module.renderer_digest
    monkeypatch.setattr(html_module, "renderer_digest", lambda: original() + "-edited")
    code, log = build_html(corpus, jobs=1)
    assert code == 0
    assert f"  {len(pages)} page(s): stylesheets changed" in log, log


def test_a_config_change_rebuilds_the_pages_it_shows_on(tmp_path):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    with open(corpus / "edition.toml", "a", encoding="utf-8") as f:
        f.write('\n[html]\nbase-url = "https://example.org/edition/"\n')
    code, log = build_html(corpus, jobs=1)
    assert code == 0
    why = rebuilt(log)
    documents = [p for p in site_files(corpus) if p.startswith("documents/") and p.endswith(".html")]
    assert all(why.get(p) == "linked data changed" for p in documents)  # "cite this" uses base-url
    assert "https://example.org/edition/documents/meeting-00004.html" in \
        site_files(corpus)["documents/meeting-00004.html"].decode()


def test_validation_cache_never_hides_a_new_error(tmp_path):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    assert (corpus / "output" / ".cache" / "validate.json").is_file()
    edit(corpus, "meeting-00007.xml", "</body>", "<unknownElement/></body>")
    code, log = build_html(corpus, jobs=1)
    assert code == 1
    text = "\n".join(log)
    assert re.search(r"meeting-00007\.xml:\d+:\d+: error: .*unknownElement.* \[xsd\]", text), text
    # and the cached results equal a fresh, uncached validation
    fresh = validate(load_config(corpus / "edition.toml")).diagnostics
    cached = validate(load_config(corpus / "edition.toml"), cache=corpus / "output").diagnostics
    assert fresh == cached


def test_a_new_process_does_not_read_the_unchanged_sources_again(tmp_path, monkeypatch):
    # the hashes of the last build are taken over for files whose size, times and inode are
    # unchanged (as in a new process: the in-memory memo is emptied first)
    from pathlib import Path

    from tei_edition.cache import store as cache

    corpus = corpus_copy(tmp_path)
    config = load_config(corpus / "edition.toml")
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # the files were written just now: take them as settled
    validate(config, cache=config.output)
    edit(corpus, "meeting-00004.xml", "Synthetic meeting", "Synthetic edited meeting")
    monkeypatch.setattr(cache, "_file_digests", {})
    read: list[str] = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    validate(config, cache=config.output)
    sources = {p.name for p in config.sources}
    assert [name for name in read if name in sources] == ["meeting-00004.xml"] * len(
        [name for name in read if name in sources]) and "meeting-00004.xml" in read
