"""`edition validate`: the bundled edition is clean, and each kind of error in a fixture
corpus is reported with the expected rule code and place."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st
from lxml import etree

from tei_edition.cli import main
from tei_edition.validate.dates import iso_interval

from helpers import FIDELITY, REPO, SEED, SHARED, invoke

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "base")


def run_cli(args: list[str], cwd: Path) -> tuple[int, str]:
    result = invoke(args, cwd)
    return result.exit_code, result.output


def lay_out_case(case: str, tmp_path: Path) -> Path:
    """Copy the base corpus and lay the case's files over it."""
    corpus = tmp_path / case
    shutil.copytree(FIXTURES / "base", corpus)
    shutil.copytree(FIXTURES / case, corpus, dirs_exist_ok=True)
    toml = corpus / "edition.toml"
    toml.write_text(toml.read_text().replace("@SHARED@", str(SHARED)))
    (corpus / "expected.txt").unlink()
    return corpus


def test_bundled_edition_is_clean():
    code, out = run_cli(["validate"], REPO)
    assert code == 0, out
    assert out.strip().endswith("0 error(s), 0 warning(s)"), out


def test_every_tei_file_is_valid_tei_p5(tei_all):
    files = sorted((REPO / "tei").rglob("*.xml"))
    assert len(files) >= 7
    for path in files:
        assert tei_all.validate(etree.parse(str(path))), f"{path}: {tei_all.error_log}"


def test_every_sentence_of_the_record_is_in_the_tei_text(tmp_path):
    tei = etree.parse(str(REPO / "tei" / "meetings" / "1951-09-09-mutual-aid-conference.xml"))
    text = " ".join(tei.getroot().find("{http://www.tei-c.org/ns/1.0}text").itertext())
    (tmp_path / "text.txt").write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, str(FIDELITY), str(SEED), str(tmp_path / "text.txt")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    # the superscript note number and the cited page survive too
    assert tei.find('.//{*}note[@n="87"]') is not None
    assert tei.find('.//{*}biblScope[@unit="page"][@from="118"]') is not None


@pytest.mark.parametrize("case", CASES)
def test_fixture_case_reports_expected_diagnostics(case, tmp_path):
    corpus = lay_out_case(case, tmp_path)
    code, out = run_cli(["validate", "--format", "json"], corpus)
    found = [f"{d['path']}:{d['line']}:{d['col']}: {d['severity']} [{d['rule']}]" for d in json.loads(out)]
    expected = (FIXTURES / case / "expected.txt").read_text().split("\n")
    assert found == [line for line in expected if line], out
    has_error = any(" error [" in line for line in expected)
    assert code == (1 if has_error else 0)


def test_base_fixture_corpus_is_clean(tmp_path):
    corpus = tmp_path / "base"
    shutil.copytree(FIXTURES / "base", corpus)
    code, out = run_cli(["validate"], corpus)
    assert code == 0, out


def test_text_format_names_file_line_column_rule_and_hint(tmp_path):
    corpus = lay_out_case("dangling", tmp_path)
    code, out = run_cli(["validate"], corpus)
    assert code == 1
    assert 'docs/dangling.xml:18:19: error: <persName ref>: "#nobody" points to no xml:id' in out
    assert "[ref-id]\n    hint: " in out
    assert out.strip().endswith("5 error(s), 0 warning(s)")  # @key is a code: never reported


def test_one_bad_file_does_not_hide_the_others(tmp_path):
    corpus = lay_out_case("malformed", tmp_path)
    shutil.copytree(FIXTURES / "dangling", corpus, dirs_exist_ok=True)
    code, out = run_cli(["validate", "--format", "json"], corpus)
    rules = {(d["path"], d["rule"]) for d in json.loads(out)}
    assert ("docs/malformed.xml", "xml-wellformed") in rules
    assert ("docs/dangling.xml", "ref-id") in rules


def test_validate_only_named_paths(tmp_path):
    corpus = lay_out_case("dangling", tmp_path)
    shutil.copytree(FIXTURES / "bad-date", corpus, dirs_exist_ok=True)
    code, out = run_cli(["validate", "--format", "json", "docs/bad-date.xml"], corpus)
    assert {d["path"] for d in json.loads(out)} == {"docs/bad-date.xml"}
    assert code == 1


def test_config_errors_are_all_reported_with_exit_2(tmp_path):
    (tmp_path / "edition.toml").write_text(
        '[edition]\nsources = "nowhere/*.xml"\nregisters = [1]\nschemas = ["x.dtd"]\ncolour = "red"\n[htlm]\n')
    (tmp_path / "x.dtd").write_text("")
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "edition.toml")])
    assert result.exit_code == 2
    out = result.output
    assert "unknown table [htlm]" in out
    assert "[edition] colour: unknown key" in out
    assert "matches no file" not in out  # a warning (an empty documents folder is normal), not among the errors
    assert "[edition] registers: expected a list of glob patterns" in out
    assert "[edition] schemas: x.dtd: unsupported schema type" in out


def test_validate_reports_a_bad_writer_table_with_a_bad_edition_key(tmp_path):
    """Every table is checked when the config is loaded, so `edition validate` (which runs no
    writer) reports a bad [pdf] together with a bad [edition] key, at their lines, exit 2."""
    shutil.copytree(FIXTURES / "base", tmp_path / "corpus")
    config = tmp_path / "corpus" / "edition.toml"
    text = config.read_text()
    config.write_text(text.replace("[edition]\n", "[edition]\nsourcse = []\n", 1)
                      + '\n[pdf]\npage-size = "enormous"\ndocuments = "yes"\n')
    result = CliRunner().invoke(main, ["validate", "--config", str(config)])
    assert result.exit_code == 2, result.output
    lines = config.read_text().splitlines()
    expected = {"[edition] sourcse: unknown key": ("sourcse =", "config-edition"),
                "[pdf] page-size: expected a CSS page size": ("page-size =", "config-pdf"),
                "[pdf] documents: expected true or false, got 'yes'": ("documents =", "config-pdf")}
    for message, (key, rule) in expected.items():
        line = next(n for n, text in enumerate(lines, start=1) if text.startswith(key))
        assert re.search(rf"edition\.toml:{line}:1: error: {re.escape(message)}.*\[{rule}\]", result.output), \
            result.output
    assert "sources" in result.output.split("[edition] sourcse: unknown key")[1]  # says what is expected


