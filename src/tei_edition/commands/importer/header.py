"""The TEI document around a draft's body: its teiHeader.

Title, responsibility, publisher and licence (taken from the edition header), the record as
source, the meeting's setting (event, place, dates), a prefixDef per register the draft points
into, and a revision note.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from tei_edition.names import TEI_NS, XML_ID
from tei_edition.commands.importer.dates import prose_date
from tei_edition.commands.importer.elements import E, sub
from tei_edition.commands.importer.record import Record

T = f"{{{TEI_NS}}}"


def tei_document(enc, record: Record, body, dates, event_text, event_ref, setting_place) -> etree._Element:
    # `enc` is the calling Encoder (encode.py); not annotated with its type, which would make
    # this module import the one that imports it
    header_doc = enc.index.corpus.header
    hroot = header_doc.root if header_doc is not None else None
    doc_id = enc.doc_id
    place = setting_place.text

    tei = E("TEI", xml_id=doc_id, xml_lang="en")
    header = sub(tei, "teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", f"{event_text}, {place}, {prose_date(dates)}", type="main")
    editor = hroot.find(f".//{T}titleStmt/{T}editor") if hroot is not None else None
    editor_ref = f"#{editor.get(XML_ID)}" if editor is not None and editor.get(XML_ID) else None
    editor_name = " ".join("".join(editor.itertext()).split()) if editor is not None else "[editor: fill in]"
    sub(title_stmt, "editor", editor_name, role="editor", ref=editor_ref)
    resp = sub(title_stmt, "respStmt")
    sub(resp, "resp", "TEI encoding from the plain-text record (draft made by edition import)")
    sub(resp, "name", editor_name, ref=editor_ref)

    pub = sub(file_desc, "publicationStmt")
    publisher = hroot.findtext(f".//{T}publicationStmt/{T}publisher") if hroot is not None else None
    sub(pub, "publisher", " ".join((publisher or "[publisher: fill in]").split()))
    if enc.date:
        sub(pub, "date", enc.date[:4], when=enc.date)
    sub(pub, "idno", doc_id, type="document")
    licence = hroot.find(f".//{T}publicationStmt/{T}availability/{T}licence") if hroot is not None else None
    availability = sub(pub, "availability", status="free")
    if licence is not None:
        sub(availability, "licence", " ".join("".join(licence.itertext()).split()), target=licence.get("target"))
    else:
        sub(availability, "licence", "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            target="https://creativecommons.org/licenses/by/4.0/")

    source = sub(sub(file_desc, "sourceDesc"), "bibl", type="record")
    sub(source, "title", f"Plain-text record of a meeting: {event_text}, {record.fields['dates'].text}", type="desc")
    sub(source, "idno", record.stem, type="record")
    if enc.citation is not None:
        note = sub(source, "note", "The record cites ")
        scope = enc.citation.findtext(f"{T}biblScope") or ""
        said = ", ".join(filter(None, [enc.citation.findtext(f"{T}author/{T}persName"),
                                       enc.citation.findtext(f"{T}date"), scope]))
        if enc.citation.get("corresp"):
            sub(note, "ref", said, target=enc.citation.get("corresp")).tail = "."
        else:
            note.text += said + "."

    profile = E("profileDesc")
    lang = sub(profile, "langUsage")
    sub(lang, "language", "English", ident="en")
    setting = sub(sub(profile, "settingDesc"), "setting")
    sub(setting, "name", event_text, type="event", ref=event_ref)
    setting.append(setting_place)
    sub(setting, "date", record.fields["dates"].text, **dates)

    if enc.prefixes:
        encoding = sub(header, "encodingDesc")
        prefix_list = sub(encoding, "listPrefixDef")
        for register, ident in sorted(enc.prefixes.items(), key=lambda x: x[1]):
            target = enc._register_by_path[register].path
            rel = Path(os.path.relpath(target, enc.out_path.parent)).as_posix()
            sub(prefix_list, "prefixDef", ident=ident, matchPattern="(.+)", replacementPattern=f"{rel}#$1")
    header.append(profile)
    revision = sub(header, "revisionDesc")
    sub(revision, "change", f"Draft made by edition import from the plain-text record {record.stem}; "
        "names, dates, documents and the citation linked to the registers automatically, to be reviewed.",
        when=enc.date, who=editor_ref)
    sub(tei, "text").append(body)
    return tei
