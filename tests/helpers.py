"""Plain helpers the test modules share (fixtures are in conftest.py): paths, builds, the CLI.

Test modules import from here, never from each other, so that each can be read and run alone
(tests/test_architecture.py checks it).
"""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
from click.testing import CliRunner

from tei_edition.build import build
from tei_edition.cli import main
from tei_edition.config import load_config
from tei_edition.validate import validate
from tei_edition.writers.base import BuildContext, load_writer

REPO = Path(__file__).resolve().parents[1]
# The reference material (seed record, reference schemas, fidelity tool) sits beside the
# repository; TEI_EDITION_SHARED names another place (e.g. for a git worktree elsewhere).
SHARED = Path(os.environ.get("TEI_EDITION_SHARED") or REPO.parent / "shared")
SEED = SHARED / "seed" / "000_daf9fabc9e3a19bb.txt"
FIDELITY = SHARED / "tools" / "fidelity.py"
SCHEMAS = SHARED / "schemas"
TEI_ALL = SCHEMAS / "tei-p5-4.12.0" / "tei_all.rng"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDS = FIXTURES / "records"
MEETING = "documents/meeting-1951-09-09-mutual-aid.html"  # the bundled edition's first document page
EPOCH = "1764374400"  # 2025-11-29: a fixed build date, so that builds can be compared byte for byte
# a paragraph to add to a synthetic meeting record (replaces its "</body>")
ADDED = ('<div type="field" subtype="remarks"><head>Remarks:</head><p>An added paragraph.</p></div>'
         "</body>")


# ---- the command line ------------------------------------------------------------------------


def invoke(args: list[str], cwd: Path):
    """`edition ARGS` run in this process from folder `cwd`; the click Result."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """http.server's handler without a log line per request (keeps the test output readable)."""

    def log_message(self, *args):
        pass


# ---- the bundled edition ---------------------------------------------------------------------


def parse(path: Path):
    """An HTML page of the built site, parsed."""
    return lxml.html.parse(str(path)).getroot()


def write_bundled_config(folder: Path) -> Path:
    """A config for the bundled edition (tei/ of this repository) that writes into `folder`."""
    config = folder / "edition.toml"
    config.write_text(
        "[edition]\n"
        f'header = "{REPO / "tei" / "edition.xml"}"\n'
        f'sources = ["{REPO / "tei" / "meetings"}/*.xml"]\n'
        f'registers = ["{REPO / "tei" / "registers"}/*.xml"]\n'
        f'output = "{folder / "output"}"\n', encoding="utf-8")
    return config


def edition_config(folder: Path) -> Path:
    """A config for the bundled edition (registers, header, project schemas) written in `folder`."""
    schemas = [p for p in (REPO / "schema" / "edition.xsd", REPO / "schema" / "edition.sch") if p.exists()]
    text = (f'[edition]\nheader = "{REPO / "tei" / "edition.xml"}"\n'
            f'sources = ["{REPO / "tei" / "meetings"}/*.xml"]\n'
            f'registers = ["{REPO / "tei" / "registers"}/*.xml"]\n'
            f"schemas = [{', '.join(repr(str(p)) for p in schemas)}]\n")
    path = folder / "edition.toml"
    path.write_text(text.replace("'", '"'), encoding="utf-8")
    return path


def run_writers(config_path: Path, names=("html",), keep_going=False):
    """Validate and run the writers as `edition build` does (html indexes its own pages for search);
    return (diagnostics, seconds per writer)."""
    config = load_config(config_path)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        validation = validate(config)
        if validation.errors and not keep_going:
            raise AssertionError("the corpus has errors:\n" + "\n".join(d.format() for d in validation.errors))
        ctx = BuildContext(config, validation.corpus, validation.index, keep_going=keep_going, log=lambda _m: None)
        found, seconds = [], {}
        for name in names:
            start = time.perf_counter()
            found += load_writer(name).write(ctx).diagnostics
            seconds[name] = time.perf_counter() - start
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return found, seconds


@functools.lru_cache(maxsize=None)
def bundled_site() -> Path:
    """The bundled edition's web site with search, built once per test session."""
    folder = Path(tempfile.mkdtemp(prefix="html-site-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    diagnostics, seconds = run_writers(write_bundled_config(folder))
    errors = [d.format() for d in diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)
    print(f"\nbundled edition: html with its search index {seconds['html']:.2f} s", file=sys.stderr)
    return folder / "output" / "html"


# ---- the synthetic corpus (benchmarks/generate_corpus.py) -------------------------------------


@functools.lru_cache(maxsize=None)
def synthetic_corpus(docs: int = 30) -> Path:
    """A synthetic edition (its headers say so), generated once per session; copy before editing."""
    folder = Path(tempfile.mkdtemp(prefix="synthetic-corpus-")) / "corpus"
    atexit.register(shutil.rmtree, folder.parent, ignore_errors=True)  # leave no folder behind in /tmp
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", str(docs),
                    "--persons", "40", "--seed", "3", "--out", str(folder)], check=True, capture_output=True)
    return folder


def corpus_copy(tmp_path: Path, name: str = "corpus") -> Path:
    target = tmp_path / name
    shutil.copytree(synthetic_corpus(), target)
    return target


def build_html(corpus: Path, **options) -> tuple[int, list[str]]:
    """`edition build --only html` of `corpus` in this process; (exit code, log lines)."""
    log: list[str] = []
    code = build(load_config(corpus / "edition.toml"), only=["html"], log=log.append, **options)
    return code, log


def site_files(corpus: Path) -> dict[str, bytes]:
    site = corpus / "output" / "html"
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def edit(corpus: Path, name: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in tei/meetings/`name` of `corpus`."""
    path = corpus / "tei" / "meetings" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rebuilt(log: list[str]) -> dict[str, str]:
    """The pages a build's log says were rebuilt, with the reason."""
    found = {}
    for line in log:
        m = re.fullmatch(r"  (\S+\.html): (.+)", line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def document_page_data(index, doc):
    """The $site a document's page gets, as the html writer builds it (for rendering one page
    straight through the stylesheet)."""
    from lxml import etree

    from tei_edition.model.edition import Site

    site = Site(index)
    info = next(i for i in site.documents if i.doc is doc)
    data = site.pointer_slice(doc)
    data.set("path", info.href)
    data.set("root", "../")
    data.insert(0, site.edition_element())
    data.append(site.document_list_item(info))
    return etree.ElementTree(data)


def real_corpus(path: Path) -> Path:
    """`path` inside ../shared/corpora/; a test without it is skipped on a developer's machine and
    fails under CI, where shared/ must sit beside the repository (or TEI_EDITION_SHARED name it)."""
    import pytest

    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the real corpora are missing: {path} (shared/ must sit beside the repository, "
                        "or TEI_EDITION_SHARED name it)")
        pytest.skip(f"the real corpora are not here: {path}")
    return path

