"""The linked data (data/registers.ttl, .jsonld) of the last build is linked into the new site while
what it is made from is unchanged (interfaces/rdf.py inputs_key); a changed register entry, base
URL or published file makes it again."""

from __future__ import annotations

import os
import shutil

import pytest

from helpers import REPO
from tei_edition.config import load_config
from tei_edition.interfaces import rdf
from tei_edition.model.edition import Site
from tei_edition.validate import index_edition
from tei_edition.writers.base import BuildContext


def edition(tmp_path, base_url: str = ""):
    if not (tmp_path / "tei").exists():
        shutil.copytree(REPO / "tei", tmp_path / "tei")
    extra = f'\n[html]\nbase-url = "{base_url}"\n' if base_url else "\n"
    (tmp_path / "edition.toml").write_text(
        '[edition]\nheader = "tei/edition.xml"\nsources = ["tei/meetings/*.xml"]\n'
        'registers = ["tei/registers/*.xml"]\noutput = "output"\n' + extra, encoding="utf-8")
    config = load_config(tmp_path / "edition.toml")
    indexed = index_edition(config)
    return BuildContext(config, indexed.corpus, indexed.index, incremental=True, log=lambda _: None), Site(indexed.index)


def publish(tmp_path, base_url: str = ""):
    """A build of the linked data into the published site (output/html)."""
    ctx, site = edition(tmp_path, base_url)
    assert rdf.write_registers(ctx, site, ctx.config.output / "html") == []


def rebuild(tmp_path, base_url: str = ""):
    ctx, site = edition(tmp_path, base_url)
    staging = tmp_path / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    assert rdf.write_registers(ctx, site, staging) == []
    return staging / "data" / "registers.ttl", ctx.config.output / "html" / "data" / "registers.ttl"


def test_an_unchanged_rebuild_links_the_published_files(tmp_path, monkeypatch):
    publish(tmp_path)
    monkeypatch.setattr(rdf, "registers_triples", lambda *a, **k: pytest.fail("the graph was made again"))
    new, old = rebuild(tmp_path)
    assert os.stat(new).st_ino == os.stat(old).st_ino
    assert (new.parent / "registers.jsonld").read_bytes() == (old.parent / "registers.jsonld").read_bytes()


def test_a_changed_register_entry_makes_the_graph_again(tmp_path):
    publish(tmp_path)
    persons = tmp_path / "tei" / "registers" / "persons.xml"
    persons.write_text(persons.read_text("utf-8").replace(">Chen Boda<", ">Chen Boda (renamed)<", 1), "utf-8")
    new, old = rebuild(tmp_path)
    assert os.stat(new).st_ino != os.stat(old).st_ino
    assert "Chen Boda (renamed)" in new.read_text("utf-8")
    assert "Chen Boda (renamed)" not in old.read_text("utf-8")


def test_a_new_base_url_makes_the_graph_again(tmp_path):
    publish(tmp_path)
    new, _ = rebuild(tmp_path, "https://example.org/edition/")
    assert "https://example.org/edition/persons/" in new.read_text("utf-8")


def test_a_published_file_changed_by_hand_is_made_again(tmp_path):
    publish(tmp_path)
    old = tmp_path / "output" / "html" / "data" / "registers.ttl"
    kept = old.read_bytes()
    old.write_bytes(b"# edited by hand\n")
    new, _ = rebuild(tmp_path)
    assert new.read_bytes() == kept
