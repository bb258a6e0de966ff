"""A rebuild of the OAI files is about what changed: after an edit of one document's text the
edition's DataCite record is not made again (its files' extracts are unchanged), the TEI records
and static.xml of the last build are linked, and only the edited file's `tei` record is new; an
edited title makes static.xml again."""

from __future__ import annotations

import os
import shutil

import pytest

from helpers import REPO
from tei_edition.config import load_config
from tei_edition.interfaces.oai import records
from tei_edition.interfaces.oai.static import STATIC_FILE, TEI_FOLDER, write_oai_files
from tei_edition.model.edition import Site
from tei_edition.validate import index_edition
from tei_edition.writers.base import BuildContext

MEETING = "1951-09-09-mutual-aid-conference.xml"


def write(tmp_path, folder):
    config = load_config(tmp_path / "edition.toml")
    indexed = index_edition(config)
    ctx = BuildContext(config, indexed.corpus, indexed.index, incremental=True, log=lambda _: None)
    shutil.rmtree(folder, ignore_errors=True)
    found = write_oai_files(ctx, Site(indexed.index), folder)
    assert not [d for d in found if d.severity == "error"]
    return folder


@pytest.fixture
def published(tmp_path):
    shutil.copytree(REPO / "tei", tmp_path / "tei")
    (tmp_path / "edition.toml").write_text(
        '[edition]\nheader = "tei/edition.xml"\nsources = ["tei/meetings/*.xml"]\n'
        'registers = ["tei/registers/*.xml"]\noutput = "output"\n', encoding="utf-8")
    return write(tmp_path, tmp_path / "output" / "html")


def edit(tmp_path, old: str, new: str) -> None:
    path = tmp_path / "tei" / "meetings" / MEETING
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def inode(path) -> int:
    return os.stat(path).st_ino


def test_an_edit_of_the_text_links_what_did_not_change(tmp_path, published, monkeypatch):
    assert "oai_datacite" in (published / STATIC_FILE).read_text("utf-8")
    edit(tmp_path, "</body>", "<div><p>An edited paragraph.</p></div></body>")
    monkeypatch.setattr(records, "_corpus", lambda *a, **k: pytest.fail("the DataCite record was made again"))
    staging = write(tmp_path, tmp_path / "staging")
    tei = sorted((published / TEI_FOLDER).iterdir())
    assert len(tei) > 3
    changed = [old.name for old in tei if inode(staging / TEI_FOLDER / old.name) != inode(old)]
    assert len(changed) == 1 and b"An edited paragraph" in (staging / TEI_FOLDER / changed[0]).read_bytes()
    assert inode(staging / STATIC_FILE) == inode(published / STATIC_FILE)


def test_an_edited_title_makes_static_xml_again(tmp_path, published):
    text = (tmp_path / "tei" / "meetings" / MEETING).read_text("utf-8")
    start = text.index('<title type="main">') + len('<title type="main">')
    title = text[start:text.index("</title>", start)]
    edit(tmp_path, f">{title}</title>", ">A title changed in a rebuild</title>")
    staging = write(tmp_path, tmp_path / "staging")
    assert inode(staging / STATIC_FILE) != inode(published / STATIC_FILE)
    assert "A title changed in a rebuild" in (staging / STATIC_FILE).read_text("utf-8")
    assert "A title changed in a rebuild" not in (published / STATIC_FILE).read_text("utf-8")


def test_a_published_file_changed_by_hand_is_written_again(tmp_path, published):
    first = sorted((published / TEI_FOLDER).iterdir())[0]
    kept = first.read_bytes()
    first.write_bytes(b"<changed/>")
    staging = write(tmp_path, tmp_path / "staging")
    assert (staging / TEI_FOLDER / first.name).read_bytes() == kept
