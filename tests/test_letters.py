"""Letters (correspDesc, docs/letters.md): every letter page states sender, addressee, place and
date from correspDesc; a correspondent's page lists the letters they sent and received; the
previous/next letters of correspContext link when they are in the edition and are text otherwise.

Checked on a few real letters of schnitzler-briefe (../shared/corpora, with the register entries
they point to) and on the synthetic fixture tests/fixtures/correspondence (every target form:
xml:id, #id, file name, web address of the original edition, letters outside the edition).
The web and print editions stating the same: tests/test_web_print_consistency.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from helpers import FIXTURES, SHARED, build_html, real_corpus
from tei_edition.config import ConfigError, LetterOptions, load_config
from tei_edition.model.letters import direction_of

LETTERS = SHARED / "corpora" / "schnitzler-briefe" / "data"
CHOSEN = [f"L000{n}" for n in range(49, 57)]  # December 1891: Hofmannsthal, Beer-Hofmann, Bölsche ...
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ENTRIES = {"person", "personGrp", "place", "org", "bibl", "biblStruct", "event"}


def trimmed_register(source: Path, target: Path, wanted: set[str]) -> None:
    """A copy of a register with only the entries the chosen letters point to (a build of all
    6,000 entry pages would take minutes)."""
    tree = etree.parse(str(source))
    for el in list(tree.iter(*(TEI + name for name in ENTRIES))):
        if el.get(XML_ID) and el.get(XML_ID) not in wanted and el.getparent() is not None:
            el.getparent().remove(el)
    tree.write(str(target), encoding="utf-8", xml_declaration=True)


@pytest.fixture(scope="module")
def briefe(tmp_path_factory) -> Path:
    real_corpus(LETTERS)
    folder = tmp_path_factory.mktemp("briefe")
    (folder / "editions").mkdir()
    (folder / "indices").mkdir()
    wanted: set[str] = set()
    for name in CHOSEN:
        source = LETTERS / "editions" / f"{name}.xml"
        shutil.copy(source, folder / "editions")
        for el in etree.parse(str(source)).iter():
            for attr in ("ref", "source", "target", "key"):
                wanted |= {t.lstrip("#") for t in (el.get(attr) or "").split()}
    for register in (LETTERS / "indices").glob("*.xml"):
        trimmed_register(register, folder / "indices" / register.name, wanted)
    (folder / "edition.toml").write_text('[edition]\nsources = ["editions/*.xml"]\nregisters = ["indices/*.xml"]\n',
                                         encoding="utf-8")
    code, log = build_html(folder, keep_going=True)
    assert (folder / "output" / "html" / "index.html").is_file(), "\n".join(log[-20:])
    return folder


def facts(page) -> dict[str, list]:
    """A page's facts: heading → its dd elements."""
    found: dict[str, list] = {}
    for dt in page.xpath("//dl[@class='facts']/dt"):
        found.setdefault(" ".join(dt.text_content().split()), []).append(dt.getnext())
    return found


def correspondent(letter, action: str, tag: str) -> list[str]:
    """The xml:ids a correspAction's persName or placeName points to ("#pmb2121" → "pmb2121")."""
    return [el.get("ref").lstrip("#") for el in letter.iterfind(
        f".//{TEI}correspAction[@type='{action}']/{TEI}{tag}[@ref]")]


def linked(dd) -> list[str]:
    return [Path(href).stem for href in dd.xpath(".//a/@href")]


def test_every_letter_page_states_sender_addressee_place_and_date(briefe):
    for name in CHOSEN:
        letter = etree.parse(str(briefe / "editions" / f"{name}.xml"))
        page = lxml.html.parse(str(briefe / "output" / "html" / "documents" / f"{name}.html")).getroot()
        said = facts(page)
        assert linked(said["Sender"][0]) == correspondent(letter, "sent", "persName"), name
        assert linked(said["Addressee"][0]) == correspondent(letter, "received", "persName"), name
        for heading, action in (("Place", "sent"), ("Received at", "received")):  # a letter may not say where
            places = correspondent(letter, action, "placeName")
            assert (linked(said[heading][0]) if heading in said else []) == (places[:1] if action == "sent" else places), name
        sent = letter.find(f".//{TEI}correspAction[@type='sent']/{TEI}date")
        assert said["Date"][0].xpath(".//time/@datetime")[0] == (sent.get("when") or sent.get("notBefore")
                                                                 or sent.get("from")), name
        received = letter.find(f".//{TEI}correspAction[@type='received']/{TEI}date")
        if received is not None:
            assert said["Date received"][0].xpath(".//time/@datetime")[0] == \
                [received.get(a) for a in ("when", "from", "notBefore", "notAfter") if received.get(a)][0]


