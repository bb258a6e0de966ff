"""The build cache's records in a long-running process (cache/store.py): what a process wrote
is read back from memory while the file is unchanged, never while another process changed it;
inside `deferred_saves()` a record is removed at once and written only when flushed, so a site
published in between is never described by an old record; `edition serve` flushes after
publishing, and a command-line build after it finds nothing to do.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from helpers import build_html, edit, rebuilt, site_files, synthetic_corpus
from tei_edition.cache import store as store_module
from tei_edition.cache.store import Store, deferred_saves
from tei_edition.commands.serve import Preview
from tei_edition.config import load_config
from tei_edition.runtime.site_update import files_list, published_files


@pytest.fixture
def keeping(monkeypatch):
    """As in edition serve (store.keep_in_memory), undone after the test."""
    monkeypatch.setattr(store_module, "_KEEP", True)


def test_a_command_line_build_keeps_no_record_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "_KEEP", False)
    Store(tmp_path, "x").save({"a": [1]})
    first = Store(tmp_path, "x").data
    assert first == {"a": [1]} and Store(tmp_path, "x").data is not first  # read again: nothing kept
    assert str(tmp_path / ".cache" / "x.json") not in store_module._REMEMBERED


def test_a_saved_record_is_read_from_memory_until_another_process_changes_it(tmp_path, keeping):
    Store(tmp_path, "x").save({"a": [1]})
    first = Store(tmp_path, "x").data
    assert first == {"a": [1]} and Store(tmp_path, "x").data is first  # not parsed again
    path = tmp_path / ".cache" / "x.json"
    time.sleep(0.01)
    path.write_text(json.dumps({"b": 2}), encoding="utf-8")  # another process writes it
    assert Store(tmp_path, "x").data == {"b": 2}
    path.unlink()
    assert Store(tmp_path, "x").data == {}


def test_a_deferred_save_removes_the_record_and_writes_it_when_flushed(tmp_path, keeping):
    Store(tmp_path, "x").save({"old": 1})
    path = tmp_path / ".cache" / "x.json"
    with deferred_saves() as flush:
        Store(tmp_path, "x").save({"new": 2})
        assert not path.exists()  # a process killed now leaves no record of the old site
        assert Store(tmp_path, "x").data == {"new": 2}  # this process knows what it will write
        flush()
        assert json.loads(path.read_text(encoding="utf-8")) == {"new": 2}


def test_a_deferred_save_not_flushed_is_forgotten(tmp_path, keeping):
    Store(tmp_path, "x").save({"old": 1})
    with pytest.raises(RuntimeError):
        with deferred_saves():
            Store(tmp_path, "x").save({"new": 2})
            raise RuntimeError("the build failed")
    assert not (tmp_path / ".cache" / "x.json").exists()
    assert Store(tmp_path, "x").data == {}  # the next build makes that part again


def test_a_listing_changed_by_hand_never_names_a_file_outside_the_site(tmp_path):
    site = tmp_path / "html"
    (site / "a").mkdir(parents=True)
    (site / "a" / "b.html").write_text("x", encoding="utf-8")
    listing = files_list(site)
    listing.parent.mkdir()
    listing.write_text("a/b.html\n../../etc/passwd\n/abs\na/../c", encoding="utf-8")
    assert published_files(site) == {"a/b.html"}
    os.utime(listing, ns=(1, 1))  # another time stamp: read again, not taken from memory
    listing.unlink()
    assert published_files(site) == {"a/b.html"}  # no list: the folder is walked


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    shutil.copytree(synthetic_corpus(10), root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return root


def test_serve_writes_the_records_after_publishing_and_the_next_build_reuses_everything(corpus, monkeypatch):
    log: list[str] = []
    preview = Preview(load_config(corpus / "edition.toml"), port=0, log=log.append)
    try:
        preview.rebuild("first build")
        name = sorted((corpus / "tei" / "meetings").glob("*.xml"))[0].name
        edit(corpus, name, "</body>", "<div type=\"added\"><p>Added in the preview.</p></div></body>")
        published: list[bool] = []
        real_flush = store_module._write_object

        def write(path, data):  # the page is published before any record is written
            published.append("Added in the preview." in (corpus / "output" / "html" / "documents" /
                                                         name.replace(".xml", ".html")).read_text(encoding="utf-8"))
            real_flush(path, data)
        monkeypatch.setattr(store_module, "_write_object", write)
        preview.rebuild("edit")
    finally:
        preview.httpd.server_close()
    assert published and all(published), log
    assert any("rebuilt html" in line for line in log)
    code, build_log = build_html(corpus)
    assert code == 0
    assert rebuilt(build_log) == {} and any("nothing changed" in line for line in build_log)


def test_the_site_after_the_previews_three_steps_is_a_clean_builds_site(corpus, tmp_path, monkeypatch):
    """Pages first, then search, then the machine interfaces (DTS, OAI-PMH, linked data): once
    the three are done the site is the one a clean build makes of the edited sources."""
    preview = Preview(load_config(corpus / "edition.toml"), port=0, log=lambda line: None)
    try:
        preview.rebuild("first build")
        document = sorted((corpus / "tei" / "meetings").glob("*.xml"))[1]
        edit(corpus, document.name, "</body>", '<div type="added"><p>A paragraph for DTS.</p></div></body>')
        preview.rebuild("edit", [document.resolve()])
    finally:
        preview.httpd.server_close()
    dts = corpus / "output" / "html" / "api" / "dts" / "document"
    assert any(b"A paragraph for DTS." in p.read_bytes() for p in dts.rglob("*") if p.is_file())
    clean = tmp_path / "clean"
    shutil.copytree(corpus, clean, ignore=shutil.ignore_patterns("output"))
    monkeypatch.chdir(clean)
    assert build_html(clean)[0] == 0
    assert site_files(corpus) == site_files(clean)
