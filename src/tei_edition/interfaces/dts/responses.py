"""The DTS 1.0 answers (entry point, collection, navigation, document), for the build and the server.

One builder, `Service`, answers every request from the edition's `Site` (the documents as the
web edition lists them) and the citation trees (citation.py); the static writer (static.py)
writes its answers to files, `edition serve` (served.py) sends them. The answers follow the
specification's tables: a root collection holding every document as a `Resource`, the
navigation table of `down`/`ref` (Level 0: `start`/`end` get 400), and TEI passages in
`<dts:wrapper>`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from tei_edition.interfaces.dts.citation import CitableUnit, CitationTree, citation_tree
from tei_edition.interfaces.dts.urls import Urls, expand
from tei_edition.model.addresses import DocumentInfo
from tei_edition.model.edition import Site
from tei_edition.model.facts import edition_facts
from tei_edition.names import TEI_NS, XML_LANG

CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
WRAPPER_NS = "https://w3id.org/api/dts#"
ROOT_ID = "edition"  # the root collection's identifier
JSON_LD = "application/ld+json"
T = f"{{{TEI_NS}}}"
TEI_XML = "application/tei+xml"


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: dict, status: int = 200) -> "Answer":
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return cls(status, JSON_LD if status == 200 else "application/json", text.encode("utf-8"))

    @classmethod
    def error(cls, status: int, message: str) -> "Answer":
        return cls.json({"message": message}, status)


class Service:
    """Every DTS answer for one edition, in one URL form."""

    def __init__(self, site: Site, urls: Urls, base_url: str = ""):
        self.site = site
        self.urls = urls
        self.base_path = (urlsplit(base_url).path or "/").rstrip("/") + "/"
        self._trees: dict[str, CitationTree] = {}
        self._languages: dict[str, str] = {}
        self._resource_json_made: dict[str, dict] = {}  # read-only once made: shared by the answers

    @cached_property
    def resources(self) -> dict[str, DocumentInfo]:
        """Documents by resource identifier (their page name: unique, and safe in a URL path)."""
        return {info.page: info for info in self.site.documents}

    @cached_property
    def title(self) -> str:
        header = self.site.index.corpus.header
        facts = edition_facts(header.root) if header is not None else {}
        return facts.get("title") or self.site.index.corpus.config.path.parent.name

    def tree(self, resource: str) -> CitationTree:
        if resource not in self._trees:
            self._trees[resource] = citation_tree(self.resources[resource].doc.tree)
        return self._trees[resource]

    def forget_tree(self, resource: str) -> None:
        """Let a resource's citation tree (and with it its parsed document) go; made again if asked."""
        self._trees.pop(resource, None)

    # -- entry point and collections ------------------------------------------------------------

    def entry(self) -> Answer:
        return Answer.json({"@context": CONTEXT, "dtsVersion": VERSION, "@id": self.urls.entry, "@type": "EntryPoint",
                            "collection": self.urls.collection, "navigation": self.urls.navigation,
                            "document": self.urls.document})

    def _root_json(self) -> dict:
        return {"@id": ROOT_ID, "@type": "Collection", "title": self.title, "totalParents": 0,
                "totalChildren": len(self.resources), "collection": self.urls.collection_of(ROOT_ID)}

    def known_resource(self, resource: str, data: dict) -> None:
        """Take a resource's description from an earlier build (its document unchanged)."""
        self._resource_json_made[resource] = data

    def resource_json(self, resource: str) -> dict:
        return self._resource_json(resource)

    def _resource_json(self, resource: str) -> dict:
        if resource not in self._resource_json_made:
            self._resource_json_made[resource] = self._make_resource_json(resource)
        return self._resource_json_made[resource]

    def _make_resource_json(self, resource: str) -> dict:
        info = self.resources[resource]
        out = {"@id": resource, "@type": "Resource", "title": info.doc.title, "totalParents": 1, "totalChildren": 0,
               "collection": self.urls.collection_of(resource), "navigation": self.urls.navigation_of(resource),
               "document": self.urls.document_of(resource),
               "download": self.base_path + info.source_href, "mediaTypes": [TEI_XML],
               "citationTrees": self.tree(resource).json()}
        dublin = {}
        if info.date_from:
            dublin["date"] = info.date_from if info.date_to in ("", info.date_from) else f"{info.date_from}/{info.date_to}"
        if self._language(info):
            dublin["language"] = [self._language(info)]
        if dublin:
            out["dublinCore"] = dublin
        return out

    def collection(self, ident: str | None = None, nav: str | None = None) -> Answer:
        nav = nav or "children"
        if nav not in ("children", "parents"):
            return Answer.error(400, f'nav must be "children" or "parents", not {nav!r}')
        if ident in (None, "", ROOT_ID):
            out = self._root_json()
            members = [self._resource_json(r) for r in self.resources] if nav == "children" else []
        elif ident in self.resources:
            out = self._resource_json(ident)
            members = [self._root_json()] if nav == "parents" else []
        else:
            return Answer.error(404, f"no collection or resource {ident!r}")
        return Answer.json({"@context": CONTEXT, "dtsVersion": VERSION, **out, "member": members})

    # -- navigation -----------------------------------------------------------------------------

    def _unit_json(self, unit: CitableUnit, info: DocumentInfo) -> dict:
        out = {"identifier": unit.identifier, "@type": "CitableUnit", "level": unit.level, "parent": unit.parent,
               "citeType": unit.cite_type}
        title = unit.title  # read from the element each time: once here
        if title:
            lang = self._language(info)
            out["dublinCore"] = {"title": [{"lang": lang, "value": title}] if lang else [title]}
        return out

    def _checked(self, resource: str | None, ref: str | None, start: str | None, end: str | None,
                 tree: str | None) -> Answer | None:
        """The error answer for a request the specification refuses, else None."""
        if not resource:
            return Answer.error(400, "the resource parameter is required")
        if resource not in self.resources:
            return Answer.error(404, f"no resource {resource!r}")
        if tree:
            return Answer.error(404, f"{resource!r} has one citation tree, the default; leave out tree={tree!r}")
        if start or end:
            return Answer.error(400, "start and end are not supported (a DTS Level 0 server)")
        if ref is not None and self.tree(resource).find(ref) is None:
            return Answer.error(404, f"no citable unit {ref!r} in {resource!r}")
        return None

    def navigation(self, resource: str | None = None, ref: str | None = None, down: str | int | None = None,
                   start: str | None = None, end: str | None = None, tree: str | None = None) -> Answer:
        refused = self._checked(resource, ref, start, end, tree)
        if refused is not None:
            return refused
        try:
            depth = None if down in (None, "") else int(down)
        except ValueError:
            return Answer.error(400, f"down must be an integer, not {down!r}")
        if depth is not None and depth < -1:
            return Answer.error(400, f"down must be -1, 0 or more, not {depth}")
        if depth is None and ref is None:
            return Answer.error(400, "give ref or down (or both)")
        if depth == 0 and ref is None:
            return Answer.error(400, "down=0 needs ref")
        info, cited = self.resources[resource], self.tree(resource)
        out = {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Navigation",
               "@id": expand(self.urls.navigation, resource=resource, ref=ref, down=depth),
               "resource": self._resource_json(resource)}
        unit = cited.find(ref) if ref is not None else None
        if unit is not None:
            out["ref"] = self._unit_json(unit, info)
        if depth is None:
            return Answer.json(out)
        if depth == 0:
            members = [u for u in cited.units if u.parent == unit.parent and u.level == unit.level]
        else:
            members = _subtree(cited.units, unit, depth)
            if unit is not None and not members:
                members = [unit]
        out["member"] = [self._unit_json(u, info) for u in members]
        return Answer.json(out)

    # -- document -------------------------------------------------------------------------------

    def document(self, resource: str | None = None, ref: str | None = None, start: str | None = None,
                 end: str | None = None, tree: str | None = None, media_type: str | None = None) -> Answer:
        refused = self._checked(resource, ref, start, end, tree)
        if refused is not None:
            return refused
        if media_type not in (None, "", TEI_XML, "application/xml"):
            return Answer.error(404, f"{resource!r} is available as {TEI_XML} only, not {media_type}")
        link = {"Link": f'<{expand(self.urls.collection, id=resource)}>; rel="collection"'}
        info = self.resources[resource]
        if ref is None:
            return Answer(200, TEI_XML, info.doc.path.read_bytes(), link)
        return Answer(200, TEI_XML, self.passage(resource, ref), link)

    def passage(self, resource: str, ref: str) -> bytes:
        """The passage of a unit the resource has, in `<dts:wrapper>` (the document answer's body)."""
        unit = self.tree(resource).find(ref)
        tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS, "dts": WRAPPER_NS})
        wrapper = etree.SubElement(tei, f"{{{WRAPPER_NS}}}wrapper", ref=ref)
        passage = copy.deepcopy(unit.element)
        passage.tail = None
        wrapper.append(passage)
        etree.cleanup_namespaces(tei)
        return etree.tostring(tei, xml_declaration=True, encoding="UTF-8")

    # -- requests as they arrive ------------------------------------------------------------------

    def answer(self, endpoint: str, params: dict[str, str]) -> Answer:
        """The answer to `endpoint` ("", "collection", "navigation", "document") with these query
        parameters; unknown parameters are ignored, as in any web API."""
        p = params.get
        if endpoint == "":
            return self.entry()
        if endpoint == "collection":
            if p("page") not in (None, "", "1"):
                return Answer.error(404, "the collections are not paginated: there is only page 1")
            return self.collection(p("id"), p("nav"))
        if endpoint == "navigation":
            if p("page") not in (None, "", "1"):
                return Answer.error(404, "navigation is not paginated: there is only page 1")
            return self.navigation(p("resource"), p("ref"), p("down"), p("start"), p("end"), p("tree"))
        if endpoint == "document":
            return self.document(p("resource"), p("ref"), p("start"), p("end"), p("tree"), p("mediaType"))
        return Answer.error(404, f"no DTS endpoint {endpoint!r}: use collection, navigation or document")

    def _language(self, info: DocumentInfo) -> str:
        """The document's language: xml:lang of <TEI> or <text>, else the first of langUsage."""
        if info.page not in self._languages:
            self._languages[info.page] = _language_of(info.doc.root)
        return self._languages[info.page]


def _language_of(root: etree._Element) -> str:
    text = root.find(f"{T}text")
    used = root.find(f"{T}teiHeader/{T}profileDesc/{T}langUsage/{T}language")
    return (root.get(XML_LANG) or (text.get(XML_LANG) if text is not None else None)
            or (used.get("ident") if used is not None else None) or "")


def _subtree(units: list[CitableUnit], top: CitableUnit | None, down: int) -> list[CitableUnit]:
    """The units below `top` (the whole tree for None) down to `down` levels (-1: all), in order."""
    base = top.level if top is not None else 0
    inside = units
    if top is not None:
        start = units.index(top)
        inside = []
        for u in units[start + 1:]:
            if u.level <= top.level:
                break
            inside.append(u)
    return [u for u in inside if down == -1 or u.level <= base + down]

