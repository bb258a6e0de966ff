"""The published files grouped by top folder (runtime/listing.py), and an update that keeps whole
top folders (runtime/site_update.py): their files stay and stay listed, other files neither kept
nor written again are deleted, and a listing no file of which changed is the same object.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_edition.runtime.listing import Listing, top
from tei_edition.runtime.site_update import files_list, published_files, updated_output, updating


def test_a_listing_groups_files_by_their_top_folder():
    listing = Listing.of(["api/dts/a", "api/dts/b", "documents/x.html", "index.html"])
    assert set(listing.groups) == {"api", "documents", "index.html"}
    assert "api/dts/a" in listing and "api/dts/c" not in listing and 3 not in listing
    assert len(listing) == 4 and sorted(listing) == ["api/dts/a", "api/dts/b", "documents/x.html", "index.html"]
    assert listing == {"api/dts/a", "api/dts/b", "documents/x.html", "index.html"}
    assert top("index.html") == "index.html" and top("a/b/c") == "a"


def test_a_changed_listing_shares_its_untouched_groups():
    listing = Listing.of(["api/a", "documents/x.html", "documents/y.html"])
    assert listing.changed({}, {"documents": {"documents/x.html"}}) is listing  # nothing new
    changed = listing.changed({"documents": {"documents/y.html"}}, {"search": {"search/1"}})
    assert changed.groups["api"] is listing.groups["api"]
    assert changed == {"api/a", "documents/x.html", "search/1"}


def site(tmp_path: Path) -> Path:
    folder = tmp_path / "html"
    for rel in ("api/dts/a.json", "api/dts/b.json", "documents/x.html", "documents/gone.html", "index.html"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(rel, encoding="utf-8")
    files_list(folder).parent.mkdir()
    with updated_output(folder) as tmp:  # a first version, listed
        for rel in ("api/dts/a.json", "api/dts/b.json", "documents/x.html", "documents/gone.html", "index.html"):
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(rel, encoding="utf-8")
    return folder


def test_an_update_keeps_whole_top_folders_and_deletes_what_nobody_kept(tmp_path):
    folder = site(tmp_path)
    api_inode = (folder / "api/dts/a.json").stat().st_ino
    with updated_output(folder) as tmp:
        update = updating(tmp)
        assert update.keep_published(("api", "index.html")) == 3
        assert update.keep("documents/x.html")
        (tmp / "documents").mkdir()
        (tmp / "documents" / "new.html").write_text("new", encoding="utf-8")
    assert (folder / "api/dts/a.json").stat().st_ino == api_inode  # kept where it was
    assert not (folder / "documents" / "gone.html").exists()
    assert (folder / "documents" / "new.html").read_text(encoding="utf-8") == "new"
    expected = {"api/dts/a.json", "api/dts/b.json", "documents/x.html", "documents/new.html", "index.html"}
    assert published_files(folder) == expected
    assert set(files_list(folder).read_text(encoding="utf-8").split("\n")) == expected


def test_keeping_all_but_some_top_folders(tmp_path):
    folder = site(tmp_path)
    with updated_output(folder) as tmp:
        updating(tmp).keep_published(("api",), inside=False)
        (tmp / "api" / "dts").mkdir(parents=True)
        (tmp / "api" / "dts" / "a.json").write_text("made again", encoding="utf-8")
    assert (folder / "api/dts/a.json").read_text(encoding="utf-8") == "made again"
    assert not (folder / "api/dts/b.json").exists()  # its writer did not make it again
    assert published_files(folder) == {"api/dts/a.json", "documents/x.html", "documents/gone.html", "index.html"}


def test_keep_published_takes_top_folders_only(tmp_path):
    folder = site(tmp_path)
    with pytest.raises(ValueError), updated_output(folder) as tmp:
        updating(tmp).keep_published("api/dts/")
    assert published_files(folder) == {"api/dts/a.json", "api/dts/b.json", "documents/x.html",
                                       "documents/gone.html", "index.html"}  # nothing published
