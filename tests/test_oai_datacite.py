"""The edition's DataCite record in OAI-PMH is the deposit's: made from per-file extracts (kept
between builds) it must say exactly what the whole files say, back lists in letters included."""

from __future__ import annotations

from lxml import etree

from helpers import REPO
from oai_helpers import letters_subset
from tei_edition.config import load_config
from tei_edition.interfaces.oai.records import _corpus, _Extracts, _members, _text, datacite_extract, members_text
from tei_edition.render import xslt
from tei_edition.validate import index_edition
from tei_edition.writers.base import BuildContext
from tei_edition.writers.deposit.records import titles

LETTERS = ["L00050", "L00051", "L00052", "L00053"]


def datacite(ctx: BuildContext, extracts: _Extracts | None) -> str:
    path_of = {id(d): f"tei/{d.path.parent.name}/{d.path.name}" for d in ctx.corpus.documents}
    params = {"files": etree.Element("files"), "titles": xslt.node(titles(ctx.corpus, lambda d: path_of[id(d)]))}
    return xslt.transform("deposit/datacite.xsl", _corpus(ctx, path_of, extracts), params)


def bundled_edition_with(tmp_path, sources, registers=None) -> BuildContext:
    """The bundled edition with the sources (and registers) of another folder added."""
    extra = f', "{registers}/*.xml"' if registers is not None else ""
    (tmp_path / "edition.toml").write_text(
        "[edition]\n"
        f'header = "{REPO / "tei" / "edition.xml"}"\n'
        f'sources = ["{REPO / "tei" / "meetings"}/*.xml", "{sources}/*.xml"]\n'
        f'registers = ["{REPO / "tei" / "registers"}/*.xml"{extra}]\n', encoding="utf-8")
    config = load_config(tmp_path / "edition.toml")
    indexed = index_edition(config)
    return BuildContext(config, indexed.corpus, indexed.index)


def test_extracts_give_the_record_the_whole_files_give(tmp_path):
    subset = letters_subset(tmp_path / "letters", LETTERS).parent
    ctx = bundled_edition_with(tmp_path, subset / "letters", subset / "indices")
    whole = datacite(ctx, None)
    kept: dict = {}
    assert datacite(ctx, _Extracts({}, kept)) == whole
    assert datacite(ctx, _Extracts(kept, {})) == whole  # from the cache of the last build
    record = etree.fromstring(whole.encode("utf-8"))
    ns = {"d": "http://datacite.org/schema/kernel-4"}
    # not vacuous: the record cites authority records, and the letters' extracts carry the
    # persons of their back lists (which the stylesheet reads for them)
    assert record.xpath("//d:relatedIdentifier[@relationType='References']", namespaces=ns)
    letters = [d for d in ctx.corpus.documents if d.path.stem in LETTERS]
    assert letters and all(list(datacite_extract(d.root).iter("{http://www.tei-c.org/ns/1.0}person")) for d in letters)


def test_an_extract_keeps_the_header_and_each_entry_once():
    root = etree.fromstring(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc><particDesc><listPerson>'
        b'<person xml:id="a"/></listPerson></particDesc></profileDesc></teiHeader>'
        b'<text><body><p>x <placeName>Wien</placeName> y</p></body>'
        b'<back><listPerson><person xml:id="b"><persName>B</persName><residence><place xml:id="c"/></residence>'
        b'</person></listPerson></back></text></TEI>')
    out = datacite_extract(root)
    tei = "{http://www.tei-c.org/ns/1.0}"
    assert [p.get("{http://www.w3.org/XML/1998/namespace}id") for p in out.iter(f"{tei}person")] == ["a", "b"]
    assert len(list(out.iter(f"{tei}place"))) == 1  # inside its person, not copied twice
    assert out.find(f"{tei}text/{tei}body") is None  # the text itself is not needed


def test_the_members_text_is_the_members_tree_written(tmp_path):
    """The DataCite job's members are joined from the extracts' texts (no tree of every file in
    the main process): the same text as the tree, with namespaces declared inside a member,
    prefixed ones, and a base that must be escaped."""
    sources = tmp_path / "tei"
    sources.mkdir()
    (sources / "a&b.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:ex="urn:ex" xml:id="a"><teiHeader><fileDesc>'
        '<titleStmt><title ex:k="1">A &amp; "B"</title></titleStmt></fileDesc></teiHeader>'
        '<text><body><p><person xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="p" ex:k="&lt;2&gt;">'
        '<persName>P\u00e9</persName></person></p></body></text></TEI>', encoding="utf-8")
    ctx = bundled_edition_with(tmp_path, sources)
    path_of = {id(d): f"tei/{d.path.name}\t<{d.path.stem}>\"" for d in ctx.corpus.documents}
    extracts = _Extracts({}, {})
    joined = members_text(ctx, path_of, extracts)
    assert 'xmlns:ex="urn:ex"' in joined and "&amp;b.xml" in joined  # not vacuous
    assert joined == _text(_members(ctx, path_of, extracts))


def test_members_in_a_file_give_the_record_members_as_text(tmp_path):
    """The build hands the DataCite job its members in a temporary file (transforms.Runs.file);
    the record is the one the same members as text give, and the file is gone afterwards."""
    from pathlib import Path

    from tei_edition.interfaces.oai.records import write_members
    from tei_edition.interfaces.oai.transforms import Job, Runs, run_batch, Batch

    subset = letters_subset(tmp_path / "letters", LETTERS).parent
    ctx = bundled_edition_with(tmp_path, subset / "letters", subset / "indices")
    path_of = {id(d): f"tei/{d.path.parent.name}/{d.path.name}" for d in ctx.corpus.documents}
    extracts = _Extracts({}, {})
    shared = (("titles", _text(titles(ctx.corpus, lambda d: path_of[id(d)]))),)
    header = _text(ctx.corpus.header.tree)
    as_text = Job("datacite", header, (("members", members_text(ctx, path_of, extracts)),))
    runs = Runs(dict(shared), 1)
    with runs:
        path = runs.file(lambda out: write_members(out, ctx, path_of, extracts))
        assert Path(path).read_text(encoding="utf-8") == as_text.xml[0][1]
        in_file = Job("datacite", header, files=(("members", path),))
        (text, error), (from_file, file_error) = run_batch(Batch(shared, (as_text, in_file)))
    assert not error and not file_error and "relatedIdentifier" in text
    assert from_file == text
    assert not Path(path).exists()
