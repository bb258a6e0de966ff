"""DTS 1.0: a client that follows the entry point's templates reads the bundled edition and a real
corpus, statically (the build's files) and served (`edition serve`'s query form), and both forms
give the same units and passages; the JSON-LD reads with the specification's context; the
citation references agree with the reference implementation (dapytains) on a declared
citeStructure and on the stated default."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from rdflib import Graph, Namespace, RDF

from dts_client import Client, Read, expand
from helpers import FIXTURES, REPO, SHARED, write_bundled_config
from tei_edition.commands.serve import Preview
from tei_edition.config import load_config
from tei_edition.interfaces.dts import served
from tei_edition.interfaces.dts.citation import DEFAULT_TREES, citation_tree, default_kind
from tei_edition.interfaces.dts.responses import Service
from tei_edition.interfaces.dts.static import write_static
from tei_edition.interfaces.dts.urls import Urls, static_file
from tei_edition.model.edition import Site
from tei_edition.validate import index_edition

DTS = Namespace("https://dtsapi.org/v1.0#")
CONTEXT = json.loads((FIXTURES / "dts" / "context-v1.0.json").read_text("utf-8"))
TEI = "{http://www.tei-c.org/ns/1.0}"
MEETING = "meeting-1951-09-09-mutual-aid"
CORPORA = SHARED / "corpora"
SUBSETS = {  # a few real documents of each corpus (their SOURCE.md says what they are)
    "legalkraus": ["data/editions/D_000001-001-000.xml", "data/editions/D_000001-003-000.xml",
                   "data/editions/D_000002-001-000.xml"],
    "schnitzler-briefe": ["data/editions/L00001.xml", "data/editions/L00050.xml", "data/editions/L00120.xml"],
}


def http_get(base: str):
    def get(url: str) -> tuple[int, str, bytes]:
        try:
            with urllib.request.urlopen(base.rstrip("/") + url, timeout=30) as r:
                return r.status, r.headers["Content-Type"], r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers["Content-Type"], e.read()
    return get


def file_get(urls: Urls, site: Path):
    """The static files, read as a static web server reads them."""
    def get(url: str) -> tuple[int, str, bytes]:
        name = static_file(urls, url)
        path = site / "api" / "dts" / name if name is not None else None
        if path is None or not path.is_file():
            return 404, "text/plain", b""
        return 200, "application/json" if path.suffix == ".json" else "application/xml", path.read_bytes()
    return get


def served_get(config):
    """`edition serve`'s DTS answers without the HTTP layer (the bundled test goes through it)."""
    def get(url: str) -> tuple[int, str, bytes]:
        parts = urlsplit(url)
        answer = served.answer(config, parts.path, parse_qs(parts.query))
        assert answer is not None, url
        return answer.status, answer.media_type, answer.body
    return get


def without_templates(data):
    """An answer with its URLs left out: what the static and the served form must share."""
    if isinstance(data, dict):
        return {k: without_templates(v) for k, v in data.items()
                if k not in ("@id", "collection", "navigation", "document") or isinstance(v, (dict, list))}
    if isinstance(data, list):
        return [without_templates(v) for v in data]
    return data


def assert_same(static: Read, dynamic: Read) -> None:
    assert static.units == dynamic.units
    assert static.passages == dynamic.passages
    assert static.documents == dynamic.documents
    assert len(static.answers) == len(dynamic.answers)
    assert [without_templates(a) for a in static.answers.values()] == \
        [without_templates(a) for a in dynamic.answers.values()]


# ---- the bundled edition, through HTTP ---------------------------------------------------------


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    running = Preview(load_config(write_bundled_config(tmp_path_factory.mktemp("dts"))), port=0, log=lambda _: None)
    running.start()
    yield running
    running.stop()


