"""A document's IIIF Presentation 3 manifest: one canvas per surface, in the order of the facsimile.

The manifest lets any IIIF viewer (Mirador, Universal Viewer) open the document's images. Its ids
are web addresses below [html] base-url. A canvas painted with a IIIF image names the image
service, so viewers zoom into it; Image API 2 or 3 is read from the request (`full/full/…` is
the 2.x form; the service's level is not known, so the minimum, level 0, is named). A canvas's size is the image's: known for local images, and for remote ones only
when the TEI gives it (`graphic/@width`/`@height` or `surface/@lrx`/`@lry`).
"""

from __future__ import annotations

import re

from tei_edition.model.addresses import DocumentInfo
from tei_edition.model.facsimile import Surface
from tei_edition.writers.html.facsimile import manifest_path, service_path

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
FORMATS = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "tif": "image/tiff", "tiff": "image/tiff",
           "gif": "image/gif", "webp": "image/webp", "jp2": "image/jp2"}


def manifest(info: DocumentInfo, images: list[Surface], base_url: str,
             sizes: dict[str, tuple[int, int]]) -> dict:
    """The manifest of `info`'s document; `sizes`: the local images' (width, height) by service path."""
    own = base_url + manifest_path(info)
    title = info.doc.title or info.doc.id
    return {
        "@context": CONTEXT,
        "id": own,
        "type": "Manifest",
        "label": {"none": [title]},
        "homepage": [{"id": base_url + info.href, "type": "Text", "label": {"none": [title]}, "format": "text/html"}],
        "seeAlso": [{"id": base_url + info.source_href, "type": "Dataset", "label": {"none": ["TEI"]},
                     "format": "application/tei+xml"}],
        "items": [canvas(own.rsplit("/", 1)[0], info, s, base_url, sizes) for s in images],
    }


def canvas(prefix: str, info: DocumentInfo, surface: Surface, base_url: str,
           sizes: dict[str, tuple[int, int]]) -> dict:
    own = f"{prefix}/canvas/{surface.index}"
    body: dict = {"type": "Image"}
    size = (surface.width, surface.height) if surface.width and surface.height else None
    if surface.kind == "local":
        path = service_path(info, surface)
        size = sizes.get(path)
        if size is None:  # unreadable: reported by the site files; the canvas stays, without an image
            return {"id": own, "type": "Canvas", "label": {"none": [surface.label]}}
        service = base_url + path
        body.update(id=service + "/full/max/0/default.jpg", format="image/jpeg",
                    service=[{"id": service, "type": "ImageService3", "profile": "level0"}])
    else:
        body.update(id=surface.url, format=_format(surface.url))
        if surface.kind == "service":
            body["service"] = [_remote_service(surface)]
    out: dict = {"id": own, "type": "Canvas", "label": {"none": [surface.label]}}
    if size:
        out.update(width=size[0], height=size[1])
        body.update(width=size[0], height=size[1])
    out["items"] = [{
        "id": f"{own}/page", "type": "AnnotationPage",
        "items": [{"id": f"{own}/page/image", "type": "Annotation", "motivation": "painting",
                   "body": body, "target": own}],
    }]
    return out


def _remote_service(surface: Surface) -> dict:
    after = surface.url[len(surface.service):]
    if re.match(r"/[^/]+/full/", after):  # size "full": Image API 2
        return {"@id": surface.service, "@type": "ImageService2", "profile": "http://iiif.io/api/image/2/level0.json"}
    return {"id": surface.service, "type": "ImageService3", "profile": "level0"}


def _format(url: str) -> str:
    suffix = url.split("?", 1)[0].rsplit(".", 1)[-1].lower()
    return FORMATS.get(suffix, "image/jpeg")
