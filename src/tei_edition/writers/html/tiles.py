"""Static IIIF Image API 3 (level 0) for a local image: info.json, tiles and sizes, written with Pillow.

A level 0 service is a folder of ready-made files that any IIIF viewer can zoom, served from
disk or any static web server. The files are exactly the requests a viewer makes of a level 0
service with the `tiles` and `sizes` below (region/size/0/default.jpg, the Image API's
"canonical" forms), so nothing has to answer a request that was not foreseen.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from PIL import Image, ImageOps

TILE = 512          # pixels; a tile of a smaller scale covers TILE × scale pixels of the image
QUALITY = 85
CONTEXT = "http://iiif.io/api/image/3/context.json"
Image.MAX_IMAGE_PIXELS = 40_000 * 40_000  # big scans are normal; a decompression bomb is far larger


class ImageError(Exception):
    """A local image that cannot be read (missing, not an image, damaged)."""


def dimensions(path: Path) -> tuple[int, int]:
    """(width, height) as the image is shown (its EXIF orientation applied), read from its header."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # rotated by a quarter turn
                width, height = height, width
            return width, height
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError(str(exc)) from None


def scale_factors(width: int, height: int) -> list[int]:
    """1, 2, 4, … up to the first scale at which the whole image is one tile."""
    factors = [1]
    while max(width, height) > TILE * factors[-1]:
        factors.append(factors[-1] * 2)
    return factors


def info(service_id: str, width: int, height: int) -> dict:
    """The info.json of the level 0 service `service_id` for an image of this size."""
    factors = scale_factors(width, height)
    return {
        "@context": CONTEXT, "id": service_id, "type": "ImageService3", "protocol": "http://iiif.io/api/image",
        "profile": "level0", "width": width, "height": height,
        # only the sizes a file is written for (requests below): the whole image in one tile, and max
        "sizes": [{"width": w, "height": h} for f in reversed(factors)
                  for w, h in [(math.ceil(width / f), math.ceil(height / f))] if f == 1 or (w < TILE and h < TILE)],
        "tiles": [{"width": TILE, "height": TILE, "scaleFactors": factors}],
    }


def requests(width: int, height: int) -> list[tuple[str, int, tuple[int, int, int, int]]]:
    """Every file of the service: (path below the service, scale factor, box in that scale's pixels)."""
    out = [("full/max/0/default.jpg", 1, (0, 0, width, height))]
    for factor in scale_factors(width, height):
        level_w, level_h = math.ceil(width / factor), math.ceil(height / factor)
        if level_w < TILE and level_h < TILE:  # the whole image in one tile, asked for as a size
            if (level_w, level_h) != (width, height):
                out.append((f"full/{level_w},{level_h}/0/default.jpg", factor, (0, 0, level_w, level_h)))
            continue
        span = TILE * factor
        for y in range(0, height, span):
            for x in range(0, width, span):
                w, h = min(span, width - x), min(span, height - y)
                tx, ty = x // factor, y // factor
                size = (min(TILE, level_w - tx), min(TILE, level_h - ty))
                region = "full" if (x, y, w, h) == (0, 0, width, height) else f"{x},{y},{w},{h}"
                name = "max" if size == (width, height) else f"{size[0]},{size[1]}"
                out.append((f"{region}/{name}/0/default.jpg", factor, (tx, ty, tx + size[0], ty + size[1])))
    return list({path: (path, factor, box) for path, factor, box in out}.values())


def write_service(source: Path, folder: Path, service_id: str) -> dict:
    """Write the level 0 service of `source` into `folder`; its info.json (also written)."""
    try:
        with Image.open(source) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError(str(exc)) from None
    width, height = image.size
    levels: dict[int, Image.Image] = {1: image}
    for path, factor, box in requests(width, height):
        if factor not in levels:  # each scale drawn once from the full image, then cut
            levels[factor] = image.resize((math.ceil(width / factor), math.ceil(height / factor)),
                                          Image.Resampling.LANCZOS)
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        levels[factor].crop(box).save(target, "JPEG", quality=QUALITY, optimize=True)
    described = info(service_id, width, height)
    (folder / "info.json").write_text(json.dumps(described, indent=1) + "\n", encoding="utf-8")
    return described