def test_bundled_edition_static_and_served_read_alike(preview):
    get = http_get(preview.url)
    static = Client(get).read("/api/dts/index.json")
    dynamic = Client(get).read("/api/dts/")
    assert_same(static, dynamic)
    units = dynamic.units[MEETING]
    assert [u["identifier"] for u in units if u["level"] == 1] == [str(n) for n in range(1, 9)]
    assert {u["citeType"] for u in units} == {"division", "paragraph"}
    assert units[0]["dublinCore"]["title"] == [{"lang": "en", "value": "Dates of Meeting:"}]
    # the passage is the cited element: the convening body, said in the fourth division's second paragraph
    assert dynamic.passages[(MEETING, "4.2")] == "This conference was convened by the CC CCP."
    status, media, body = get(f"/api/dts/document/?resource={MEETING}")
    assert (status, media) == (200, "application/tei+xml")
    assert body == (REPO / "tei" / "meetings" / "1951-09-09-mutual-aid-conference.xml").read_bytes()


@pytest.mark.parametrize("query, status", [
    ("navigation/?down=1", 400),                                     # no resource
    (f"navigation/?resource={MEETING}", 400),                        # neither ref nor down
    (f"navigation/?resource={MEETING}&down=0", 400),                 # down=0 without ref
    (f"navigation/?resource={MEETING}&down=x", 400),
    (f"navigation/?resource={MEETING}&start=1&end=2&down=1", 400),  # Level 0: no ranges
    (f"navigation/?resource={MEETING}&ref=99", 404),
    (f"navigation/?resource={MEETING}&ref=1&tree=other", 404),
    ("navigation/?resource=nothing&down=1", 404),
    (f"document/?resource={MEETING}&ref=1.9", 404),
    (f"document/?resource={MEETING}&mediaType=text/html", 404),
    ("document/", 400),
    ("collection/?id=nothing", 404),
    ("collection/?nav=sideways", 400),
])
def test_refused_requests_get_the_specified_status(preview, query, status):
    got, media, body = http_get(preview.url)("/api/dts/" + query)
    assert got == status and media == "application/json" and json.loads(body)["message"]


def test_navigation_follows_the_specification_table(preview):
    get = http_get(preview.url)
    nav = lambda q: json.loads(get(f"/api/dts/navigation/?resource={MEETING}&{q}")[2])  # noqa: E731
    assert [u["identifier"] for u in nav("ref=4&down=1")["member"]] == ["4.1", "4.2"]
    assert nav("ref=4&down=1")["ref"]["identifier"] == "4"
    assert [u["identifier"] for u in nav("ref=4.1&down=0")["member"]] == ["4.1", "4.2"]
    assert [u["identifier"] for u in nav("ref=4.1&down=1")["member"]] == ["4.1"]  # a leaf: only itself
    assert len(nav("down=2")["member"]) == len(nav("down=-1")["member"]) > len(nav("down=1")["member"])


def test_answers_are_json_ld_under_the_dts_context(preview):
    """Every key is a term of the DTS 1.0 context (none is dropped as JSON-LD), and rdflib reads
    the answers with that context as DTS resources."""
    read = Client(http_get(preview.url)).read("/api/dts/")
    terms = set(CONTEXT["@context"])

    def keys(data, inside_metadata=False):
        if isinstance(data, dict):
            for k, v in data.items():
                if not inside_metadata:
                    assert k.startswith("@") or k in terms, f"{k} is not a DTS term"
                yield from keys(v, inside_metadata or k == "dublinCore")
        elif isinstance(data, list):
            for v in data:
                yield from keys(v, inside_metadata)
        yield None

    types = set()
    for url, answer in read.answers.items():
        list(keys(answer))
        g = Graph().parse(data=json.dumps({**answer, "@context": CONTEXT["@context"]}), format="json-ld",
                          base="http://localhost" + url)
        types |= set(g.objects(None, RDF.type))
    assert {DTS.EntryPoint, DTS.Collection, DTS.Resource, DTS.Navigation, DTS.CitableUnit, DTS.CitationTree} <= types


# ---- a real corpus: files and the served answers ------------------------------------------------


