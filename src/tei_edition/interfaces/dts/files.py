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

from tei_edition.interfaces.dts.responses import CONTEXT, ROOT_ID, VERSION, Service


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps's, made once


def _dumps(data) -> str:
    return _ENCODER.encode(data)


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
    # the tree walked once: each unit's JSON, its position, and where its subtree ends (the
    # first unit after it at its level or above), from which every navigation answer is joined
    texts = [_dumps(service._unit_json(u, info)) for u in units]
    levels = [u.level for u in units]
    position = {id(u): i for i, u in enumerate(units)}
    ends = [len(units)] * len(units)
    open_units: list[int] = []
    for i, level in enumerate(levels):
        while open_units and levels[open_units[-1]] >= level:
            ends[open_units.pop()] = i
        open_units.append(i)

    def below(start: int, end: int, deepest: int) -> list[int]:
        """Positions of units[start:end] down to level `deepest` (-1: all): `_subtree()`."""
        if deepest < 0:
            return list(range(start, end))
        return [j for j in range(start, end) if levels[j] <= deepest]

    def answer(url: str, first: int | None, found: list[int] | None) -> bytes:
        body = nav_head + encode_basestring(url) + nav_resource
        if first is not None:
            body += ',"ref":' + texts[first]
        if found is None:
            return (body + "}").encode("utf-8")
        return (body + ',"member":[' + ",".join([texts[j] for j in found]) + "]}").encode("utf-8")

    depth = cited.depth
    for down in (*range(1, depth + 1), -1):
        out.append((f"navigation/{resource};down={down}.json",
                    answer(f"{id_start};down={down}.json", None, below(0, len(units), down))))
    siblings: dict[tuple, list[int]] = {}
    for i, unit in enumerate(units):
        siblings.setdefault((unit.parent, unit.level), []).append(i)
    passages: dict[str, bytes] = {}
    for unit in units:
        ref = unit.identifier
        downs = (None, 0, *range(1, max(1, depth - unit.level) + 1), -1)
        if not _plain(ref + ".json"):
            out += [(None, None)] * (1 + len(downs))
            continue
        first = position[id(cited.find(ref))]  # a reference given twice answers with its first unit
        if ref not in passages:
            passages[ref] = service.passage(resource, ref)
        out.append((f"document/{resource}/{ref}.xml", passages[ref]))
        end = f"/{quote(ref, safe='')}.json"
        for down in downs:
            if down is None:
                out.append((f"navigation/{resource}/{ref}.json", answer(id_start + end, first, None)))
                continue
            if down == 0:
                found = siblings[(units[first].parent, levels[first])]
            else:
                found = below(first + 1, ends[first], -1 if down == -1 else levels[first] + down) or [first]
            out.append((f"navigation/{resource};down={down}/{ref}.json",
                        answer(f"{id_start};down={down}{end}", first, found)))
    return out
