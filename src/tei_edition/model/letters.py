"""Letters (correspDesc): a letter's neighbours in its correspondence, and each correspondent's letters.

model/facts.py reads what a letter's header says (correspAction, correspContext refs as written);
this module decides what that means for the edition, with the edition's conventions ([letters] in
edition.toml, config.LetterOptions): which refs name the previous or next letter, which web
addresses name a letter of this edition, and which register entry sent or received which letter.
model/edition.py hands the results to the web pages and the print volume as XML
(docs/semantic-layer.md, docs/letters.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from tei_edition.config import LetterOptions
from tei_edition.model.addresses import DocumentInfo
from tei_edition.model.index import Target

ACTIONS = ("sent", "received")  # the correspActions a letter lists its correspondents under


@dataclass(frozen=True)
class ContextLink:
    """A previous or next letter named in correspContext."""

    direction: str            # "previous" | "next"
    text: str                 # how the ref names the letter (else the letter's title, else the target)
    target: str               # the target as written
    info: DocumentInfo | None  # the letter, when it is part of this edition
    correspondence: str | None  # the register entry @source names (the correspondence), if any
    name: str                 # else the @subtype that names the correspondence ('' if none)


def direction_of(ref: dict, options: LetterOptions) -> tuple[str, str]:
    """("previous"|"next"|"", the attribute that says so) of a correspContext ref: its @type or
    @subtype, compared without case, is one of the words [letters] previous/next lists."""
    words = {"previous": {w.casefold() for w in options.previous}, "next": {w.casefold() for w in options.next}}
    for attr in ("type", "subtype"):
        value = ref[attr].casefold()
        for direction, known in words.items():
            if value and value in known:
                return direction, attr
    return "", ""


def context_links(site, info: DocumentInfo) -> list[ContextLink]:
    """The previous and next letters a letter's correspContext names, each target once per
    direction (the ref that names its correspondence wins), in the order they are written."""
    options = site.index.corpus.config.letters
    doc = info.doc
    found: dict[tuple[str, str], ContextLink] = {}
    for ref in site.index.facts[str(doc.path)].listing.get("context", ()):
        direction, said_by = direction_of(ref, options)
        if not direction or not ref["target"]:
            continue
        target = ref["target"][0]
        letter = letter_of(site, doc, target, options)
        correspondence = site.entity_of(doc, {"tokens": [["source", t] for t in ref["source"]]})
        name = ref["subtype"] if said_by == "type" else ""  # <ref type="next" subtype="(correspondence)">
        text = ref["text"] or (letter.doc.title if letter else target)
        link = ContextLink(direction, text, target, letter, correspondence, name)
        key = (direction, letter.href if letter else target)
        if key not in found or (not found[key].correspondence and correspondence):
            found[key] = link
    return list(found.values())


def context_elements(site, info: DocumentInfo) -> list[etree._Element]:
    """<context direction="previous|next" target href? title? correspondence? name?>text</context>
    for each context link: @href and @title when the letter is part of the edition, else only the
    text (never a link to a page that does not exist)."""
    out = []
    for link in context_links(site, info):
        el = etree.Element("context", direction=link.direction, target=link.target)
        if link.info is not None:
            el.set("href", link.info.href)
            el.set("title", link.info.doc.title)
        if link.correspondence:
            el.set("correspondence", link.correspondence)
        elif link.name:
            el.set("name", link.name)
        el.text = link.text
        out.append(el)
    return out


def letter_of(site, doc, target: str, options: LetterOptions) -> DocumentInfo | None:
    """The letter of this edition a target names: through the index (an xml:id, a file name,
    a path), or a web address of the original edition ([letters] document-urls)."""
    resolved = site.index.resolve(doc, target, "target")
    if resolved is None or not isinstance(resolved, Target):
        ident = _id_in_url(target, options.document_urls)
        resolved = site.index.resolve(doc, ident, "target") if ident else None
    if isinstance(resolved, Target) and resolved.doc.role == "source" and resolved.id in (None, resolved.doc.id):
        return site.by_doc.get(str(resolved.doc.path))
    return None


def _id_in_url(url: str, patterns: tuple[str, ...]) -> str:
    for pattern in patterns:
        before, after = pattern.split("{id}")
        found = re.fullmatch(re.escape(before) + r"([\w.-]+?)" + re.escape(after), url)
        if found:
            return found.group(1)
    return ""


def correspondents(site, info: DocumentInfo) -> dict[str, list[str]]:
    """"sent"/"received" → the register entries (ids) a letter's correspActions name."""
    out: dict[str, list[str]] = {}
    correspondence = site.index.facts[str(info.doc.path)].listing["correspondence"]
    for action in ACTIONS:
        names = (correspondence.get(action) or {}).get("names", ())
        found = [site.entity_of(info.doc, name) for name in names]
        out[action] = list(dict.fromkeys(e for e in found if e))
    return out


def letters_by_correspondent(site) -> dict[str, list[tuple[str, DocumentInfo]]]:
    """Register entry → (action, letter) for every letter it sent or received, in date order."""
    out: dict[str, list[tuple[str, DocumentInfo]]] = defaultdict(list)
    for info in site.documents:
        for action, entities in correspondents(site, info).items():
            for entity in entities:
                out[entity].append((action, info))
    return out


def is_letter(site, info: DocumentInfo) -> bool:
    """A document whose header has a correspAction sent or received."""
    correspondence = site.index.facts[str(info.doc.path)].listing["correspondence"]
    return any(action in correspondence for action in ACTIONS)
