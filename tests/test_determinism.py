"""Determinism: the same sources give the same bytes, in every output.

Builds of the small synthetic corpus tests/fixtures/deposit-minimal (invented letters and
persons, with the full header a deposit needs) are compared file by file: the HTML pages and
assets, the Pagefind search bundle, the PDFs, the deposit bag and its zip. Varied between builds:
a second clean build, `--jobs 1` against `--jobs 2` (worker pools forced on), and a build in
another folder (an absolute path with a space and an accent, a different working directory,
other TZ, LANG and LC_ALL). SOURCE_DATE_EPOCH fixes the build date, as the README says.

Only the output folder's hidden bookkeeping (.cache, .lock: the build cache and the lock, which
name the folder they belong to) is left out of the comparison.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tei_edition.runtime import executor as executor_module
from tei_edition.build import build
from tei_edition.config import load_config
from tei_edition.search import order as pagefind_order, pagefind as search

from helpers import EPOCH, QuietHandler

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "deposit-minimal"
CHROMIUM = "/usr/bin/chromium"
SRC = Path(__file__).resolve().parents[1] / "src"


def cli_build(config: Path, cwd: Path, jobs: int, *only: str, **env: str) -> None:
    """`edition build` in its own process, so that cwd, TZ and the locale really apply."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env,
                   "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", "from tei_edition.cli import main; main()", "build",
                           "--config", str(config), "--jobs", str(jobs), *(f"--only={o}" for o in only)],
                          cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def outputs(output: Path) -> dict[str, bytes]:
    """Every published file below `output`, by relative path."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and not p.relative_to(output).parts[0].startswith(".")}


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted(set(first) ^ set(second)) + [p for p in sorted(set(first) & set(second)) if first[p] != second[p]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """All outputs of one build: --jobs 1, UTC, plain C locale, run from the corpus folder."""
    edition = tmp_path_factory.mktemp("reference") / "edition"
    shutil.copytree(FIXTURE, edition)
    cli_build(edition / "edition.toml", edition, 1, TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    files = outputs(edition / "output")
    kinds = {p.split("/", 1)[0] for p in files}
    assert kinds == {"html", "pdf", "deposit"}, kinds
    assert any(p.startswith("html/pagefind/filter/") for p in files)  # the bundle, with its kind filter
    assert any(p.endswith(".zip") for p in files) and any(p.endswith(".pdf") for p in files)
    return files


@pytest.fixture
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_a_second_clean_build_is_byte_identical(reference, tmp_path, fixed_date):
    edition = tmp_path / "edition"
    shutil.copytree(FIXTURE, edition)
    config = load_config(edition / "edition.toml")
    for _ in range(2):  # the second build starts from nothing again: no cache, no previous output
        shutil.rmtree(config.output, ignore_errors=True)
        assert build(config, jobs=1, log=lambda _: None) == 0
    assert differences(reference, outputs(config.output)) == []


def test_jobs_2_writes_the_same_bytes_as_jobs_1(reference, tmp_path, fixed_date, monkeypatch):
    from tei_edition.validate import documents as validate_module
    from tei_edition.writers.html import writer as html_module

    for module in (validate_module, html_module):
        monkeypatch.setattr(module, "PARALLEL_FROM", 0)  # one document: start the pools anyway
    pools: list[object] = []
    monkeypatch.setattr(executor_module, "LocalPool",
                        lambda *a, _pool=executor_module.LocalPool: pools.append(1) or _pool(*a))
    edition = tmp_path / "edition"
    shutil.copytree(FIXTURE, edition)
    config = load_config(edition / "edition.toml")
    assert build(config, jobs=2, log=lambda _: None) == 0
    assert len(pools) >= 2, "validation and the HTML pages ran in worker processes"
    assert differences(reference, outputs(config.output)) == []


def test_another_folder_working_directory_and_locale_change_nothing(reference, tmp_path):
    edition = tmp_path / "other place é" / "deeper" / "edition"
    shutil.copytree(FIXTURE, edition)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    cli_build(edition / "edition.toml", elsewhere, 2,
              TZ="Pacific/Kiritimati", LANG="de_DE.UTF-8", LC_ALL="tr_TR.UTF-8")  # UTC+14; Turkish casing
    files = outputs(edition / "output")
    assert differences(reference, files) == []
    # and no absolute path is written anywhere, not even inside compressed files
    for name, data in files.items():
        for text in readable_parts(name, data):
            assert str(tmp_path).encode() not in text, name
            assert str(elsewhere).encode() not in text, name


def readable_parts(name: str, data: bytes):
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield archive.read(member)
    elif name.endswith((".pf_fragment", ".pf_meta", ".pf_filter", ".pf_index")):
        yield gzip.decompress(data)
    else:
        yield data


# -- the search bundle ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The web edition of the fixture, without its bundle (the tests below index it)."""
    edition = tmp_path_factory.mktemp("site") / "edition"
    shutil.copytree(FIXTURE, edition)
    cli_build(edition / "edition.toml", edition, 1, "html")
    html = edition / "output" / "html"
    shutil.rmtree(html / search.BUNDLE)
    return html