def test_a_correspondents_page_lists_the_letters_they_sent_and_received(briefe):
    lists: dict[tuple[str, str], set[str]] = {}
    for name in CHOSEN:
        letter = etree.parse(str(briefe / "editions" / f"{name}.xml"))
        for action in ("sent", "received"):
            for person in correspondent(letter, action, "persName"):
                lists.setdefault((person, action), set()).add(name)
    assert ("pmb2121", "received") in lists and ("pmb2121", "sent") in lists  # Schnitzler wrote and received
    for (person, action), letters in lists.items():
        page = lxml.html.parse(str(briefe / "output" / "html" / "persons" / f"{person}.html")).getroot()
        listed = {Path(h).stem for h in page.xpath(f"//section[@class='letters']/ul[contains(@class, 'letters-{action}')]//a/@href")}
        assert listed == letters, f"{person} {action}"
        heading = page.xpath(f"//ul[contains(@class, 'letters-{action}')]/preceding-sibling::h3[1]")[0].text_content()
        assert heading.startswith("Letters from" if action == "sent" else "Letters to")


def test_previous_and_next_letters_link_when_in_the_edition_and_are_text_otherwise(briefe):
    site = briefe / "output" / "html"
    links = 0
    for name in CHOSEN:
        letter = etree.parse(str(briefe / "editions" / f"{name}.xml"))
        targets = {ref.get("target") for ref in letter.iterfind(f".//{TEI}correspContext/{TEI}ref")
                   if re.match(r"(previous|next)_letter$", ref.get("subtype") or "")}
        page_path = site / "documents" / f"{name}.html"
        page = lxml.html.parse(str(page_path)).getroot()
        said = facts(page)
        shown = said.get("Previous letter", []) + said.get("Next letter", [])
        linked_to = set()
        for dd in shown:
            for href in dd.xpath("a[contains(@class, 'document-link')]/@href"):
                assert (page_path.parent / href).resolve().is_file(), f"{name}: {href} leads nowhere"
                linked_to.add(Path(href).stem)
                links += 1
        assert linked_to == {t for t in targets if t in CHOSEN}, name
        # a letter outside the edition is named, never linked
        absent = {t for t in targets if t not in CHOSEN}
        assert len([dd for dd in shown if dd.xpath("span[@class='not-in-edition']")]) >= min(len(absent), 1), name
    assert links > len(CHOSEN)


def test_the_chronology_places_every_letter(briefe):
    page = lxml.html.parse(str(briefe / "output" / "html" / "chronology.html")).getroot()
    dated = [(li.xpath(".//time/@datetime")[0], Path(li.xpath(".//a/@href")[0]).stem)
             for li in page.xpath("//li[@class='timeline-letter']")]
    assert sorted(name for _, name in dated) == CHOSEN
    assert [d for d, _ in dated] == sorted(d for d, _ in dated)


# -- the fixture: every form of target, the conventions of [letters] ---------------------------------------

@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("letters") / "correspondence"
    shutil.copytree(FIXTURES / "correspondence", folder)
    code, log = build_html(folder)
    assert code == 0, "\n".join(log)
    return folder / "output" / "html"


