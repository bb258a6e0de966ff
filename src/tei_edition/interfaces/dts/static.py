"""The DTS Level 0 API as static files in the web edition (`api/dts/`), written with the pages.

Every URL the static templates (urls.py) let a client build is a file: the entry point, the root
collection and each resource (with nav = children and parents), the navigation of each resource
(`down` from 1 to the tree's depth and -1; each unit alone, with its siblings (`down=0`) and
with its subtree), and the document with every passage. The answers are those `edition serve`
gives (responses.py); only their templates differ.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from tei_edition.cache.site_files import SiteFileGroups
from tei_edition.cache.store import digest, file_digest
from tei_edition.diagnostics import Diagnostic
from tei_edition.interfaces.dts.files import resource_files
from tei_edition.interfaces.dts.responses import ROOT_ID, Answer, Service
from tei_edition.interfaces.dts.urls import API, Urls, expand, static_name
from tei_edition.model.edition import Site


def requests(service: Service, skip: set[str] = frozenset()) -> Iterator[tuple[str, str, str, dict]]:
    """(group, url, endpoint, parameters) of every static request, in a stable order; the group
    is the resource the answer is about ("" for the entry point and the root collection). The
    resources in `skip` are left out."""
    yield from requests_of(service, "")
    for resource in service.resources:
        if resource not in skip:
            yield from requests_of(service, resource)


def requests_of(service: Service, resource: str) -> Iterator[tuple[str, str, str, dict]]:
    """requests() of one group: a resource's, or ("") the entry point's and the root collection's."""
    urls = service.urls
    if not resource:
        yield "", urls.entry, "", {}
        yield "", expand(urls.collection), "collection", {}
        for nav in (None, "children", "parents"):
            yield "", expand(urls.collection, id=ROOT_ID, nav=nav), "collection", {"id": ROOT_ID, "nav": nav}
        return
    for nav in (None, "children", "parents"):
        yield resource, expand(urls.collection, id=resource, nav=nav), "collection", {"id": resource, "nav": nav}
    cited = service.tree(resource)
    yield resource, expand(urls.document, resource=resource), "document", {"resource": resource}
    for down in (*range(1, cited.depth + 1), -1):
        yield resource, expand(urls.navigation, resource=resource, down=down), "navigation", \
            {"resource": resource, "down": down}
    for unit in cited.units:
        yield resource, expand(urls.document, resource=resource, ref=unit.identifier), "document", \
            {"resource": resource, "ref": unit.identifier}
        for down in (None, 0, *range(1, max(1, cited.depth - unit.level) + 1), -1):
            yield resource, expand(urls.navigation, resource=resource, ref=unit.identifier, down=down), \
                "navigation", {"resource": resource, "ref": unit.identifier, "down": down}


def static_answers(service: Service, resource: str) -> Iterator[tuple[str | None, bytes | None]]:
    """(file name below the API folder, body) of each static answer of a group (see
    requests_of()); (None, None) for a request no file name can hold. Answers other than 200
    are left out (a unit whose reference is given twice: its first unit is written)."""
    fast = resource_files(service, resource) if resource else None
    if fast is not None:
        yield from fast
        return
    for _, url, endpoint, params in requests_of(service, resource):
        target = static_name(service.urls, url)
        if target is None:
            yield None, None
            continue
        answer: Answer = service.answer(endpoint, {k: str(v) for k, v in params.items() if v is not None})
        if answer.status == 200:
            yield target, answer.body


def write_static(service: Service, folder: Path, groups: SiteFileGroups | None = None,
                 shared: str = "") -> list[Diagnostic]:
    """Write every static answer below `folder` (the site's root); problems as warnings.

    With `groups`, a resource's answers are linked from the published site while its document
    and `shared` (what every answer also depends on: the header, the address) are unchanged.
    """
    found: list[Diagnostic] = []
    skipped: set[str] = set()
    written: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    reused: set[str] = set()
    files = _Files(os.path.join(str(folder), API))

    def publish(group: str) -> None:
        files.new_group()
        for target, body in static_answers(service, group):
            if target is None:
                skipped.add(group)
                continue
            files.write(target, body)
            written.setdefault(group, []).append(API + target)

    # one resource at a time: its document is parsed once, and its tree let go once written
    for resource, info in service.resources.items():
        if groups is not None:
            # the document and what its listing says (a date may come from a register)
            # (the root collection, described in each resource's parents, counts the resources)
            keys[resource] = groups.key(shared, str(len(service.resources)), resource, file_digest(info.doc.path),
                                        info.doc.title,
                                        info.date_from, info.date_to, info.source_href)
            if groups.reuse(resource, keys[resource]):
                reused.add(resource)
                service.known_resource(resource, json.loads(groups.data(resource)))  # in its own key order
                continue
        for line, problem in service.tree(resource).problems:
            found.append(Diagnostic(info.doc.display, line or 1, 1, "warning", f"DTS citation: {problem}",
                                    "dts-citation", "correct the refsDecl/citeStructure of this document (docs/dts.md)"))
        service.resource_json(resource)  # kept: the root collection lists every resource
        publish(resource)
        service.forget_tree(resource)
    publish("")
    for resource in sorted(skipped):
        info = service.resources[resource]
        found.append(Diagnostic(info.doc.display, 1, 1, "warning",
                                "DTS: a reference with '/' (or '.', '..') cannot be a static file name; the "
                                "served API answers it, the static one leaves it out", "dts-citation",
                                "use references without '/' in the citeStructure's @use"))
    if groups is not None:
        for resource in service.resources:
            # a resource with warnings is made again next time, so its warnings are reported again
            if resource not in reused and not any(d.path == service.resources[resource].doc.display for d in found):
                groups.made(resource, keys[resource], written.get(resource, []),
                            json.dumps(service.resource_json(resource), ensure_ascii=False))
        groups.save()
    return found


def write_dts(ctx, site: Site, folder: Path) -> list[Diagnostic]:
    """SITE_FILES entry: the static DTS API of the edition (unless `[html] dts = false`)."""
    if not ctx.config.html.dts:
        return []
    base_url = ctx.config.html.base_url
    header = ctx.corpus.header
    shared = digest(base_url, file_digest(header.path) if header is not None else "")
    groups = SiteFileGroups(ctx.config.output / "html", folder, "dts", "dts", ctx.incremental)
    return write_static(Service(site, Urls.published(base_url), base_url), folder, groups, shared)


class _Files:
    """Files written below one folder with plain os calls and string paths (some 100,000 per
    build): each folder made once; within a group, a body already written is hard-linked
    (a new inode costs a file system far more than a link) and a name written again (a reference
    given twice: the same answer) is left as it is."""

    FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)

    def __init__(self, root: str):
        self.root = root
        self.folders: set[str] = set()
        self.names: set[str] = set()
        self.bodies: dict[bytes, str] = {}

    def new_group(self) -> None:
        """Links stay within a group: the groups are reused (and so linked) one by one."""
        self.names.clear()
        self.bodies.clear()

    def write(self, name: str, body: bytes) -> None:
        if name in self.names:
            return
        self.names.add(name)
        path = self.root + name
        parent = path.rpartition("/")[0]
        if parent not in self.folders:
            os.makedirs(parent, exist_ok=True)
            self.folders.add(parent)
        same = self.bodies.get(body)
        if same is not None:
            try:
                os.link(same, path)
                return
            except OSError:  # a file system without hard links: write it
                pass
        fd = os.open(path, self.FLAGS, 0o666)
        try:
            view = memoryview(body)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.bodies[body] = path