def bundle_files(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_pagefind_runs_give_byte_identical_bundles(site, tmp_path):
    # Pagefind orders the four kind values at random: three raw runs would rarely agree
    bundles = []
    for n in range(3):
        index = tmp_path / f"bundle-{n}"
        search.index_site(site, index)
        bundles.append(bundle_files(index))
    assert differences(bundles[0], bundles[1]) == [] and differences(bundles[0], bundles[2]) == []


def filter_map(bundle: Path) -> dict:
    """{filter: {value: pages}} as the bundle's meta file and filter files say."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = pagefind_order._read(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    result = {}
    for name, file_hash in meta[pagefind_order.FILTERS]:
        index = pagefind_order._read(bundle / "filter" / f"{file_hash}.pf_filter")
        result[name] = {value[0]: value[1:] for value in index[1]}
    return result


def test_stabilising_keeps_every_value_with_its_pages_and_only_renames_three_files(site, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "stabilise", lambda bundle: False)
    raw = tmp_path / "raw"
    search.index_site(site, raw)
    stable = tmp_path / "stable"
    shutil.copytree(raw, stable)
    assert pagefind_order.stabilise(stable)
    assert filter_map(stable) == filter_map(raw)
    assert set(filter_map(stable)["kind"]) == {"Document", "Person", "Place", "About"}
    changed = differences(bundle_files(raw), bundle_files(stable))
    assert {p.rsplit(".", 1)[-1] for p in changed} <= {"json", "pf_meta", "pf_filter"}, changed
    (entry,) = (p for p in (stable / "filter").iterdir())
    values = [v[0] for v in pagefind_order._read(entry)[1]]
    assert values == sorted(values)


def test_a_bundle_of_unknown_shape_is_left_as_pagefind_wrote_it(site, tmp_path):
    bundle = tmp_path / "bundle"
    search.index_site(site, bundle)
    entry = bundle / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), indent=1), encoding="utf-8")
    before = bundle_files(bundle)
    assert pagefind_order.stabilise(bundle) is False
    assert bundle_files(bundle) == before


SEARCH = """async ([bundle, query, kind]) => {
  const pagefind = await import(bundle + "pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  const found = await pagefind.search(query, kind ? { filters: { kind } } : {});
  const urls = await Promise.all(found.results.map(async r => (await r.data()).url));
  return { urls: urls.sort(), filters: await pagefind.filters() };
}"""


def test_the_stabilised_bundle_searches_and_filters_like_the_raw_one(site, tmp_path, monkeypatch):
    """Pagefind's own JavaScript, in Chromium, over http: same results and filter counts."""
    root = tmp_path / "served"
    shutil.copytree(site, root)
    search.index_site(root, root / "stable")
    monkeypatch.setattr(search, "stabilise", lambda bundle: False)
    search.index_site(root, root / "raw")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(base + "index.html")
            for query, kind in [("carla", None), ("carla", "Person"), ("carla", "Document"), ("letter", "About"),
                                ("testville", "Place"), ("testville", None)]:
                stable = page.evaluate(SEARCH, [base + "stable/", query, kind])
                raw = page.evaluate(SEARCH, [base + "raw/", query, kind])
                assert stable == raw, (query, kind)
                if kind == "Person":
                    assert stable["urls"] and all("persons/" in u for u in stable["urls"]), stable
            assert set(stable["filters"]["kind"]) == {"Document", "Person", "Place", "About"}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
