"""A rebuild computes the site slices of only the pages an edit can reach (site_changes.py),
and its site is still byte for byte the one a clean build writes.

The slices computed are counted (never timed): every page's slice goes through
SiteWriter._site_data. Each case edits a copy of one built synthetic corpus
(benchmarks/generate_corpus.py: 12 meeting records, 15 persons; the data is synthetic),
rebuilds it, and compares the site with a clean build of the same edited files. HTML only
(Pagefind's bundle is not deterministic).
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from tei_edition.writers.html import writer as html_module

from helpers import EPOCH, REPO, build_html, site_files

pytestmark = pytest.mark.usefixtures("fixed_build_date")  # builds compared byte for byte
DOC = "documents/meeting-00004.html"


@lru_cache(maxsize=None)
def built_corpus() -> Path:
    """The synthetic corpus with its first (incremental) build in output/; copy before editing."""
    folder = Path(tempfile.mkdtemp(prefix="rebuild-slices-")) / "corpus"
    atexit.register(shutil.rmtree, folder.parent, ignore_errors=True)
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", "12",
                    "--persons", "15", "--seed", "3", "--out", str(folder)], check=True, capture_output=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, log = build_html(folder, jobs=1)
    assert code == 0, "\n".join(log)
    return folder


@pytest.fixture
def sliced(monkeypatch) -> list[str]:
    """The pages whose site slice the builds compute from now on."""
    seen: list[str] = []
    original = html_module.SiteWriter._site_data

    def recording(self, path, data):
        seen.append(path)
        return original(self, path, data)

    monkeypatch.setattr(html_module.SiteWriter, "_site_data", recording)
    return seen


def meeting(corpus: Path, name: str = "meeting-00004.xml") -> Path:
    return corpus / "tei" / "meetings" / name


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_paragraph(corpus: Path, inner: str = "An added paragraph.") -> None:
    replace(meeting(corpus), "</body>", f'<div type="field" subtype="remarks"><head>Remarks:</head><p>{inner}</p></div></body>')


def add_document(corpus: Path, name: str, ident: str) -> None:
    text = meeting(corpus).read_text(encoding="utf-8")
    text = text.replace('xml:id="meeting-00004"', f'xml:id="{ident}"', 1)
    text = text.replace("Synthetic meeting 5, Yiyan", "Synthetic meeting 5 (again), Yiyan", 1)
    meeting(corpus, name).write_text(text, encoding="utf-8")


def site_pages(corpus: Path) -> set[str]:
    return {p for p in site_files(corpus) if p.endswith(".html")}


def rebuild_and_compare(tmp_path: Path, sliced: list[str], edit, keep_going: bool = False,
                        prepare=None) -> tuple[set[str], int]:
    """Edit a copy of the built corpus and rebuild it; the site must equal a clean build's.
    Returns the pages whose slices the rebuild computed, and how many the clean build did.
    `prepare`: an edit made and built before `edit`."""
    corpus = tmp_path / "incremental"
    shutil.copytree(built_corpus(), corpus)
    if prepare is not None:
        prepare(corpus)
        assert build_html(corpus, jobs=1, keep_going=keep_going)[0] in (0, 1)
    edit(corpus)
    sliced.clear()
    code, log = build_html(corpus, jobs=1, keep_going=keep_going)
    assert code in ((0, 1) if keep_going else (0,)), "\n".join(log)
    computed = list(sliced)
    assert len(computed) == len(set(computed)), computed

    clean = tmp_path / "clean"
    shutil.copytree(built_corpus(), clean, ignore=shutil.ignore_patterns("output"))
    if prepare is not None:
        prepare(clean)
    edit(clean)
    sliced.clear()
    assert build_html(clean, jobs=1, keep_going=keep_going, incremental=False)[0] == code
    first, second = site_files(corpus), site_files(clean)
    assert [p for p in first.keys() | second.keys() if first.get(p) != second.get(p)] == []
    assert len(sliced) == len(site_pages(clean))  # a clean build computes every page's slice
    return set(computed), len(sliced)


def test_a_text_edit_computes_the_slice_of_its_own_page_only(tmp_path, sliced):
    computed, _ = rebuild_and_compare(tmp_path, sliced, add_paragraph)
    assert computed == {DOC}

    # a build with nothing changed computes no slice at all
    sliced.clear()
    code, log = build_html(tmp_path / "incremental", jobs=1)
    assert code == 0 and sliced == []
    assert any(re.fullmatch(r"html: nothing changed, \d+ page\(s\) reused", line) for line in log), log


def test_a_new_mention_computes_the_entry_and_its_register_list(tmp_path, sliced):
    corpus = built_corpus()
    assert 'ref="#person-00011"' not in meeting(corpus).read_text(encoding="utf-8")
    computed, _ = rebuild_and_compare(tmp_path, sliced,
                                      lambda c: add_paragraph(c, '<persName ref="#person-00011">A name</persName>'))
    assert computed == {DOC, "persons/person-00011.html", "persons/index.html"}


def test_a_removed_mention_computes_the_entry_it_leaves(tmp_path, sliced):
    text = meeting(built_corpus()).read_text(encoding="utf-8")
    once = next(i for i in sorted(set(re.findall(r'ref="#(person-\d+)"', text))) if text.count(f'"#{i}"') == 1)

    def unmention(corpus: Path) -> None:  # the name stays, as plain text
        path = meeting(corpus)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf'<persName ref="#{once}"[^>]*>([^<]*)</persName>', r"\1", text), encoding="utf-8")

    computed, _ = rebuild_and_compare(tmp_path, sliced, unmention)
    assert computed == {DOC, f"persons/{once}.html", "persons/index.html"}


def test_a_changed_role_computes_the_entry_but_no_list(tmp_path, sliced):
    computed, _ = rebuild_and_compare(tmp_path, sliced, lambda c: replace(
        meeting(c), 'ref="#person-00005" role="presided"', 'ref="#person-00005" role="attended"'))
    assert computed == {DOC, "persons/person-00005.html"}


def test_a_new_title_computes_the_pages_that_list_the_document(tmp_path, sliced):
    computed, _ = rebuild_and_compare(tmp_path, sliced, lambda c: replace(
        meeting(c), "Synthetic meeting 5, Yiyan", "Meeting five, Yiyan"))
    text = meeting(built_corpus()).read_text(encoding="utf-8")
    mentioned = {f"persons/{i}.html" for i in re.findall(r'ref="#(person-\d+)"', text)}
    assert {DOC, "index.html", "chronology.html"} | mentioned <= computed
    assert len([p for p in computed if p.startswith("documents/")]) == 3  # itself and its two neighbours
    assert "persons/index.html" not in computed and "about.html" not in computed


@pytest.mark.parametrize("case", ["new date", "added document", "removed document"])
def test_documents_that_move_come_or_go_give_the_site_of_a_clean_build(tmp_path, sliced, case):
    edits = {
        # meeting-00004 moves from the middle of the date order to its start (its meeting in the
        # events register keeps its dates: an error, the build goes on with --keep-going)
        "new date": lambda c: [replace(meeting(c), '<date from="1949-10-14" to="1949-10-31">', '<date from="1900-01-01" to="1900-01-02">')
                               for _ in range(2)],
        "added document": lambda c: add_document(c, "meeting-00100.xml", "meeting-00100"),
        "removed document": lambda c: meeting(c, "meeting-00006.xml").unlink(),
    }
    computed, pages = rebuild_and_compare(tmp_path, sliced, edits[case], keep_going=case == "new date")
    assert 0 < len(computed) < pages / 2, computed  # a part of the site, not all of it


def test_a_document_repeating_another_ones_id_is_published_under_a_page_of_its_own(tmp_path, sliced):
    # with --keep-going every readable document is published: the duplicate gets "-2"
    computed, pages = rebuild_and_compare(tmp_path, sliced,
                                          lambda c: add_document(c, "meeting-00004a.xml", "meeting-00004"),
                                          keep_going=True)
    assert "documents/meeting-00004-2.html" in site_pages(tmp_path / "incremental")
    assert "documents/meeting-00004-2.html" in computed and len(computed) <= pages


@pytest.mark.parametrize("case", ["register entry renamed", "edition header changed",
                                  "record of the last build damaged"])
def test_edits_beyond_the_documents_compute_every_slice(tmp_path, sliced, case):
    registers = Path("tei") / "registers"

    def damage_record(c: Path) -> None:
        cache = c / "output" / ".cache" / "html.json"
        if cache.is_file():  # the clean copy has no cache
            data = json.loads(cache.read_text(encoding="utf-8"))
            data["site"]["documents"][0] = ["not", "a", "record"]
            cache.write_text(json.dumps(data), encoding="utf-8")
        add_paragraph(c)

    edits = {
        "register entry renamed": lambda c: replace(c / registers / "persons.xml", ">Song anma<", ">Song Anma<"),
        "edition header changed": lambda c: replace(c / "tei" / "edition.xml", "</publisher>", " (renamed)</publisher>"),
        "record of the last build damaged": damage_record,
    }
    computed, pages = rebuild_and_compare(tmp_path, sliced, edits[case])
    assert len(computed) == pages  # every page's slice, as in a clean build


def test_a_source_that_takes_an_entrys_id_is_published_with_keep_going(tmp_path, sliced):
    # an element with a register entry's id (id-shadow, an error): --keep-going publishes the
    # document, and while a source holds an entry's id a rebuild computes every slice (the
    # narrowing's argument assumes entry ids only in registers)
    computed, pages = rebuild_and_compare(tmp_path, sliced, holds_an_entry_id, keep_going=True)
    assert "documents/meeting-00002.html" in site_pages(tmp_path / "incremental")
    assert len(computed) == pages


def holds_an_entry_id(corpus: Path) -> None:
    replace(meeting(corpus, "meeting-00002.xml"), '<div type="field" subtype="dates">',
            '<div type="field" subtype="dates" xml:id="person-00011">')


def tie(corpus: Path) -> None:
    """A second meeting-00004 that sorts equal to the first: same id, title and dates."""
    shutil.copyfile(meeting(corpus), meeting(corpus, "meeting-00004a.xml"))


def list_the_tie_first(corpus: Path) -> None:
    replace(corpus / "edition.toml", 'sources = ["tei/meetings/*.xml"]',
            'sources = ["tei/meetings/meeting-00004a.xml", "tei/meetings/*.xml"]')


def test_a_rebuild_while_a_source_holds_an_entrys_id_computes_every_slice(tmp_path, sliced):
    # the document holding an entry's id is in both builds: the edit elsewhere is not narrowed
    computed, pages = rebuild_and_compare(tmp_path, sliced, add_paragraph, keep_going=True, prepare=holds_an_entry_id)
    assert len(computed) == pages


def test_sources_listed_in_another_order_give_the_site_of_a_clean_build(tmp_path, sliced):
    # two documents with the same id, both published (pages named by file, not by listing order):
    # listing them in another order changes nothing, and the rebuild says so by computing
    # (compared with a clean build inside)
    computed, pages = rebuild_and_compare(tmp_path, sliced, list_the_tie_first, keep_going=True, prepare=tie)
    assert 0 < len(computed) <= pages
