"""Names: the registers as a gazetteer, and the keys that make spelling variants agree."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from tei_edition.model.index import Index


WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")
NAME_ELEMENTS = {"person": "persName", "place": "placeName", "organisation": "orgName"}
VARIANT_ELEMENTS = ("persName", "placeName", "orgName", "title", "label", "name")
REGISTER_ELEMENTS = {"person": "person", "place": "place", "organisation": "org", "event": "event", "document": "bibl"}


def word_key(word: str) -> str:
    """Case and hyphenation do not distinguish pinyin names: Shao-qi = Shaoqi = SHAOQI."""
    return re.sub(r"[-‐‑]", "", unicodedata.normalize("NFKC", word)).casefold()


def name_key(name: str) -> str:
    """A name's words joined without spaces, so "Mao Ze-dong", "Mao Ze Dong" and "MAO ZEDONG" agree."""
    return "".join(word_key(w) for w in WORD.findall(name))


def title_key(title: str) -> str:
    return re.sub(r"\W+", "", unicodedata.normalize("NFKC", title).casefold())


def slug(text: str, words: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    s = "-".join(parts) or "entry"
    return s if s[0].isalpha() else "x-" + s


@dataclass
class Gazetteer:
    """Every name form in the registers → the entity ids that carry it."""

    names: dict[str, set[str]] = field(default_factory=dict)  # name_key → ids (persons, places, organisations)
    titles: dict[str, set[str]] = field(default_factory=dict)  # title_key → ids (documents)
    events: dict[str, set[str]] = field(default_factory=dict)  # title_key → ids (events)
    longest: int = 1  # most words in a name

    @classmethod
    def from_index(cls, index: Index) -> "Gazetteer":
        g = cls()
        for ident, entity in sorted(index.entities.items()):
            for el in entity.element:
                if not isinstance(el.tag, str) or etree.QName(el).localname not in VARIANT_ELEMENTS:
                    continue
                text = " ".join("".join(el.itertext()).split())
                if not text:
                    continue
                if entity.kind in NAME_ELEMENTS:
                    g.names.setdefault(name_key(text), set()).add(ident)
                    g.longest = max(g.longest, len(WORD.findall(text)))
                elif entity.kind == "document":
                    g.titles.setdefault(title_key(text), set()).add(ident)
                elif entity.kind == "event":
                    g.events.setdefault(title_key(text), set()).add(ident)
        return g


