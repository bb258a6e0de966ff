"""Property: the importer's inline markup never adds, loses or moves a character of the record.

Whatever the text of a remark (names, quoted titles, dates, brackets, dashes in any order), the
text of the TEI it becomes equals the record's text, except that `[title](#)` link syntax
becomes the title alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei_edition.config import load_config
from tei_edition.model.corpus import Corpus
from tei_edition.commands.importer.elements import E
from tei_edition.commands.importer.encode import LINK, Encoder
from tei_edition.commands.importer.names import Gazetteer
from tei_edition.model.index import Index

REPO = Path(__file__).resolve().parents[1]
PIECES = ["Mao", "Mao Zedong", "LIU SHAO-QI", "Liu", "Shanxi", "Beijing", "CC CCP", "CCP", "Central Committee",
          "December 15, 1951", "9-9-1951 – 30-9-1951", "September 1951", "1952", "1950s", "40%",
          '"Draft Resolution on Mutual Aid and Cooperation in Agricultural Production"',
          "[TAKE MUTUAL AID AND CO-OPERATION IN AGRICULTURE](#)", "[Unknown paper](#)", "[", "]", "(#)",
          '"', "“", "”", "'s", " ", " ", ", ", ". ", "–", "-", "&", "<", ">", "mao", "zedong", "x"]


@pytest.fixture(scope="module")
def encoder():
    config = load_config(REPO / "edition.toml")
    corpus, _ = Corpus.load(config)
    index = Index(corpus)
    return Encoder(config, index, Gazetteer.from_index(index), REPO / "tei" / "meetings" / "draft.xml", None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_inline_markup_keeps_the_text(encoder, pieces):
    text = "".join(pieces)
    item = E("item")
    encoder.inline(item, text, None)
    assert "".join(item.itertext()) == LINK.sub(lambda m: m["text"], text)
    # and what it made is well-formed XML that parses back to the same text
    again = etree.fromstring(etree.tostring(item))
    assert "".join(again.itertext()) == "".join(item.itertext())
