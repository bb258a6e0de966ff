"""The DTS Level 0 API as static files in the web edition (`api/dts/`), written with the pages.

Every URL the static templates (urls.py) let a client build is a file: the entry point, the root
collection and each resource (with nav = children and parents), the navigation of each resource
(`down` from 1 to the tree's depth and -1; each unit alone, with its siblings (`down=0`) and
with its subtree), and the document with every passage. The answers are those `edition serve`
gives (responses.py); only their templates differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from tei_edition.diagnostics import Diagnostic
from tei_edition.interfaces.dts.responses import ROOT_ID, Answer, Service
from tei_edition.interfaces.dts.urls import API, Urls, expand, static_file
from tei_edition.model.edition import Site



def requests(service: Service) -> Iterator[tuple[str, str, dict]]:
    """(url, endpoint, parameters) of every static request, in a stable order."""
    urls = service.urls
    yield urls.entry, "", {}
    yield expand(urls.collection), "collection", {}
    for ident in (ROOT_ID, *service.resources):
        for nav in (None, "children", "parents"):
            yield expand(urls.collection, id=ident, nav=nav), "collection", {"id": ident, "nav": nav}
    for resource in service.resources:
        cited = service.tree(resource)
        yield expand(urls.document, resource=resource), "document", {"resource": resource}
        for down in (*range(1, cited.depth + 1), -1):
            yield expand(urls.navigation, resource=resource, down=down), "navigation", {"resource": resource, "down": down}
        for unit in cited.units:
            yield expand(urls.document, resource=resource, ref=unit.identifier), "document", \
                {"resource": resource, "ref": unit.identifier}
            for down in (None, 0, *range(1, max(1, cited.depth - unit.level) + 1), -1):
                yield expand(urls.navigation, resource=resource, ref=unit.identifier, down=down), "navigation", \
                    {"resource": resource, "ref": unit.identifier, "down": down}


def write_static(service: Service, folder: Path) -> list[Diagnostic]:
    """Write every static answer below `folder` (the site's root); problems as warnings."""
    found: list[Diagnostic] = []
    for resource, info in service.resources.items():
        for line, problem in service.tree(resource).problems:
            found.append(Diagnostic(info.doc.display, line or 1, 1, "warning", f"DTS citation: {problem}",
                                    "dts-citation", "correct the refsDecl/citeStructure of this document (docs/dts.md)"))
    skipped: set[str] = set()
    for url, endpoint, params in requests(service):
        answer: Answer = service.answer(endpoint, {k: str(v) for k, v in params.items() if v is not None})
        target = static_file(service.urls, url)
        if target is None:
            skipped.add(params.get("resource", ""))
            continue
        if answer.status != 200:
            continue  # e.g. a unit whose reference is given twice: its first unit is written
        path = folder / API / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(answer.body)
    for resource in sorted(skipped):
        info = service.resources[resource]
        found.append(Diagnostic(info.doc.display, 1, 1, "warning",
                                "DTS: a reference with '/' (or '.', '..') cannot be a static file name; the "
                                "served API answers it, the static one leaves it out", "dts-citation",
                                "use references without '/' in the citeStructure's @use"))
    return found


def write_dts(ctx, site: Site, folder: Path) -> list[Diagnostic]:
    """SITE_FILES entry: the static DTS API of the edition (unless `[html] dts = false`)."""
    if not ctx.config.html.dts:
        return []
    return write_static(Service(site, Urls.published(ctx.config.html.base_url), ctx.config.html.base_url), folder)