def corpus_subset(tmp_path: Path, name: str) -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"the real corpora are missing: {CORPORA}")
    folder = tmp_path / name
    (folder / "tei").mkdir(parents=True)
    for relative in SUBSETS[name]:
        shutil.copy(CORPORA / name / relative, folder / "tei")
    (folder / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\noutput = "output"\n', encoding="utf-8")
    return folder / "edition.toml"


@pytest.mark.parametrize("name", sorted(SUBSETS))
def test_real_corpus_reads_alike_from_files_and_served(tmp_path, name):
    config = load_config(corpus_subset(tmp_path, name))
    site = Site(index_edition(config).index)
    urls = Urls.published("")
    found = write_static(Service(site, urls), tmp_path / "site")
    assert found == []
    static = Client(file_get(urls, tmp_path / "site")).read(urls.entry)
    dynamic = Client(served_get(config)).read("/api/dts/")
    assert_same(static, dynamic)
    assert len(static.units) == 3 and all(static.units.values())
    kinds = {u["citeType"] for units in static.units.values() for u in units if u["level"] == 1}
    # letters (a correspDesc) are cited letter → paragraph, other documents division → paragraph
    assert kinds == ({"letter"} if name == "schnitzler-briefe" else {"division"})
    assert all(text for text in static.passages.values())


# ---- the references agree with the reference implementation ------------------------------------

DAPYTAINS = """
import json, sys
from dapytains.tei.document import Document
def flat(units):
    for u in units:
        yield [u.ref, u.level, u.parent, u.citeType]
        yield from flat(u.children)
print(json.dumps(list(flat(Document(sys.argv[1]).get_reffs()))))
"""


def dapytains_refs(path: Path) -> list[list]:
    """dapytains' references of a document (in a process of its own: it makes its own Saxon processor)."""
    done = subprocess.run([sys.executable, "-c", DAPYTAINS, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def our_refs(path: Path) -> list[list]:
    return [[u.identifier, u.level, u.parent, u.cite_type] for u in citation_tree(etree.parse(str(path))).units]


def test_declared_cite_structure_gives_the_references_dapytains_gives():
    declared = FIXTURES / "dts" / "declared.xml"
    ours = our_refs(declared)
    assert ours[:3] == [["I", 1, None, "book"], ["I.a", 2, "I", "poem"], ["I.a.1", 3, "I.a", "line"]]
    assert ours == dapytains_refs(declared)


@pytest.mark.parametrize("path", [REPO / "tei" / "meetings" / "1951-09-09-mutual-aid-conference.xml",
                                  CORPORA / "schnitzler-briefe" / "data" / "editions" / "L00050.xml",
                                  CORPORA / "legalkraus" / "data" / "editions" / "D_000001-003-000.xml"],
                         ids=["bundled", "letter", "legalkraus"])
def test_default_tree_stated_as_cite_structure_gives_the_same_references_in_dapytains(tmp_path, path):
    """The default, written into the document as the refsDecl it stands for, is read alike by dapytains."""
    tree = etree.parse(str(path))
    header = tree.getroot().find(f"{TEI}teiHeader")
    encoding = header.find(f"{TEI}encodingDesc")
    if encoding is None:
        encoding = etree.Element(f"{TEI}encodingDesc")
        header.find(f"{TEI}fileDesc").addnext(encoding)
    encoding.append(etree.fromstring(DEFAULT_TREES[default_kind(tree.getroot())]))
    stated = tmp_path / path.name
    tree.write(str(stated), encoding="UTF-8")
    ours = our_refs(path)
    assert ours and ours == our_refs(stated)
    assert ours == dapytains_refs(stated)


def test_a_broken_cite_structure_is_a_warning_at_its_line(tmp_path):
    declared = (FIXTURES / "dts" / "declared.xml").read_text("utf-8")
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "bad.xml").write_text(declared.replace('match="//body/div" use="@n"',
                                                               'match="//body/div[" use="@n"'), "utf-8")
    (tmp_path / "tei" / "twice.xml").write_text(declared.replace('use="@n" delim="."', 'use="1" delim="."'), "utf-8")
    (tmp_path / "edition.toml").write_text('[edition]\nsources = ["tei/*.xml"]\n', encoding="utf-8")
    site = Site(index_edition(load_config(tmp_path / "edition.toml")).index)
    found = [d.format() for d in write_static(Service(site, Urls.published("")), tmp_path / "site")]
    assert any("tei/bad.xml:13:1: warning:" in t and '@match="//body/div["' in t and "[dts-citation]" in t
               for t in found), found
    assert any("tei/twice.xml:25:1: warning:" in t and "'I.1' is given to two units" in t
               for t in found), found
    # the units that could be cited are published all the same
    assert (tmp_path / "site" / "api" / "dts" / "document" / "twice" / "I.1.xml").is_file()
