"""Writing a draft: indentation that never touches the text, xml-model instructions, the review file, the date."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

from lxml import etree

from tei_edition.names import TEI_NS, XML_ID
from tei_edition.config import Config
from tei_edition.model.index import Index
from tei_edition.runtime.epoch import fixed_day
from tei_edition.commands.importer.encode import Encoder, Unlinked
from tei_edition.commands.importer.names import REGISTER_ELEMENTS
from tei_edition.commands.importer.names import NAME_ELEMENTS
from tei_edition.commands.importer.record import Record

T = f"{{{TEI_NS}}}"
SCHEMATYPENS = {
    ".xsd": "http://www.w3.org/2001/XMLSchema",
    ".sch": "http://purl.oclc.org/dsdl/schematron",
    ".rng": "http://relaxng.org/ns/structure/1.0",
}

# Elements that hold only other elements; everything else is mixed content and kept as built,
# so that indentation never adds or moves a space inside the text.
BLOCKS = {"TEI", "teiHeader", "fileDesc", "titleStmt", "respStmt", "publicationStmt", "availability",
          "sourceDesc", "encodingDesc", "listPrefixDef", "profileDesc", "langUsage", "settingDesc",
          "setting", "revisionDesc", "text", "body", "div", "list"}


def indent(el: etree._Element, level: int = 0) -> None:
    name = etree.QName(el).localname
    is_block = name in BLOCKS or (name == "bibl" and el.get("type") == "record")
    if not is_block or not len(el) or (el.text or "").strip():
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


def xml_model_lines(schemas: Iterable[Path], out_dir: Path) -> list[str]:
    lines = []
    for schema in schemas:
        ns = SCHEMATYPENS.get(schema.suffix)
        if ns is None:
            continue
        href = Path(os.path.relpath(schema, out_dir)).as_posix()
        lines.append(f'<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>')
    return lines


def serialize(tei: etree._Element, schemas: Iterable[Path], out_dir: Path) -> bytes:
    indent(tei)
    head = ['<?xml version="1.0" encoding="UTF-8"?>', *xml_model_lines(schemas, out_dir)]
    body = etree.tostring(tei, encoding="unicode")
    return ("\n".join(head) + "\n" + body + "\n").encode("utf-8")


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def proposed_entry(u: Unlinked) -> str:
    tag = REGISTER_ELEMENTS[u.kind]
    esc = u.name.replace("&", "&amp;").replace("<", "&lt;")
    attrs = "".join(f' {k}="{v}"' for k, v in u.attributes.items())
    if u.kind == "document":
        inner = f'<title type="main">{esc}</title>'
    elif u.kind == "event":
        inner = f"<label>{esc}</label>"
    else:
        name = NAME_ELEMENTS[u.kind]
        inner = f'<{name} type="main" xml:lang="en">{esc}</{name}>'
    return f'<{tag} xml:id="{u.proposed_id}"{attrs}>{inner}</{tag}>'


def review_text(record: Record, draft: Path, encoder: Encoder) -> str:
    out = [f"# Review of the draft {draft.name}, made by `edition import` from {record.path.name}.",
           "# Nothing was added to the registers. For each [[unlinked]] name: check it, add the proposed",
           "# entry (edit it as needed) to the register named, or change the draft's pointer to an existing",
           "# entry. `edition validate` reports the draft's pointers to proposed ids until then.",
           "# [[ambiguous]] names in the text that several entries carry were left unmarked.",
           "# [[linked]] lists the names linked automatically; \"variant\" means by case, hyphenation or",
           "# an alternative name, worth a second look.",
           f"record = {toml_string(record.path.name)}",
           f"draft = {toml_string(draft.name)}",
           ""]
    for u in encoder.unlinked:
        out += ["[[unlinked]]", f"name = {toml_string(u.name)}", f"kind = {toml_string(u.kind)}",
                f"record_line = {u.line}", f"record_col = {u.col}", f"proposed_id = {toml_string(u.proposed_id)}",
                f"register = {toml_string(u.register or '(no register for this kind: create one)')}",
                f"entry = {toml_string(proposed_entry(u))}"]
        if u.note:
            out.append(f"note = {toml_string(u.note)}")
        out.append("")
    for name, ids, line in encoder.ambiguous:
        out += ["[[ambiguous]]", f"name = {toml_string(name)}", f"candidates = [{', '.join(map(toml_string, ids))}]",
                f"record_line = {line.number if line else 1}", ""]
    seen = set()
    for link in encoder.linked:
        if (link.name, link.entity) in seen:
            continue
        seen.add((link.name, link.entity))
        out += ["[[linked]]", f"name = {toml_string(link.name)}", f"entity = {toml_string(link.entity)}",
                f"how = {toml_string(link.how)}", ""]
    return "\n".join(out)


def draft_date(config: Config, index: Index) -> str | None:
    """The draft's date without reading the clock: SOURCE_DATE_EPOCH, else the edition header's date."""
    day = fixed_day()
    if day is not None:
        return day
    header = index.corpus.header
    if header is not None:
        when = header.root.find(f".//{T}publicationStmt/{T}date")
        if when is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when.get("when", "")):
            return when.get("when")
    return None


def draft_name(tei: etree._Element) -> str:
    return tei.get(XML_ID).removeprefix("meeting-") + ".xml"


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