def test_missing_config_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    assert "config file not found" in result.output


def test_another_corpus_validates_against_tei_all(tmp_path):
    """Someone else's layout: letters whose #id pointers go into a separate listPerson file."""
    corpus = tmp_path / "letters"
    shutil.copytree(Path(__file__).parent / "fixtures" / "other-corpus", corpus)
    toml = corpus / "config" / "letters.toml"
    toml.write_text(toml.read_text().replace("@SHARED@", str(SHARED)))
    result = CliRunner().invoke(main, ["validate", "--config", str(toml)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # and a broken pointer there is found
    letter = corpus / "letters" / "letter-002.xml"
    letter.write_text(letter.read_text().replace("#anna-weber", "#anna-webber"))
    result = CliRunner().invoke(main, ["validate", "--config", str(toml), "--format", "json"])
    assert result.exit_code == 1
    found = [(d["path"].rsplit("/", 1)[-1], d["line"], d["rule"]) for d in json.loads(result.output)
             if d["severity"] == "error"]
    assert found == [("letter-002.xml", 14, "ref-id"), ("letter-002.xml", 23, "ref-id")]


# -- hostile XML: refused without reading files or the network --------------------------------

HOSTILE_TIMEOUT = 60  # a parser that opened the FIFO below would block forever (a slow CI start-up is fine)


def hostile_corpus(tmp_path: Path, body: str) -> Path:
    corpus = tmp_path / "hostile"
    shutil.copytree(FIXTURES / "base", corpus)
    (corpus / "docs" / "evil.xml").write_text(body)
    return corpus


def test_external_entity_never_reads_the_file(tmp_path):
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)  # opening it for reading blocks until a writer comes: none ever does
    corpus = hostile_corpus(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY s SYSTEM "file://{fifo}">]>\n'
                                      '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&s;</p></body></text></TEI>\n')
    run = subprocess.run([sys.executable, "-m", "tei_edition.cli", "validate", "--format", "json"], cwd=corpus,
                         capture_output=True, text=True, timeout=HOSTILE_TIMEOUT)
    assert run.returncode == 1
    assert [(d["path"], d["rule"]) for d in json.loads(run.stdout)] == [("docs/evil.xml", "xml-doctype")]


def test_external_dtd_and_entities_never_touch_the_network(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port = server.getsockname()[1]
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                connections.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        corpus = hostile_corpus(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd" '
                                          f'[<!ENTITY e SYSTEM "http://127.0.0.1:{port}/e.xml">]>\n'
                                          '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&e;</p></body></text></TEI>\n')
        run = subprocess.run([sys.executable, "-m", "tei_edition.cli", "validate", "--format", "json"], cwd=corpus,
                             capture_output=True, text=True, timeout=HOSTILE_TIMEOUT)
    finally:
        stop.set()
        thread.join()
        server.close()
    assert connections == []
    assert [d["rule"] for d in json.loads(run.stdout)] == ["xml-doctype"]


def test_entity_bomb_is_refused_without_expansion(tmp_path):
    corpus = tmp_path / "bomb"
    shutil.copytree(FIXTURES / "base", corpus)
    shutil.copy(FIXTURES / "hostile" / "docs" / "bomb.xml", corpus / "docs")
    # expanding it would take 100 × 32^5 ≈ 3 GB of text; refusing it takes nothing
    run = subprocess.run([sys.executable, "-m", "tei_edition.cli", "validate", "--format", "json"], cwd=corpus,
                         capture_output=True, text=True, timeout=HOSTILE_TIMEOUT)
    assert [d["rule"] for d in json.loads(run.stdout)] == ["xml-doctype"]


# -- dates ---------------------------------------------------------------------------------------

@given(st.dates())
def test_every_real_calendar_date_is_iso(day):
    start, end = iso_interval(day.isoformat())
    assert start[:3] == (day.year, day.month, day.day) == end[:3]


@given(st.dates(), st.dates())
def test_interval_order_follows_calendar_order(a, b):
    if a < b:
        assert iso_interval(a.isoformat())[1] < iso_interval(b.isoformat())[0]


@pytest.mark.parametrize("value", ["1951", "1951-09", "1951-09-30", "1951-09-30T10:00:00", "1951-09-30T10:00:00+08:00"])
def test_iso_forms_accepted(value):
    assert iso_interval(value) is not None


@pytest.mark.parametrize("value", ["9-9-1951", "1951-13", "1951-02-29", "1951-9-1", "September 1951", "", "1951-09-31"])
def test_non_iso_forms_refused(value):
    assert iso_interval(value) is None


def test_a_sources_pattern_that_matches_nothing_yet_is_a_warning(tmp_path):
    """A new edition's documents folder is empty until the first import: validate and build work."""
    shutil.copytree(FIXTURES / "base", tmp_path / "corpus")
    config = tmp_path / "corpus" / "edition.toml"
    for doc in (tmp_path / "corpus" / "docs").glob("*.xml"):
        doc.unlink()
    result = CliRunner().invoke(main, ["validate", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "warning: [edition] sources: 'docs/*.xml' matches no file" in result.output
    assert "[config-no-match]" in result.output
