"""What the OAI-PMH and CMIF tests share: the response schema, a recording harvester, a letters subset."""

from __future__ import annotations

import re
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

from lxml import etree
from sickle import Sickle

from helpers import SCHEMAS, SHARED

# OAI-PMH.xsd as python3-gavo ships it, unpacked by .ci/test-schemas.sh (setup.sh --test)
OAI_XSD = Path("/usr/local/share/xml/oai-pmh/OAI-PMH.xsd")
OAI = "{http://www.openarchives.org/OAI/2.0/}"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
LETTERS = SHARED / "corpora" / "schnitzler-briefe" / "data"

# The TEI records are checked against tei_all (RELAX NG) on their own; in the envelope, the
# strict wildcard of OAI-PMH.xsd needs some declaration of TEI, so this one admits any content.
TEI_STUB = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
    targetNamespace="http://www.tei-c.org/ns/1.0">
  <xs:element name="TEI"><xs:complexType mixed="true"><xs:sequence>
    <xs:any processContents="skip" namespace="##any" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence><xs:anyAttribute processContents="skip"/></xs:complexType></xs:element>
</xs:schema>"""


def response_schema(folder: Path) -> etree.XMLSchema:
    """OAI-PMH 2.0 with the oai_dc and DataCite 4.7 schemas for the records inside."""
    assert OAI_XSD.is_file(), f"{OAI_XSD} missing: run ./setup.sh --test (it unpacks it from python3-gavo)"
    (folder / "tei-stub.xsd").write_text(TEI_STUB, encoding="utf-8")
    imports = {"http://www.openarchives.org/OAI/2.0/": OAI_XSD,
               "http://www.openarchives.org/OAI/2.0/oai_dc/": SCHEMAS / "oai-dc" / "oai_dc.xsd",
               "http://datacite.org/schema/kernel-4": SCHEMAS / "datacite-4.7" / "metadata.xsd",
               "http://www.tei-c.org/ns/1.0": folder / "tei-stub.xsd"}
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
               + "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports.items())
               + "</xs:schema>")
    (folder / "all.xsd").write_text(wrapper, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "all.xsd")))


class RecordingSickle(Sickle):
    """A sickle harvester that keeps every response it got, to validate each one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses: list[bytes] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.responses.append(response.http_response.content)
        return response


def assert_valid(schema: etree.XMLSchema, body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert schema.validate(root), f"{schema.error_log.last_error}\n{body[:1500].decode()}"
    return root


def oai_get(url: str, **query: str) -> bytes:
    with urllib.request.urlopen(url + "?" + urllib.parse.urlencode(query), timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/xml")
        return response.read()


def error_code(body: bytes) -> str | None:
    error = etree.fromstring(body).find(f"{OAI}error")
    return error.get("code") if error is not None else None


POINTER = re.compile(r'(?:ref|key|target)="#?([\w.-]+)"')


def letters_subset(folder: Path, names: list[str]) -> Path:
    """A few schnitzler-briefe letters with the registers cut down to the entries they need
    (every entry a kept letter or a kept entry points to), so a build takes seconds."""
    (folder / "letters").mkdir(parents=True)
    (folder / "indices").mkdir()
    for name in names:
        shutil.copy(LETTERS / "editions" / f"{name}.xml", folder / "letters")
    ids: set[str] = set()
    for letter in (folder / "letters").glob("*.xml"):
        ids |= set(POINTER.findall(letter.read_text(encoding="utf-8")))
    trees = {p.name: etree.parse(str(p)) for p in sorted((LETTERS / "indices").glob("*.xml"))}

    def entries(tree):
        return [el for el in tree.iter() if el.get(XML_ID) and el.getparent() is not None
                and etree.QName(el.getparent()).localname.startswith("list")]

    while True:  # until no kept entry points to one not yet kept
        more = set(ids)
        for tree in trees.values():
            for el in entries(tree):
                if el.get(XML_ID) in ids:
                    more |= set(POINTER.findall(etree.tostring(el, encoding="unicode")))
        if more == ids:
            break
        ids = more
    for name, tree in trees.items():
        for el in entries(tree):
            if el.get(XML_ID) not in ids:
                el.getparent().remove(el)
        tree.write(str(folder / "indices" / name), encoding="UTF-8", xml_declaration=True)
    (folder / "edition.toml").write_text(
        '[edition]\nsources = ["letters/*.xml"]\nregisters = ["indices/*.xml"]\noutput = "output"\n'
        '[html]\nbase-url = "https://letters.example.org/"\n'
        '[oai]\npage-size = 3\nadmin-email = "editors@letters.example.org"\n'
        'gateway = "https://gateway.example.org/oai"\n'
        # the subset leaves out the letters the kept ones point to (previous/next)
        '[validation]\nlevels = { ref-document = "warning" }\n', encoding="utf-8")
    return folder / "edition.toml"
