"""What a document page with a facsimile is told: its images, how the viewer opens each, the hosts it may load from.

Added to the page's `$site` (xslt/html/facsimile.xsl lays it out):

    <facsimile manifest="iiif/<page>/manifest.json">   manifest: only with [html] base-url
      <surface index id label kind url service info/>*   info: a local image's info.json (JSON)
      <image-host>https://images.example.org</image-host>*  [html] image-hosts, for the page's CSP
    </facsimile>

A local image is published as a static IIIF service at `iiif/<page>/<index>/` (writers/html/iiif.py
writes it); its info.json travels inside the page as well, because a browser refuses to fetch it
from a page opened from disk.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from lxml import etree

from tei_edition.cache.keys import code_key
from tei_edition.cache.store import digest, file_digest, read_json_object
from tei_edition.config import Config
from tei_edition.model.addresses import DocumentInfo
from tei_edition.model.facsimile import Surface, has_facsimile, slice_element, surfaces
from tei_edition.writers.html.tiles import ImageError, dimensions, info

FOLDER = "iiif"


def service_path(info_: DocumentInfo, surface: Surface) -> str:
    """Where a local image's static IIIF service is published, relative to the site's root."""
    return f"{FOLDER}/{info_.page or info_.doc.id}/{surface.index}"


def manifest_path(info_: DocumentInfo) -> str:
    return f"{FOLDER}/{info_.page or info_.doc.id}/manifest.json"


def tiles_key(base_url: str, source: Path) -> str:
    """What a local image's published service depends on: the image, the tiling code, the address."""
    return digest(code_key("tiles"), base_url, file_digest(source))


def images_changed(info_: DocumentInfo, config: Config) -> bool:
    """Has a local image of this document changed since the last build? Its page carries the
    image's info.json, so it must be made again even when the TEI is unchanged."""
    if not has_facsimile(info_.doc):
        return False
    known = _published(str(config.output))
    for surface in surfaces(info_.doc):
        path = surface.local_path(info_.doc, config.root) if surface.kind == "local" else None
        if path is not None and known.get(service_path(info_, surface), [None])[0] != tiles_key(config.html.base_url, path):
            return True
    return False


RECORD = f"{FOLDER}/services.json"  # inside the site: path → [key, width, height] of each service


def read_record(site: Path) -> dict:
    """The services a published site holds (writers/html/iiif.py writes the record), by path."""
    return read_json_object(site / RECORD)


def _published(output: str) -> dict:
    """The services the last build published, by path."""
    try:
        stamp = os.stat(Path(output) / "html" / RECORD).st_mtime_ns
    except OSError:
        return {}
    return _read_published(output, stamp)


@lru_cache(maxsize=4)
def _read_published(output: str, _stamp: int) -> dict:
    return read_record(Path(output) / "html")


def local_info(info_: DocumentInfo, surface: Surface, root: Path) -> dict | None:
    """The info.json of a local image's service, its id relative to the site's root (the page's
    script makes it absolute); None when the file cannot be read (the site files report it)."""
    path = surface.local_path(info_.doc, root)
    if path is None:
        return None
    try:
        width, height = dimensions(path)
    except ImageError:
        return None
    return info(service_path(info_, surface), width, height)


def page_slice(info_: DocumentInfo, config: Config) -> list[etree._Element]:
    """The `<facsimile>` of a document's page; none when the document has no images."""
    if not has_facsimile(info_.doc):
        return []
    found = surfaces(info_.doc)
    if not found:
        return []
    out = slice_element(found)
    options = config.html
    if options.base_url:
        out.set("manifest", manifest_path(info_))
    for surface, element in zip(found, out):
        if surface.kind == "local":
            described = local_info(info_, surface, config.root)
            if described is not None:
                element.set("info", json.dumps(described, separators=(",", ":")))
    for host in options.image_hosts:
        etree.SubElement(out, "image-host").text = host
    return [out]
