"""A document's facsimile: its surfaces, what each image is (IIIF service, image, local file), its label.

TEI keeps the images of a document in `facsimile/surface/graphic/@url` (also inside `surfaceGrp`)
and ties the text to them with `pb/@facs="#surface-id"`. The web page shows the images beside
the text, the IIIF manifest lists them, the print edition names each page's image: all three
read the surfaces from here, so they name the same images in the same order.

A `graphic/@url` is one of:
  - a IIIF Image API request (`…/full/max/0/default.jpg`, Image API 2 or 3) or `…/info.json`:
    the image service it belongs to is the URL up to the identifier (deep zoom from the server);
  - another absolute http(s) URL: a plain image, shown whole;
  - a relative path: an image file beside the TEI, published as static IIIF tiles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from tei_edition.cache.store import file_stamp
from tei_edition.model.corpus import Document
from tei_edition.names import TEI_NS, XML_ID

T = f"{{{TEI_NS}}}"
# region/size/rotation/quality.format of a IIIF Image API 2 or 3 request (the spec's grammar, loosely)
IMAGE_REQUEST = re.compile(
    r"(?P<service>https?://.+?)/(?:full|square|pct:[\d.,]+|\d+,\d+,\d+,\d+)"
    r"/(?:full|max|\^?max|\^?!?\d*,\d*|\^?pct:[\d.]+)/!?\d+(?:\.\d+)?"
    r"/(?:default|color|gray|grey|bitonal|native)\.(?:jpe?g|png|tiff?|gif|webp|jp2|pdf)", re.I)
INFO_JSON = re.compile(r"(?P<service>https?://.+?)/info\.json", re.I)
LOCAL_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif")


@dataclass(frozen=True)
class Surface:
    """One image of the facsimile, in document order."""

    index: int           # 1-based position in the document's sequence of images
    id: str              # the surface's xml:id ("" when it has none: no pb can point to it)
    label: str           # what the print edition and the viewer call it
    url: str             # graphic/@url as written
    kind: str            # "service" (IIIF Image API), "image" (remote plain image), "local"
    service: str         # the IIIF service's base URL (kind "service"), else ""
    line: int            # where the graphic is written, for messages
    width: int | None = None   # in pixels, when the TEI says (graphic/@width, surface/@lrx)
    height: int | None = None

    @property
    def host(self) -> str:
        """The origin a remote image comes from ("https://host[:port]"), "" for a local one."""
        if self.kind == "local":
            return ""
        parts = urlsplit(self.url)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"

    def local_path(self, doc: Document, root: Path) -> Path | None:
        """The file of a local image (the url is relative to the document); None when it lies
        outside the edition's folder `root`: a TEI file must not publish any image of the machine."""
        path = (doc.path.parent / unquote(urlsplit(self.url).path)).resolve()
        return path if path.is_relative_to(root.resolve()) else None


def has_facsimile(doc: Document) -> bool:
    # most editions have none: a look at the bytes spares parsing every document again (a
    # source's tree is dropped after use) on each build; and a file unchanged since this process
    # last looked (same size, time and inode) is not read again (edition serve rebuilds often)
    path = str(doc.path)
    stamp = file_stamp(path)
    if stamp is None:
        return False
    known = _MENTIONS_FACSIMILE.get(path)
    if known is None or known[0] != stamp:
        try:
            known = _MENTIONS_FACSIMILE[path] = (stamp, b"facsimile" in doc.path.read_bytes())
        except OSError:
            return False
    return known[1] and doc.root.find(f"{T}facsimile") is not None


_MENTIONS_FACSIMILE: dict[str, tuple[tuple, bool]] = {}  # path → (its stamp, whether its bytes say "facsimile")


def surfaces(doc: Document) -> list[Surface]:
    """Every surface with a graphic, in document order (the first graphic of each surface)."""
    found: list[Surface] = []
    for facsimile in doc.root.iterfind(f"{T}facsimile"):
        for surface in facsimile.iter(f"{T}surface"):
            graphic = next((g for g in surface.iter(f"{T}graphic") if (g.get("url") or "").strip()), None)
            if graphic is None:
                continue
            url = graphic.get("url").strip()
            kind, service = classify(url)
            found.append(Surface(len(found) + 1, surface.get(XML_ID) or "", label_of(surface, graphic, service),
                                 url, kind, service, graphic.sourceline or 1,
                                 _pixels(graphic.get("width")) or _pixels(surface.get("lrx")),
                                 _pixels(graphic.get("height")) or _pixels(surface.get("lry"))))
    return found


def classify(url: str) -> tuple[str, str]:
    """(kind, IIIF service base) of a graphic's URL (see the module docstring)."""
    if not re.match(r"https?://", url, re.I):
        return "local", ""
    for pattern in (IMAGE_REQUEST, INFO_JSON):
        match = pattern.fullmatch(url.split("?", 1)[0])
        if match:
            return "service", match["service"]
    return "image", ""


def label_of(surface: etree._Element, graphic: etree._Element, service: str) -> str:
    """The surface's own label or number; else the image's name (the IIIF identifier or the
    file name), with the side (recto, verso) when the surface's type says it."""
    label = surface.find(f"{T}label")
    text = " ".join("".join(label.itertext()).split()) if label is not None else ""
    if not text:
        text = (surface.get("n") or graphic.get("n") or "").strip()
    if not text:
        path = service or urlsplit(graphic.get("url", "")).path
        text = unquote(path.rstrip("/").rsplit("/", 1)[-1]) or graphic.get("url", "")
        kind = (surface.get("type") or "").strip()
        if kind:
            text += f" ({kind})"
    return text


def surface_of(pb_facs: str, by_id: dict[str, Surface]) -> Surface | None:
    """The surface a `pb/@facs` points to ("#id"; the first token)."""
    tokens = pb_facs.split()
    return by_id.get(tokens[0].lstrip("#")) if tokens else None


def slice_element(found: list[Surface]) -> etree._Element:
    """`<facsimile><surface index id label kind url service/>*</facsimile>` for a stylesheet's $site."""
    out = etree.Element("facsimile")
    for s in found:
        etree.SubElement(out, "surface", {"index": str(s.index), "id": s.id, "label": s.label, "kind": s.kind,
                                          "url": s.url, "service": s.service})
    return out


def _pixels(value: str | None) -> int | None:
    try:
        number = round(float(value)) if value else None
    except ValueError:
        return None
    return number if number and number > 0 else None