def context(site: Path, name: str) -> list[tuple[str, str, str]]:
    """(heading, linked page or '', text) of each previous/next letter a page names."""
    page = lxml.html.parse(str(site / "documents" / f"{name}.html")).getroot()
    out = []
    for heading, dds in facts(page).items():
        if heading in ("Previous letter", "Next letter"):
            for dd in dds:
                for card in dd.xpath(".//span[@class='card']"):  # the hidden card of a link
                    card.drop_tree()
                hrefs = dd.xpath("a/@href")
                out.append((heading, Path(hrefs[0]).stem if hrefs else "", " ".join(dd.text_content().split())))
    return out


def test_targets_resolve_as_xml_id_file_name_hash_id_and_web_address(fixture_site):
    assert context(fixture_site, "brief-1") == [
        ("Previous letter", "", "Weber an Roth, 1. 3. 1890 (not in this edition)"),
        ("Next letter", "brief-2", "Roth an Weber, 20. 3. 1890 (correspondence: Weber – Roth)")]  # file name
    assert context(fixture_site, "brief-2") == [
        ("Previous letter", "brief-1", "Weber an Roth, 12. 3. 1890 (Weber – Roth)"),  # [letters] document-urls
        ("Next letter", "brief-3", "Weber an Lenz, 2. 4. 1890")]  # #id
    assert context(fixture_site, "brief-3") == [
        ("Previous letter", "brief-2", "Roth an Weber, 20. 3. 1890"),  # subtype="previous_letter", bare id
        ("Next letter", "", "Lenz an Weber, 1891 (not in this edition)")]  # an address outside the edition


def test_a_letter_dated_by_its_creation_says_when_it_was_sent(fixture_site):
    page = lxml.html.parse(str(fixture_site / "documents" / "brief-2.html")).getroot()
    said = facts(page)
    assert said["Date"][0].xpath(".//time/@datetime") == ["1890-03-20"]
    assert said["Date sent"][0].xpath(".//time/@datetime") == ["1890-03-21"]
    assert "Date sent" not in facts(lxml.html.parse(str(fixture_site / "documents" / "brief-1.html")).getroot())


def test_the_words_for_previous_and_next_are_the_editions():
    ref = {"type": "vorher", "subtype": "", "target": ["x"], "source": [], "text": ""}
    assert direction_of(ref, LetterOptions()) == ("", "")
    assert direction_of(ref, LetterOptions(previous=("Vorher",))) == ("previous", "type")
    assert direction_of({**ref, "type": "withinCollection", "subtype": "next_letter"}, LetterOptions()) == ("next", "subtype")


def test_a_web_address_pattern_without_id_is_refused(tmp_path):
    config = tmp_path / "edition.toml"
    config.write_text('[edition]\nsources = []\n[letters]\ndocument-urls = ["https://example.org/letters/"]\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError) as found:
        load_config(config)
    message = str(found.value)
    assert "edition.toml:4:1" in message and "document-urls" in message and "{id}" in message, message


def test_a_rebuild_follows_a_named_letter_that_is_removed(tmp_path):
    """brief-2 names brief-1 (by its address in the original edition) as its previous letter:
    when brief-1 goes, brief-2's page must stop linking it, though its own file is unchanged and
    the two are not neighbours in date order (the rebuild reuses unchanged pages)."""
    folder = tmp_path / "correspondence"
    shutil.copytree(FIXTURES / "correspondence", folder)
    third = (folder / "letters" / "brief-3.xml").read_text(encoding="utf-8")
    for day in ("14", "16"):  # letters between the two, so they are not neighbours in date order
        (folder / "letters" / f"between-{day}.xml").write_text(
            third.replace('xml:id="brief-3"', f'xml:id="between-{day}"').replace("1890-04-02", f"1890-03-{day}"),
            encoding="utf-8")
    assert build_html(folder)[0] == 0
    site = folder / "output" / "html"
    assert [linked for heading, linked, _ in context(site, "brief-2") if heading == "Previous letter"] == ["brief-1"]
    (folder / "letters" / "brief-1.xml").unlink()
    code, log = build_html(folder)
    assert code == 0, "\n".join(log)
    previous = [c for c in context(site, "brief-2") if c[0] == "Previous letter"]
    assert previous and all(linked == "" for _, linked, _ in previous), previous  # no link to a page that is gone
    assert not (site / "documents" / "brief-1.html").exists()
