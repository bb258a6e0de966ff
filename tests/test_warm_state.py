"""edition serve keeps the corpus and index between rebuilds (model/warm.py): after an edit of a
document's text the kept index, updated in place, is the index a fresh load builds, and the
site it gives is the site of a clean build; an edit the update cannot follow (a new xml:id, a
register) loads everything again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import edit, site_files, synthetic_corpus
from tei_edition import build as build_module
from tei_edition.build import build
from tei_edition.config import load_config
from tei_edition.model.index import Target, Unresolved
from tei_edition.model.warm import WarmState
from tei_edition.validate import index_edition


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(synthetic_corpus(10), root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return root


def rebuild(warm: WarmState) -> tuple[int, list[str]]:
    log: list[str] = []
    return build(load_config("edition.toml"), only=["html"], log=log.append, warm=warm), log


def loads(monkeypatch) -> list[int]:
    """Counts the full loads (index_edition) the builds make."""
    calls: list[int] = []
    real = build_module.index_edition
    monkeypatch.setattr(build_module, "index_edition", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def meeting(corpus: Path, n: int) -> Path:
    return sorted((corpus / "tei" / "meetings").glob("*.xml"))[n]


def shape(index) -> dict:
    """The index as plain data: who holds which id, every pointer and where it leads, every mention."""
    def target(t):
        if isinstance(t, Target):
            return ("target", str(t.doc.path), t.id)
        if isinstance(t, Unresolved):
            return ("unresolved", t.rule, t.message)
        return t
    return {
        "ids": {k: [(str(d.path), s) for d, s in v] for k, v in index.ids.items() if v},
        "scope": {k: [(str(d.path), s) for d, s in v] for k, v in index.scope.items() if v},
        "pointers": [(str(p.doc.path), p.spot, p.attribute, p.value, target(p.target), p.entry, p.in_list)
                     for p in index.pointers],
        "mentions": {k: [(str(m.doc.path), m.spot, m.attribute, m.role, m.in_header, m.entry) for m in v]
                     for k, v in index.mentions.items() if v},
        "facts": {k: v.as_json() for k, v in index.facts.items()},
        "titles": [(str(d.path), d.id, d.title) for d in index.corpus.documents],
    }


def test_a_text_edit_updates_the_kept_index_as_a_fresh_load_would(corpus, tmp_path, monkeypatch):
    warm = WarmState()
    assert rebuild(warm)[0] == 0
    calls = loads(monkeypatch)
    first, third = meeting(corpus, 0), meeting(corpus, 2)
    # new text and title, a new mention of a person, a removed mention, lines shifted
    edit(corpus, first.name, "<body>", '<body>\n<div type="edit"><p>A new line about <persName ref="#person-00011">'
                          'someone</persName>.</p></div>\n')
    edit(corpus, first.name, "<title type=\"main\">", "<title type=\"main\">Edited: ")
    mentioned = re.search(r'persName ref="(#person-\d+)"', third.read_text(encoding="utf-8"))[1]
    edit(corpus, third.name, f'persName ref="{mentioned}"', 'persName ref="#person-00010"')  # one person for another
    code, log = rebuild(warm)
    assert code == 0, log
    assert calls == [], "the kept index was not used"
    assert shape(warm.index) == shape(index_edition(load_config("edition.toml")).index)
    clean = tmp_path / "clean"
    shutil.copytree(corpus, clean, ignore=shutil.ignore_patterns("output"))
    monkeypatch.chdir(clean)
    log_clean: list[str] = []
    assert build(load_config("edition.toml"), only=["html"], log=log_clean.append) == code
    assert site_files(corpus) == site_files(clean)


@pytest.mark.parametrize("change", ["new xml:id", "register", "new file"])
def test_edits_the_update_cannot_follow_load_everything(corpus, monkeypatch, change):
    warm = WarmState()
    assert rebuild(warm)[0] == 0
    calls = loads(monkeypatch)
    if change == "new xml:id":
        edit(corpus, meeting(corpus, 1).name, "<body>", '<body><div xml:id="a-new-id"><p>New.</p></div>')
    elif change == "register":
        persons = corpus / "tei" / "registers" / "persons.xml"
        persons.write_text(persons.read_text(encoding="utf-8").replace("</persName>", " (edited)</persName>", 1),
                           encoding="utf-8")
    else:
        shutil.copy(meeting(corpus, 1), meeting(corpus, 1).with_name("meeting-99999.xml"))
        edit(corpus, "meeting-99999.xml", 'xml:id="meeting-', 'xml:id="copy-meeting-')
    rebuild(warm)
    assert calls == [1]
    assert shape(warm.index) == shape(index_edition(load_config("edition.toml")).index)
