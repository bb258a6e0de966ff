"""Facsimiles: surfaces read from TEI, static IIIF tiles of local images (reused on rebuild), IIIF
Presentation 3 manifests (validated with iiif-prezi3, whose models are generated from the IIIF JSON
schema), the Content-Security-Policy's image hosts, the print edition's image labels, and the
located errors for a missing viewer and bad config.

The fixture tests/fixtures/facsimile is synthetic; its images are drawn here with Pillow.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from iiif_prezi3 import Manifest
from PIL import Image

from facsimile_editions import SIZES, facsimile_edition, legalkraus_edition
from helpers import invoke, run_writers
from tei_edition.config import ConfigError, load_config
from tei_edition.model.facsimile import classify
from tei_edition.writers.html import iiif
from tei_edition.writers.html.tiles import TILE, requests, scale_factors


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list]:
    config = facsimile_edition(tmp_path_factory.mktemp("facsimile"))
    found, _ = run_writers(config, ("html", "pdf"))
    return config.parent / "output", found


def page(out: Path, name: str):
    return lxml.html.parse(str(out / "html" / "documents" / name)).getroot()


def test_graphic_urls_are_classified():
    assert classify("https://x.org/iiif/2/abc/full/full/0/default.jpg") == ("service", "https://x.org/iiif/2/abc")
    assert classify("https://x.org/iiif/3/abc/full/max/0/default.jpg") == ("service", "https://x.org/iiif/3/abc")
    assert classify("https://x.org/iiif/abc/info.json") == ("service", "https://x.org/iiif/abc")
    assert classify("https://x.org/scans/abc.jpg") == ("image", "")
    assert classify("images/page-1.png") == ("local", "")


def test_tiles_cover_every_scale():
    width, height = SIZES["page-1.png"]
    assert scale_factors(width, height) == [1, 2, 4, 8]
    paths = [p for p, _f, _b in requests(width, height)]
    assert "full/max/0/default.jpg" in paths and "0,0,512,512/512,512/0/default.jpg" in paths
    assert f"full/{-(-width // 8)},{-(-height // 8)}/0/default.jpg" in paths  # the smallest scale: one tile
    assert all(box[2] - box[0] <= max(TILE, width) for _p, _f, box in requests(width, height))


def test_local_images_become_a_static_iiif_service(built):
    out, _found = built
    service = out / "html" / "iiif" / "letter-local" / "1"
    info = json.loads((service / "info.json").read_text())
    assert (info["type"], info["profile"], info["width"], info["height"]) == ("ImageService3", "level0", 1800, 2400)
    assert info["id"] == "https://edition.example.org/iiif/letter-local/1"
    for path, _factor, box in requests(1800, 2400):  # every request a viewer makes is a file
        with Image.open(service / path) as tile:
            assert tile.size == (box[2] - box[0], box[3] - box[1]), path
    # the page carries the same info.json (a page opened from disk may not fetch it)
    data = json.loads(page(out, "letter-local.html").get_element_by_id("facsimile-data").text)
    assert data["pages"][0]["source"]["id"] == "iiif/letter-local/1"
    assert data["pages"][0]["source"]["tiles"] == info["tiles"]


@pytest.mark.parametrize("name", ["letter-local", "letter-remote"])
def test_manifests_are_valid_iiif_presentation_3(built, name):
    out, _found = built
    described = json.loads((out / "html" / "iiif" / name / "manifest.json").read_text())
    Manifest(**described)  # raises on what the IIIF Presentation 3 schema refuses
    assert described["type"] == "Manifest" and described["@context"].endswith("/presentation/3/context.json")
    canvases = described["items"]
    assert [c["type"] for c in canvases] == ["Canvas", "Canvas"]
    for canvas in canvases:
        annotation = canvas["items"][0]["items"][0]
        assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
    if name == "letter-local":
        assert [c["label"]["none"] for c in canvases] == [["1r"], ["fol. 1v"]]
        assert (canvases[0]["width"], canvases[0]["height"]) == (1800, 2400)
    else:
        assert canvases[0]["items"][0]["items"][0]["body"]["service"][0]["id"] == "https://images.example.org/iiif/3/letter-remote-1"
        assert (canvases[0]["width"], canvases[0]["height"]) == (2000, 3000)  # from graphic/@width, @height


def test_a_broken_manifest_is_refused_by_the_validator(built):
    out, _found = built
    described = json.loads((out / "html" / "iiif" / "letter-local" / "manifest.json").read_text())
    del described["items"][0]["items"][0]["items"][0]["motivation"]
    described["id"] = "manifest.json"
    with pytest.raises(Exception):
        Manifest(**described)


def test_the_page_links_its_manifest_and_ties_page_breaks_to_images(built):
    out, _found = built
    root = page(out, "letter-local.html")
    assert root.xpath('//a[@class="facsimile-manifest"]/@href') == ["../iiif/letter-local/manifest.json"]
    assert [m.get("data-facs-index") for m in root.xpath('//*[@class="facs-pb"]')] == ["1", "2"]
    assert (out / "html" / "assets" / "openseadragon" / "openseadragon.min.js").is_file()


def test_the_csp_allows_the_configured_image_hosts_and_nothing_else(built):
    out, found = built
    policy = page(out, "letter-remote.html").xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["img-src"] == "'self' data: https://images.example.org"
    assert directives["connect-src"] == "'self' https://images.example.org"
    assert "elsewhere.example.com" not in policy
    # the other host is named in a warning at the graphic's line, with the key to set
    warning = next(d for d in found if d.rule == "facsimile-host")
    assert warning.path.endswith("letter-remote.xml") and "elsewhere.example.com" in warning.message
    assert "image-hosts" in warning.hint
    # pages without a facsimile keep the policy they had
    register = lxml.html.parse(str(out / "html" / "index.html")).getroot()
    assert "images.example.org" not in register.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]


def test_print_names_the_image_of_each_page(built):
    out, _found = built
    from pypdf import PdfReader
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out / "pdf" / "volume.pdf").pages)
    assert "Image 1r" in text and "Image fol. 1v" in text
    # no label or number: the IIIF identifier and the side (broken across the margin's narrow lines)
    assert "letter-remote-1(recto)" in text.replace(" ", "")


def test_tiles_are_reused_on_rebuild_and_redrawn_when_the_image_changes(tmp_path):
    config = facsimile_edition(tmp_path)
    folder = config.parent
    assert invoke(["build", "--only", "html"], folder).exit_code == 0
    tile = folder / "output" / "html" / "iiif" / "letter-local" / "1" / "full" / "max" / "0" / "default.jpg"
    first = tile.stat().st_ino
    assert invoke(["build", "--only", "html"], folder).exit_code == 0
    assert tile.stat().st_ino == first  # the same file, linked into the new site
    Image.new("RGB", (900, 700), "white").save(folder / "tei" / "images" / "page-1.png")
    assert invoke(["build", "--only", "html"], folder).exit_code == 0
    assert tile.stat().st_ino != first
    info = json.loads((tile.parents[3] / "info.json").read_text())
    assert (info["width"], info["height"]) == (900, 700)
    # the page carries the image's info.json: made again although its TEI did not change
    data = json.loads(page(folder / "output", "letter-local.html").get_element_by_id("facsimile-data").text)
    assert (data["pages"][0]["source"]["width"], data["pages"][0]["source"]["height"]) == (900, 700)


def test_a_missing_viewer_is_a_located_error_that_says_run_setup(tmp_path, monkeypatch):
    config = facsimile_edition(tmp_path)
    monkeypatch.setattr(iiif, "VIEWER_DIR", tmp_path / "nowhere")
    result = invoke(["build", "--only", "html"], config.parent)
    assert result.exit_code != 0
    assert "edition.toml:1:1: error:" in result.output and "[html-viewer]" in result.output
    assert "run ./setup.sh" in result.output and "Traceback" not in result.output


def test_a_missing_local_image_is_a_warning_and_the_build_goes_on(tmp_path):
    config = facsimile_edition(tmp_path)
    (config.parent / "tei" / "images" / "page-2.jpg").unlink()
    result = invoke(["build", "--only", "html"], config.parent)
    assert result.exit_code == 0, result.output
    assert "letter-local.xml:" in result.output and "[facsimile-image]" in result.output


def test_image_hosts_must_be_web_origins(tmp_path):
    config = facsimile_edition(tmp_path)
    text = config.read_text().replace('image-hosts = ["https://images.example.org"]',
                                      'image-hosts = ["https://images.example.org/path", "*", "https://ok.example.org/"]')
    config.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    problems = "\n".join(caught.value.problems)
    assert "image-hosts" in problems and "'https://images.example.org/path' is not a web origin" in problems
    assert "'*' is not a web origin" in problems and "ok.example.org" not in problems


def test_without_base_url_there_is_no_manifest_and_a_warning_says_why(tmp_path):
    config = facsimile_edition(tmp_path)
    config.write_text(config.read_text().replace('base-url = "https://edition.example.org/"\n', ""))
    result = invoke(["build", "--only", "html"], config.parent)
    assert result.exit_code == 0, result.output
    assert "[facsimile-manifest]" in result.output and "base-url" in result.output
    assert not (config.parent / "output" / "html" / "iiif" / "letter-local" / "manifest.json").exists()


def test_legalkraus_pages_tie_each_page_break_to_its_iiif_image(tmp_path):
    config = legalkraus_edition(tmp_path)
    result = invoke(["build", "--only", "html", "--keep-going"], config.parent)
    assert result.exit_code in (0, 1), result.output  # the subset's pointers into left-out registers are findings
    out = config.parent / "output"
    root = page(out, "D_000012-011-000.html")
    data = json.loads(root.get_element_by_id("facsimile-data").text)
    assert [p["label"] for p in data["pages"]] == ["2540446", "2540447 (recto)", "2540448 (verso)"]
    assert data["pages"][1]["source"] == "https://www.digital.wienbibliothek.at/wbrobv02/i3f/v21/2540447/info.json"
    assert [m.get("data-facs-index") for m in root.xpath('//*[@class="facs-pb"]')] == ["2", "3"]
    Manifest(**json.loads((out / "html" / "iiif" / "D_000012-011-000" / "manifest.json").read_text()))


def test_an_image_outside_the_edition_is_not_published(tmp_path):
    config = facsimile_edition(tmp_path)
    Image.new("RGB", (600, 400), "red").save(tmp_path / "private.png")  # beside the edition's folder
    letter = config.parent / "tei" / "letter-local.xml"
    letter.write_text(letter.read_text().replace("images/page-2.jpg", "../../private.png"))
    result = invoke(["build", "--only", "html"], config.parent)
    assert result.exit_code == 0, result.output
    assert "[facsimile-image]" in result.output and "outside the edition's folder" in result.output
    assert not (config.parent / "output" / "html" / "iiif" / "letter-local" / "2").exists()


@pytest.mark.parametrize("width, height", [(2000, 1500), (600, 4000), (300, 200)])
def test_every_size_the_info_json_lists_has_a_file(width, height):
    from tei_edition.writers.html.tiles import info

    written = {path for path, _factor, _box in requests(width, height)}
    for size in info("https://example.org/iiif/x", width, height)["sizes"]:
        name = "max" if (size["width"], size["height"]) == (width, height) else f"{size['width']},{size['height']}"
        assert f"full/{name}/0/default.jpg" in written, size
