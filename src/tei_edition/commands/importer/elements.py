"""Building TEI elements in the TEI namespace, and appending text to mixed content."""

from __future__ import annotations

from lxml import etree

from tei_edition.names import TEI_NS, XML_ID, XML_LANG

T = f"{{{TEI_NS}}}"


def E(tag: str, text: str | None = None, **attrs) -> etree._Element:
    """A TEI element; attribute names use _ for - and xml_id/xml_lang for the xml: ones."""
    el = etree.Element(T + tag, nsmap={None: TEI_NS})
    for key, value in attrs.items():
        if value is None:
            continue
        name = {"xml_id": XML_ID, "xml_lang": XML_LANG}.get(key, key)
        el.set(name, str(value))
    if text is not None:
        el.text = text
    return el


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = E(tag, text, **attrs)
    parent.append(el)
    return el


def append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
