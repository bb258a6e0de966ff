"""Interrupted and overlapping builds: a build killed at any moment (SIGKILL, no chance to clean
up) leaves the previous output as it was, or the new one complete, never a mix inside one
output folder and never nothing; the next build succeeds. Two builds at once do not write
into each other's output: the second stops with a message naming the first.

The corpus is the synthetic one of the deposit tests (tests/fixtures/deposit-minimal), so
every writer runs: html with its search index, pdf, deposit.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tei_edition.runtime import lock as output_lock
from tei_edition.writers.base import atomic_output

FIXTURE = Path(__file__).parent / "fixtures" / "deposit-minimal"
PARTS = ("html", "pdf", "deposit")
KILLS = 8  # SIGKILLs at random moments of a build
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}  # the same build date in every build


def edition(root: Path, *args: str, wait: bool = True):
    command = [sys.executable, "-m", "tei_edition.cli", *args]
    if wait:
        return subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True, timeout=600)
    # its own process group, so the kill reaches its workers and Pagefind too
    return subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def outputs(root: Path) -> dict[str, dict[str, str]]:
    return {part: snapshot(root / "output" / part) for part in PARTS}


def edit(root: Path) -> None:
    """A real edit: a new sentence in the letter (its page, PDF and package change)."""
    doc = root / "tei" / "docs" / "letter-1.xml"
    text = doc.read_text(encoding="utf-8")
    assert "</body>" in text
    doc.write_text(text.replace("</body>", "<p>An added synthetic sentence.</p></body>", 1), encoding="utf-8")


def debris(root: Path) -> list[str]:
    """Staging folders a build leaves only while it runs."""
    return [p.name for parent in (root / "output", root / "output" / "html") if parent.is_dir()
            for p in parent.iterdir() if output_lock.DEBRIS.match(p.name)]


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The old output (before the edit, with its build cache) and the new one (a clean build after)."""
    base = tmp_path_factory.mktemp("interrupted")
    old, new = base / "old", base / "new"
    shutil.copytree(FIXTURE, old)
    assert edition(old, "build", "--jobs", "2").returncode == 0
    shutil.copytree(old, new)
    shutil.rmtree(new / "output")
    edit(new)
    done = edition(new, "build", "--jobs", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    return old, outputs(old), outputs(new), snapshot(new / "tei")


def test_a_build_killed_at_any_moment_keeps_the_previous_output_and_the_next_build_succeeds(editions, tmp_path):
    old_root, before, after, sources = editions
    assert before != after  # the edit changes every output, so a mix would show
    # how long an uninterrupted build of the edit takes, to spread the kills over all of it
    timing = tmp_path / "timing"
    shutil.copytree(old_root, timing)
    edit(timing)
    started = time.monotonic()
    assert edition(timing, "build", "--jobs", "2").returncode == 0
    duration = time.monotonic() - started

    rng = random.Random(8)
    seen = set()
    for attempt in range(KILLS):
        root = tmp_path / f"kill-{attempt}"
        shutil.copytree(old_root, root)  # the last good build, cache included
        edit(root)
        build = edition(root, "build", "--jobs", "2", wait=False)
        time.sleep(duration * (attempt + rng.random()) / KILLS)  # one kill in each slice of the build
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        now = outputs(root)
        for part in PARTS:
            assert now[part] in (before[part], after[part]), f"kill {attempt}: output/{part} is damaged"
            seen.add((part, "new" if now[part] == after[part] else "old"))
        assert snapshot(root / "tei") == sources, "the sources were changed by a build"
        if attempt % 3 == 0:  # and the next build succeeds and cleans up
            done = edition(root, "build", "--jobs", "2")
            assert done.returncode == 0, done.stdout + done.stderr
            assert outputs(root) == after
            assert debris(root) == []
    assert ("html", "old") in seen  # the kills did hit the build before it published anything


def test_a_second_build_stops_while_the_first_is_writing(editions, tmp_path):
    old_root, _before, after, _sources = editions
    root = tmp_path / "two"
    shutil.copytree(old_root, root)
    edit(root)
    first = edition(root, "build", "--jobs", "2", "--no-cache", wait=False)
    lock = root / "output" / output_lock.LOCK_NAME
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and lock.read_text() != f"pid {first.pid}":
        time.sleep(0.05)
    assert lock.read_text() == f"pid {first.pid}", "the first build never took the lock"
    second = edition(root, "build", "--jobs", "2")
    deposit = edition(root, "deposit")
    log, _ = first.communicate(timeout=600)
    assert first.returncode == 0, log
    for other in (second, deposit):
        assert other.returncode == 2
        assert f"in use by another edition build or deposit (pid {first.pid})" in other.stderr + other.stdout
        assert "Traceback" not in other.stderr
    assert outputs(root) == after  # the first build's output, untouched by the others


def test_the_swap_fallback_leaves_no_gap_that_the_next_build_cannot_repair(tmp_path, monkeypatch):
    # Where the system cannot exchange two folders in one step, atomic_output renames twice;
    # a build killed between the renames leaves only ".html.previous-PID": the lock puts it back.
    out = tmp_path / "output"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("old site")
    monkeypatch.setattr("tei_edition.runtime.folders._renameat2", None)
    with atomic_output(out / "html") as staging:
        (staging / "index.html").write_text("new site")
    assert (out / "html" / "index.html").read_text() == "new site"
    assert debris(tmp_path) == []

    (out / "html").rename(out / ".html.previous-4242")  # the state between the two renames
    (out / ".pdf.staging-4242").mkdir()  # and an unfinished staging folder
    with output_lock.hold(out):
        pass
    assert (out / "html" / "index.html").read_text() == "new site"
    assert sorted(p.name for p in out.iterdir()) == [".lock", "html"]


def test_a_failed_writer_keeps_the_previous_folder(tmp_path):
    final = tmp_path / "pdf"
    final.mkdir()
    (final / "volume.pdf").write_text("previous")
    with pytest.raises(RuntimeError):
        with atomic_output(final) as staging:
            (staging / "volume.pdf").write_text("half")
            raise RuntimeError("the writer failed")
    assert snapshot(final) == {"volume.pdf": hashlib.sha256(b"previous").hexdigest()}
    assert [p.name for p in tmp_path.iterdir()] == ["pdf"]


def test_a_build_stopped_between_the_swap_and_its_cache_record_makes_the_next_one_full(tmp_path, monkeypatch):
    # the record of the last build describes the site it sits beside, or is gone: never the old
    # site's record beside the new site (a revert would then keep the edited pages)
    from tei_edition.build import build
    from tei_edition.config import load_config
    from tei_edition.cache.pages import PageCache

    root = tmp_path / "edition"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    monkeypatch.chdir(root)
    config = load_config(root / "edition.toml")
    assert build(config, only=["html"], log=lambda _m: None) == 0
    pristine = snapshot(root / "output" / "html")
    doc = root / "tei" / "docs" / "letter-1.xml"
    original = doc.read_text(encoding="utf-8")
    doc.write_text(original.replace("Letter from", "Note from", 1), encoding="utf-8")

    def stopped(self):
        raise KeyboardInterrupt  # Ctrl-C just after the new site was swapped in
    with monkeypatch.context() as mp:
        mp.setattr(PageCache, "save", stopped)
        with pytest.raises(KeyboardInterrupt):
            build(config, only=["html"], log=lambda _m: None)
    assert snapshot(root / "output" / "html") != pristine  # the edited site was published
    doc.write_text(original, encoding="utf-8")  # the edit is reverted
    assert build(config, only=["html"], log=lambda _m: None) == 0
    assert snapshot(root / "output" / "html") == pristine


def test_an_output_folder_that_is_a_symbolic_link_stays_one(tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("old site")
    out = tmp_path / "output"
    out.mkdir()
    (out / "html").symlink_to(www, target_is_directory=True)
    with output_lock.hold(out):
        with atomic_output(out / "html") as staging:
            (staging / "index.html").write_text("new site")
    assert (out / "html").is_symlink() and (www / "index.html").read_text() == "new site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "www"]
    assert sorted(p.name for p in out.iterdir()) == [".lock", "html"]


def test_debris_that_is_a_link_or_a_cache_file_is_removed(tmp_path):
    out = tmp_path / "output"
    (out / ".cache").mkdir(parents=True)
    (out / "html").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / ".html.previous-77").symlink_to(elsewhere, target_is_directory=True)
    (out / ".cache" / "html.tmp-77").write_text("half a record")
    with output_lock.hold(out):
        pass
    assert sorted(p.name for p in out.iterdir()) == [".cache", ".lock", "html"]
    assert list((out / ".cache").iterdir()) == [] and elsewhere.is_dir()  # the link went, not its target
