"""One resource's static DTS files, made fast: the names and bytes of the reference path (static.py).

The reference path is `requests_of()` answered by `Service.answer()`. A resource has some 70 static files, most of them navigation answers that repeat the same
parts: the resource's description, each unit's description. Each part is serialised once (as
`json.dumps` would write it inside the answer: with `separators=(",", ":")` JSON is the
concatenation of its parts) and every answer is joined from them; each file's name is formed
directly from the resource and the reference instead of expanding the URI template and mapping
the URL back to a file. tests/test_dts_files.py checks, file by file, that the names and bytes
are those of the reference path (requests() + Service.answer()); any resource this module does
not cover (a served URL form, an identifier a file name cannot hold, the root collection's
identifier) goes that path.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from urllib.parse import quote

from tei_edition.interfaces.dts.citation import CitableUnit
from tei_edition.interfaces.dts.responses import CONTEXT, ROOT_ID, VERSION, Service, _subtree


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _plain(part: str) -> bool:
    """A resource or reference that stands for itself in a file name (static_name's test)."""
    return part not in ("", ".", "..") and "/" not in part and "\\" not in part


def resource_files(service: Service, resource: str) -> list[tuple[str, bytes | None]] | None:
    """(file name below the API folder, body) of each static request of `resource`, in the order
    of requests(); a reference that no file name can hold gives (None, None) (static.py reports
    it). None when the reference path must make them."""
    urls = service.urls
    if not urls.static or resource == ROOT_ID or not _plain(resource):
        return None
    info, cited = service.resources[resource], service.tree(resource)
    head = f'{{"@context":{_dumps(CONTEXT)},"dtsVersion":{_dumps(VERSION)},'
    described = _dumps(service.resource_json(resource))
    about = head + described[1:-1]
    root = service._root_json()
    collection = (about + ',"member":[]}').encode("utf-8")
    out: list[tuple[str, bytes | None]] = [
        (f"collection/{resource}.json", collection),
        (f"collection/{resource}/children.json", collection),
        (f"collection/{resource}/parents.json", (about + f',"member":[{_dumps(root)}]}}').encode("utf-8")),
        (f"document/{resource}.xml", info.doc.path.read_bytes()),
    ]
    # "@id" of a navigation answer: its URL (the navigation template expanded)
    id_start = urls.root + "navigation/" + quote(resource, safe="")
    nav_head = head + '"@type":"Navigation","@id":'
    nav_resource = ',"resource":' + described
    units = cited.units
    unit_text: dict[int, str] = {}

    def text(unit: CitableUnit) -> str:
        if id(unit) not in unit_text:
            unit_text[id(unit)] = _dumps(service._unit_json(unit, info))
        return unit_text[id(unit)]

    def members(found: list[CitableUnit]) -> str:
        return ',"member":[' + ",".join(text(u) for u in found) + "]}"

    def answer(ref: str, down: int | None, first: CitableUnit | None, found: list[CitableUnit] | None) -> bytes:
        url = id_start + ("" if down is None else f";down={down}") + ("" if ref is None else "/" + quote(ref, safe="")) + ".json"
        body = nav_head + encode_basestring(url) + nav_resource
        if first is not None:
            body += ',"ref":' + text(first)
        return (body + ("}" if found is None else members(found))).encode("utf-8")

    depth = cited.depth
    for down in (*range(1, depth + 1), -1):
        out.append((f"navigation/{resource};down={down}.json", answer(None, down, None, _subtree(units, None, down))))
    siblings: dict[tuple, list[CitableUnit]] = {}
    for unit in units:
        siblings.setdefault((unit.parent, unit.level), []).append(unit)
    passages: dict[str, bytes] = {}
    for unit in units:
        ref = unit.identifier
        downs = (None, 0, *range(1, max(1, depth - unit.level) + 1), -1)
        if not _plain(ref + ".json"):
            out += [(None, None)] * (1 + len(downs))
            continue
        first = cited.find(ref)  # a reference given twice answers with its first unit
        if ref not in passages:
            passages[ref] = service.passage(resource, ref)
        out.append((f"document/{resource}/{ref}.xml", passages[ref]))
        for down in downs:
            name = f"navigation/{resource}" + ("" if down is None else f";down={down}") + f"/{ref}.json"
            if down is None:
                found = None
            elif down == 0:
                found = siblings[(first.parent, first.level)]
            else:
                found = _subtree(units, first, down) or [first]
            out.append((name, answer(ref, down, first, found)))
    return out
