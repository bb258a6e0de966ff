"""The shortcuts of validation's per-document pass: the one walk over a document's elements,
display paths resolved per folder, and the worker pool's overlapping batches."""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from tei_edition.diagnostics import display_path
from tei_edition.model.attributes import attributed
from tei_edition.model.corpus import spot_of
from tei_edition.runtime import executor

ROOT = Path(__file__).parents[1]
BUNDLED = sorted((ROOT / "tei").rglob("*.xml"))
TEI = "http://www.tei-c.org/ns/1.0"


def test_walk_finds_every_element_with_attributes_and_its_spot():
    for path in BUNDLED:
        root = etree.parse(str(path)).getroot()
        found = attributed(root)
        expected = [el for el in root.iter(etree.Element) if el.attrib]
        assert [el for el, *_ in found] == expected, path.name
        for el, tag, line, ordinal, attrib in found:
            spot = spot_of(el)
            assert (tag, line, ordinal, attrib) == (el.tag, el.sourceline, spot.ordinal, dict(el.attrib))


def test_walk_counts_same_named_elements_on_one_line():
    root = etree.fromstring(f'<TEI xmlns="{TEI}"><p><name/><name ref="#a"/> <rs/><name ref="#b"/></p>\n'
                            '<p><name ref="#c"/></p></TEI>')
    found = {el.get("ref"): ordinal for el, _tag, _line, ordinal, _attrib in attributed(root)}
    assert found == {"#a": 1, "#b": 2, "#c": 0}  # the name without attributes counts too
    assert attributed(root) is attributed(root)  # asked again for the same tree: not walked again


def test_display_path_resolves_links_as_realpath_does(tmp_path, monkeypatch):
    real = tmp_path / "real"
    (real / "tei").mkdir(parents=True)
    (real / "tei" / "a.xml").write_text("<a/>")
    (tmp_path / "linked").symlink_to(real)  # a folder reached through a link
    (real / "tei" / "b.xml").symlink_to(real / "tei" / "a.xml")  # a file that is a link
    monkeypatch.chdir(real)
    for path in (tmp_path / "linked" / "tei" / "a.xml", real / "tei" / "b.xml", real / "tei" / "missing.xml",
                 real / "tei" / ".." / "tei" / "a.xml"):
        assert display_path(path) == os.path.relpath(os.path.realpath(path), os.path.realpath(real))
    assert display_path(tmp_path / "elsewhere.xml") == str(tmp_path / "elsewhere.xml")


def test_pool_keeps_the_order_across_overlapping_batches(monkeypatch):
    monkeypatch.setattr(executor, "BATCH", 7)  # several batches in flight, of uneven length
    with executor.open_executor(jobs=2) as run:
        run.warm(abs, -1)  # a first job for each worker; its result is never read
        assert list(run.map(abs, range(-40, 0))) == list(range(40, 0, -1))
