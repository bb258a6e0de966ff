"""The facsimile test editions: the synthetic fixture with its images drawn by Pillow, and three
legalkraus documents (IIIF images at the Wienbibliothek). Shared by test_facsimile*.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from helpers import FIXTURES, SHARED

FIXTURE = FIXTURES / "facsimile"
SIZES = {"page-1.png": (1800, 2400), "page-2.jpg": (1200, 1600)}


def draw_images(folder: Path) -> None:
    """Two page images with a grid and a dark block, so zoomed tiles differ from the whole."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        image = Image.new("RGB", size, (240, 230, 200))
        draw = ImageDraw.Draw(image)
        for x in range(0, size[0], 100):
            draw.line([(x, 0), (x, size[1])], fill=(150, 120, 90), width=3)
        for y in range(0, size[1], 100):
            draw.line([(0, y), (size[0], y)], fill=(150, 120, 90), width=3)
        draw.rectangle([100, 100, 700, 400], fill=(120, 20, 20))
        image.save(folder / name)


def facsimile_edition(tmp: Path) -> Path:
    """A copy of the fixture with its images; its edition.toml."""
    target = tmp / "facsimile"
    shutil.copytree(FIXTURE, target)
    draw_images(target / "tei" / "images")
    return target / "edition.toml"


LEGALKRAUS = SHARED / "corpora" / "legalkraus" / "data"


def legalkraus_edition(tmp: Path) -> Path:
    """Three legalkraus documents (IIIF images at the Wienbibliothek) with two small registers."""
    if not LEGALKRAUS.is_dir():
        pytest.fail(f"the real corpora are missing: {LEGALKRAUS}")
    folder = tmp / "legalkraus"
    (folder / "ed").mkdir(parents=True)
    (folder / "idx").mkdir()
    for name in ("D_000012-011-000.xml", "D_000001-001-000.xml", "D_000001-002-000.xml"):
        shutil.copy(LEGALKRAUS / "editions" / name, folder / "ed" / name)
    for name in ("listfackel.xml", "listlegal.xml"):
        shutil.copy(LEGALKRAUS / "indices" / name, folder / "idx" / name)
    config = folder / "edition.toml"
    config.write_text('[edition]\nsources = ["ed/*.xml"]\nregisters = ["idx/*.xml"]\n\n[html]\n'
                      'base-url = "https://example.org/legalkraus/"\n'
                      'image-hosts = ["https://www.digital.wienbibliothek.at"]\n', encoding="utf-8")
    return config
