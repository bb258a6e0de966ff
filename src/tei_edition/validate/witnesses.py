"""Witnesses and hands: an @wit must name a witness, an @hand (or handShift/@new) a handNote.

A pointer that names no element at all is reported by the reference check (`ref-id`); here,
one that names an element of the same document of the wrong kind (a reading's @wit pointing
to a handNote, say): the web page and the PDF could then show no siglum for it.
"""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from tei_edition.diagnostics import Diagnostic
from tei_edition.model.attributes import attributed
from tei_edition.model.corpus import Document

# attribute → (the elements it may name, what to write instead)
EXPECTED = {
    "wit": ({"witness", "listWit"}, 'point @wit to a <witness xml:id="…"> of the listWit in the sourceDesc (wit="#id")'),
    "hand": ({"handNote"}, 'point @hand to a <handNote xml:id="…"> of the header\'s handDesc (hand="#id")'),
    "new": ({"handNote"}, 'point handShift/@new to a <handNote xml:id="…"> of the header\'s handDesc (new="#id")'),
}


NAMING = frozenset(EXPECTED)  # the attributes that may name a witness or a hand


def check_witnesses(doc: Document) -> Iterator[Diagnostic]:
    """A warning for every @wit, @hand, handShift/@new token naming an element of the wrong kind."""
    ids = None
    for el, _tag, _line, _n, attrib in attributed(doc.root):  # (the document's one walk)
        if NAMING.isdisjoint(attrib):
            continue
        for attribute in ("wit", "hand", "new"):
            value = attrib.get(attribute)
            if value is None or (attribute == "new" and etree.QName(el).localname != "handShift"):
                continue
            ids = doc.ids if ids is None else ids
            kinds, hint = EXPECTED[attribute]
            for token in value.split():
                target = ids.get(token[1:] if token.startswith("#") else token)
                found = etree.QName(target).localname if target is not None else None
                if found is not None and found not in kinds:
                    line, col = doc.locate(el, attribute)
                    message = (f'@{attribute}="{token}" on <{etree.QName(el).localname}> names a <{found}>, '
                               f"not a {' or '.join(sorted(kinds))}: its siglum cannot be shown")
                    if attribute == "wit":
                        yield Diagnostic(doc.display, line, col, "warning", message, "apparatus-witness", hint)
                    else:
                        yield Diagnostic(doc.display, line, col, "warning", message, "apparatus-hand", hint)
