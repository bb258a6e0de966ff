"""A rebuild updates the published site in place (runtime/site_update.py): unchanged files stay where
they are (no link, no copy, the folder is not replaced), new files are moved in whole, files the
new version no longer has are deleted, and a commit cut short is finished by the next build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import edit, site_files, synthetic_corpus
from tei_edition.runtime.lock import clean_debris
from tei_edition.runtime import site_update

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small synthetic edition (DTS on, so every document has many site files), built once."""
    corpus = tmp_path_factory.mktemp("update") / "corpus"
    shutil.copytree(synthetic_corpus(12), corpus)
    assert edition(corpus).returncode == 0
    return corpus


def edition(corpus: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tei_edition.cli", "build", "--only", "html", "--jobs", "1", *args],
                          cwd=corpus, env=ENV, capture_output=True, text=True, timeout=600)


def copy_of(corpus: Path, tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(corpus, target, symlinks=True)
    return target


def first_document(corpus: Path) -> Path:
    return sorted((corpus / "tei" / "meetings").glob("*.xml"))[0]


def add_paragraph(corpus: Path) -> None:
    edit(corpus, first_document(corpus).name, "</body>", '<div type="edit"><p>An added paragraph.</p></div></body>')


def clean_build_of(corpus: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.copytree(corpus, clean, ignore=shutil.ignore_patterns("output"))
    assert edition(clean).returncode == 0
    return site_files(clean)


def test_a_rebuild_keeps_the_unchanged_files_where_they_are(built, tmp_path):
    corpus = copy_of(built, tmp_path)
    site = corpus / "output" / "html"
    kept = sorted(p for p in (site / "api" / "dts").rglob("*.json"))[-1]  # a DTS answer of another document
    before = (os.stat(site).st_ino, os.stat(kept).st_ino, os.stat(kept).st_nlink)
    add_paragraph(corpus)
    done = edition(corpus)
    assert done.returncode == 0, done.stdout + done.stderr
    # the same folder (not a new one swapped in) and the same file, with no second link to it
    assert (os.stat(site).st_ino, os.stat(kept).st_ino, os.stat(kept).st_nlink) == before
    assert "An added paragraph." in (site / "documents" / (first_document(corpus).stem + ".html")).read_text()
    assert site_files(corpus) == clean_build_of(corpus, tmp_path)
    assert not [p.name for p in corpus.joinpath("output").iterdir() if ".staging-" in p.name or ".commit-" in p.name]


def test_files_of_a_removed_document_are_deleted(built, tmp_path):
    corpus = copy_of(built, tmp_path)
    site = corpus / "output" / "html"
    gone = first_document(corpus)
    assert (site / "documents" / f"{gone.stem}.html").is_file()
    assert list((site / "api" / "dts").rglob(f"{gone.stem}*"))
    gone.unlink()
    done = edition(corpus)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # its mentions may now be unused
    assert not (site / "documents" / f"{gone.stem}.html").exists()
    assert not list((site / "api" / "dts").rglob(f"{gone.stem}*"))
    assert site_files(corpus) == clean_build_of(corpus, tmp_path)


def test_a_commit_cut_short_is_finished_by_the_next_build(built, tmp_path, monkeypatch):
    corpus = copy_of(built, tmp_path)
    site = corpus / "output" / "html"
    add_paragraph(corpus)
    moves = []
    real_replace = os.replace

    def dies_after_two_moves(source, target):
        if str(target).startswith(str(site)) and ".staging-" in str(source):
            moves.append(target)
            if len(moves) > 2:
                raise KeyboardInterrupt  # as if the build were stopped in the middle of its commit
        return real_replace(source, target)

    monkeypatch.setattr(site_update.os, "replace", dies_after_two_moves)
    monkeypatch.chdir(corpus)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    from tei_edition.build import build
    from tei_edition.config import load_config

    with pytest.raises(KeyboardInterrupt):
        build(load_config(corpus / "edition.toml"), only=["html"], jobs=1, log=lambda line: None)
    monkeypatch.setattr(site_update.os, "replace", real_replace)
    journals = list(corpus.joinpath("output").glob(".html.commit-*"))
    assert journals, "the commit had started: its journal must be there"
    done = clean_debris(corpus / "output")
    assert any(line.startswith("finished the update") for line in done)
    assert not list(corpus.joinpath("output").glob(".html.*"))
    assert site_files(corpus) == clean_build_of(corpus, tmp_path)


def test_a_journal_never_deletes_outside_the_published_folder(tmp_path):
    final = tmp_path / "html"
    (final / "a").mkdir(parents=True)
    (final / "a" / "old.html").write_text("old")
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    staging = tmp_path / ".html.staging-7"
    staging.mkdir()
    (staging / "new.html").write_text("new")
    journal = tmp_path / ".html.commit-7"
    journal.write_text('{"delete": ["a/old.html", "../precious.txt", "/etc/hostname"]}')
    site_update.finish_commit(journal)
    assert (final / "new.html").read_text() == "new"
    assert not (final / "a").exists()  # emptied by the deletion, removed
    assert outside.read_text() == "keep me"
    assert not staging.exists() and not journal.exists()
