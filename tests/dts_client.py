"""A small DTS 1.0 client for the tests: it knows only the entry point's URL and follows the URI
templates it is given (uritemplate, RFC 6570), as any DTS client does, checking what the
specification requires of each answer on the way."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import uritemplate
from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
WRAPPER = "{https://w3id.org/api/dts#}wrapper"
CONTEXT = "https://dtsapi.org/context/v1.0.json"

# url → (HTTP status, content type, body)
Get = Callable[[str], tuple[int, str, bytes]]


def expand(template: str, **params) -> str:
    return uritemplate.expand(template, {k: str(v) for k, v in params.items() if v is not None})


@dataclass
class Read:
    """What the client read from one API."""

    answers: dict[str, dict] = field(default_factory=dict)        # url → JSON answer
    units: dict[str, list[dict]] = field(default_factory=dict)    # resource → CitableUnits (down=-1)
    passages: dict[tuple[str, str], str] = field(default_factory=dict)  # (resource, ref) → wrapper's text
    documents: dict[str, bytes] = field(default_factory=dict)     # resource → the whole document


class Client:
    def __init__(self, get: Get):
        self.get = get

    def json(self, url: str, read: Read) -> dict:
        status, media, body = self.get(url)
        assert status == 200, (url, status, body[:300])
        assert media.startswith("application/ld+json") or media.startswith("application/json"), (url, media)
        data = json.loads(body)
        assert data["@context"] == CONTEXT and data["dtsVersion"] == "1.0", url
        read.answers[url] = data
        return data

    def tei(self, url: str) -> etree._Element:
        status, _media, body = self.get(url)
        assert status == 200, (url, status, body[:300])
        root = etree.fromstring(body)
        assert root.tag == f"{TEI}TEI", url
        return root

    def read(self, entry_url: str, passages_per_resource: int = 1000) -> Read:
        read = Read()
        entry = self.json(entry_url, read)
        assert entry["@type"] == "EntryPoint"
        for key in ("collection", "navigation", "document"):
            assert "{" in entry[key], f"the entry point's {key} is a URI template"
        root = self.json(expand(entry["collection"]), read)
        assert root["@type"] == "Collection" and root["totalParents"] == 0
        assert root["totalChildren"] == len(root["member"])
        for member in root["member"]:
            self.read_resource(member, read, passages_per_resource)
        return read

    def read_resource(self, member: dict, read: Read, limit: int) -> None:
        assert member["@type"] == "Resource"
        for key in ("@id", "title", "totalParents", "collection", "navigation", "document", "citationTrees"):
            assert key in member, (member["@id"], key)
        ident = member["@id"]
        alone = self.json(expand(member["collection"]), read)
        assert alone["@id"] == ident and alone["@type"] == "Resource"
        parents = self.json(expand(member["collection"], nav="parents"), read)
        assert [p["@type"] for p in parents["member"]] == ["Collection"]
        nav = self.json(expand(member["navigation"], down=-1), read)
        assert nav["@type"] == "Navigation" and nav["resource"]["@id"] == ident
        units = nav["member"]
        read.units[ident] = units
        seen: set[str] = set()
        for unit in units:  # pre-order: a unit's parent comes before it
            assert unit["@type"] == "CitableUnit" and isinstance(unit["level"], int)
            assert unit["parent"] is None or unit["parent"] in seen, unit
            assert unit["identifier"] not in seen, f"{ident}: {unit['identifier']} twice"
            seen.add(unit["identifier"])
        top = self.json(expand(member["navigation"], down=1), read)
        assert [u["identifier"] for u in top["member"]] == [u["identifier"] for u in units if u["level"] == 1]
        read.documents[ident] = etree.tostring(self.tei(expand(member["document"])))
        for unit in units[:limit]:
            ref = unit["identifier"]
            alone = self.json(expand(member["navigation"], ref=ref), read)
            assert alone["ref"]["identifier"] == ref and "member" not in alone
            siblings = self.json(expand(member["navigation"], ref=ref, down=0), read)
            assert ref in [u["identifier"] for u in siblings["member"]]
            passage = self.tei(expand(member["document"], ref=ref))
            wrapper = passage.find(WRAPPER)
            assert wrapper is not None and len(wrapper), f"{ident} {ref}: no passage in dts:wrapper"
            read.passages[(ident, ref)] = " ".join("".join(wrapper.itertext()).split())
