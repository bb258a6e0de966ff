"""The static DTS files made fast (interfaces/dts/files.py, urls.compiled, static._Files) are those
of the reference path, name for name and byte for byte: every static request the templates allow
(static.requests_of) answered by the one builder of the answers (Service.answer) and mapped to its
file by static_name(). Checked on the bundled edition and on documents with awkward references."""

from __future__ import annotations

import itertools
import os

import uritemplate

from helpers import FIXTURES, write_bundled_config
from tei_edition.config import load_config
from tei_edition.interfaces.dts.files import resource_files
from tei_edition.interfaces.dts.responses import Service
from tei_edition.interfaces.dts.static import requests_of, write_static
from tei_edition.interfaces.dts.urls import Urls, compiled, static_name
from tei_edition.model.edition import Site
from tei_edition.validate import index_edition


def reference(service: Service, resource: str) -> list[tuple[str | None, bytes | None]]:
    out = []
    for _, url, endpoint, params in requests_of(service, resource):
        name = static_name(service.urls, url)
        if name is None:
            out.append((None, None))
            continue
        answer = service.answer(endpoint, {k: str(v) for k, v in params.items() if v is not None})
        if answer.status == 200:
            out.append((name, answer.body))
    return out


def awkward_edition(tmp_path):
    """Documents whose references repeat, hold '/', non-ASCII letters, '%', spaces and dots."""
    declared = (FIXTURES / "dts" / "declared.xml").read_text("utf-8")
    (tmp_path / "tei").mkdir()
    files = {
        "twice.xml": declared.replace('use="@n" delim="."', 'use="1" delim="."'),
        "slash.xml": declared.replace('<div n="II">', '<div n="II/III">'),
        "letters.xml": declared.replace('<div n="I">', '<div n="Ärger 50% ..">').replace('n="b"', 'n="."'),
        "edition.xml": declared,  # a document whose page name is the root collection's identifier
    }
    for name, text in files.items():
        (tmp_path / "tei" / name).write_text(text, "utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\n', encoding="utf-8")
    return Site(index_edition(load_config(tmp_path / "edition.toml")).index)


def test_fast_files_are_the_reference_answers_on_the_bundled_edition(tmp_path):
    site = Site(index_edition(load_config(write_bundled_config(tmp_path))).index)
    for base in ("", "https://example.org/edition/"):
        service = Service(site, Urls.published(base), base)
        for resource in service.resources:
            fast = resource_files(service, resource)
            assert fast is not None and fast == reference(service, resource), resource


def test_fast_files_are_the_reference_answers_for_awkward_references(tmp_path):
    service = Service(awkward_edition(tmp_path), Urls.published("https://example.org/ä b/"), "https://example.org/")
    covered = 0
    for resource in service.resources:
        fast = resource_files(service, resource)
        if fast is not None:
            covered += 1
            assert fast == reference(service, resource), resource
    assert covered == 3  # all but the one named like the root collection
    assert (None, None) in resource_files(service, "slash")


def test_written_site_is_the_reference_with_identical_answers_linked(tmp_path):
    site = awkward_edition(tmp_path)
    service = Service(site, Urls.published(""))
    found = write_static(service, tmp_path / "site")
    assert any("cannot be a static file name" in d.message for d in found)
    api = tmp_path / "site" / "api" / "dts"
    expected = {}
    for resource in ("", *service.resources):
        for name, body in reference(Service(site, Urls.published("")), resource):
            if name is not None:
                expected[name] = body
    written = {p.relative_to(api).as_posix(): p.read_bytes() for p in api.rglob("*") if p.is_file()}
    assert written == expected
    # the same answer twice is one file: a resource's collection and its children
    same = [api / "collection" / "twice.json", api / "collection" / "twice" / "children.json"]
    assert os.stat(same[0]).st_ino == os.stat(same[1]).st_ino


def test_compiled_templates_expand_as_uritemplate_does():
    values = ["a", "A.b-c_d~e", "", "a/b", "ä ö", "x%y", "..", ";=,&?#[]@!$'()*+", "日本", "-1", None]
    for urls in (Urls.served(), Urls.published("https://x.org/ed/")):
        templates = (urls.entry, urls.collection, urls.navigation, urls.document, urls.collection_of("a b"),
                     urls.navigation_of("r/x"), urls.document_of("q"), "{+path}/x{#frag}{.ext}")
        for template in templates:
            for a, b, c in itertools.product(values, repeat=3):
                given = {k: v for k, v in dict(id=a, nav=b, resource=a, ref=b, down=c, start=c, path=a,
                                               frag=b, ext=c).items() if v is not None}
                assert compiled(template)(given) == uritemplate.expand(template, given), (template, given)
