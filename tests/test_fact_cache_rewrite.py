"""The index cache (<output>/.cache/index.json) after a rebuild: only the changed file's facts
are written anew, the others' lines are copied, and the result is the cache a full write gives.

Synthetic 30-document corpus (benchmarks/generate_corpus.py).
"""

from __future__ import annotations

import json

import pytest

from tei_edition.cache import facts as fact_cache

from helpers import ADDED, build_html, corpus_copy, edit

pytestmark = pytest.mark.usefixtures("fixed_build_date")  # builds compared byte for byte


def test_a_rebuild_writes_the_facts_of_the_changed_file_only(tmp_path, monkeypatch):
    corpus = corpus_copy(tmp_path)
    assert build_html(corpus, jobs=1)[0] == 0
    cache = corpus / "output" / ".cache" / "index.json"
    files = len(json.loads(cache.read_text(encoding="utf-8")))
    assert files == 36  # 30 documents, 5 registers, the header
    assert len(cache.read_text(encoding="utf-8").splitlines()) == files + 2  # one file a line

    written: list = []
    original = fact_cache._dumps
    monkeypatch.setattr(fact_cache, "_dumps", lambda value: written.append(value) or original(value))
    edit(corpus, "meeting-00004.xml", "</body>", ADDED)
    assert build_html(corpus, jobs=1)[0] == 0
    assert [w for w in written if isinstance(w, str)] == [str(corpus / "tei" / "meetings" / "meeting-00004.xml")]
    assert len(written) == 2  # its name and its facts
    rebuilt = json.loads(cache.read_text(encoding="utf-8"))

    # the same as the cache written whole from freshly parsed files
    cache.unlink()
    written.clear()
    assert build_html(corpus, jobs=1)[0] == 0
    assert len(written) == 2 * files
    assert json.loads(cache.read_text(encoding="utf-8")) == rebuilt
