"""The facsimile files published with the web edition: the viewer, static IIIF services of local images, manifests.

Registered in writers/html/extras.py (SITE_FILES). For an edition with no facsimile it writes
nothing. Otherwise, below the site:

    assets/openseadragon/           the viewer (installed by setup.sh, see resources.VIEWER_DIR)
    iiif/<page>/<index>/            a local image as a static IIIF Image API 3 level 0 service
    iiif/<page>/manifest.json       the document's IIIF Presentation 3 manifest ([html] base-url)

A local image's tiles are taken over from the last build when the image and the tiling code are
unchanged (a store in the cache maps each service folder to the image's digest), so a rebuild
costs a hard link per tile.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tei_edition.cache.pages import link_or_copy
from tei_edition.diagnostics import Diagnostic
from tei_edition.model.addresses import DocumentInfo
from tei_edition.model.edition import Site
from tei_edition.model.facsimile import Surface, has_facsimile, surfaces
from tei_edition.resources import VIEWER_DIR
from tei_edition.writers.base import BuildContext
from tei_edition.writers.html.facsimile import RECORD, manifest_path, read_record, service_path, tiles_key
from tei_edition.writers.html.manifest import manifest
from tei_edition.writers.html.tiles import ImageError, write_service

VIEWER_FILE = "openseadragon.min.js"


def write_facsimile_files(ctx: BuildContext, site: Site, folder: Path) -> list[Diagnostic]:
    """The viewer, the local images' services and the manifests of every document with a facsimile."""
    documents = [(info, surfaces(info.doc)) for info in site.documents if has_facsimile(info.doc)]
    documents = [(info, found) for info, found in documents if found]
    if not documents:
        return []
    if not (VIEWER_DIR / VIEWER_FILE).is_file():
        return [Diagnostic(str(ctx.config.path), 1, 1, "error",
                           f"{len(documents)} document(s) have a facsimile, but the image viewer (OpenSeadragon) "
                           f"is not installed in {VIEWER_DIR}", "html-viewer",
                           "run ./setup.sh in the tei-edition checkout (it installs the viewer with npm ci)")]
    shutil.copytree(VIEWER_DIR, folder / "assets" / "openseadragon",
                    ignore=shutil.ignore_patterns("*.map", "README*"))
    found: list[Diagnostic] = []
    tiles = Tiles(ctx, folder)
    for info, images in documents:
        found += host_warnings(ctx, info, images)
        for surface in images:
            if surface.kind == "local":
                found += tiles.publish(info, surface)
        if ctx.config.html.base_url:
            target = folder / manifest_path(info)
            target.parent.mkdir(parents=True, exist_ok=True)
            described = manifest(info, images, ctx.config.html.base_url, tiles.sizes)
            target.write_text(json.dumps(described, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tiles.save()
    if not ctx.config.html.base_url:
        found.append(Diagnostic(str(ctx.config.path), 1, 1, "warning",
                                f"{len(documents)} document(s) have a facsimile but get no IIIF manifest: a manifest "
                                "needs the web address the edition is published at", "facsimile-manifest",
                                'set [html] base-url = "https://…/" in edition.toml'))
    return found


def host_warnings(ctx: BuildContext, info: DocumentInfo, images: list[Surface]) -> list[Diagnostic]:
    """One warning per document whose remote images come from a host the pages may not load from."""
    allowed = set(ctx.config.html.image_hosts)
    refused = [s for s in images if s.kind != "local" and s.host not in allowed]
    if not refused:
        return []
    hosts = sorted({s.host for s in refused})
    return [Diagnostic(info.doc.display, refused[0].line, 1, "warning",
                       f"{len(refused)} facsimile image(s) come from {', '.join(hosts)}, which [html] image-hosts "
                       "does not allow: the page shows the text and says the images cannot be loaded",
                       "facsimile-host",
                       "add the host to [html] image-hosts in edition.toml, e.g. image-hosts = "
                       + json.dumps(hosts))]


class Tiles:
    """Static IIIF services of local images, reused from the last build when unchanged."""

    def __init__(self, ctx: BuildContext, folder: Path):
        self.folder, self.previous = folder, ctx.config.output / "html"
        # the services the published site holds, recorded inside it (swapped with the tiles, so a
        # build that stops before its swap cannot pair a new image's key with the old tiles)
        self.known: dict = read_record(self.previous) if ctx.incremental else {}
        self.record: dict[str, list] = {}   # service path → [digest, width, height]
        self.sizes: dict[str, tuple[int, int]] = {}  # service path → (width, height)
        self.root = ctx.config.root
        self.base_url = ctx.config.html.base_url  # the info.json's id: absolute where the site's address is known

    def publish(self, info: DocumentInfo, surface: Surface) -> list[Diagnostic]:
        path = service_path(info, surface)
        source = surface.local_path(info.doc, self.root)
        if source is None:
            return [self._unreadable(info, surface, f"it lies outside the edition's folder {self.root}; not published")]
        if not source.is_file():
            return [self._unreadable(info, surface, f"{source} not found")]
        key = tiles_key(self.base_url, source)
        known = self.known.get(path)
        if isinstance(known, list) and len(known) == 3 and known[0] == key and self._reuse(path):
            self.record[path], self.sizes[path] = known, (known[1], known[2])
            return []
        try:
            described = write_service(source, self.folder / path, self.base_url + path)
        except ImageError as exc:
            return [self._unreadable(info, surface, str(exc))]
        self.record[path] = [key, described["width"], described["height"]]
        self.sizes[path] = (described["width"], described["height"])
        return []

    def _reuse(self, path: str) -> bool:
        """Hard-link the previous build's service folder; False when it is gone."""
        old = self.previous / path
        if not (old / "info.json").is_file():
            return False
        for root, _dirs, files in os.walk(old):
            for name in files:
                source = Path(root) / name
                target = self.folder / path / source.relative_to(old)
                target.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(source, target)
        return True

    def _unreadable(self, info: DocumentInfo, surface: Surface, why: str) -> Diagnostic:
        return Diagnostic(info.doc.display, surface.line, 1, "warning",
                          f"facsimile image {surface.url!r} cannot be read ({why}): the page says it cannot be shown",
                          "facsimile-image", "put the image file beside the TEI file, at the path graphic/@url gives")

    def save(self) -> None:
        if self.record:
            (self.folder / RECORD).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / RECORD).write_text(json.dumps(self.record, sort_keys=True), encoding="utf-8")
