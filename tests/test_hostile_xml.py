"""Hostile XML (issue 8): every kind of bad or malicious source file gets a clear diagnostic,
within seconds and bounded memory, and nothing outside the corpus is ever read.

Each hostile file joins a copy of the synthetic fixture corpus (tests/fixtures/validate/base)
and goes through the real command line, `edition validate` and `edition build`, in a
subprocess with a timeout and a memory limit. Every file outside the corpus that a hostile
document names is a trap: a FIFO whose writer notices when anyone opens it (and would hand
them a secret), and a loopback HTTP server that records every connection (and would answer
with the secret). After each run: no trap was touched, and the secret is in no output file.
All documents here are synthetic, written by the test.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import tei_edition
from tei_edition.model import xmlparse
from tei_edition.cli import main

BASE = Path(__file__).parent / "fixtures" / "validate" / "base"
SECRET = "SECRET-3b1f9c-not-for-any-output"
TIMEOUT = 60  # seconds; each run takes about one, a busy CI machine may take more
# RLIMIT_DATA bounds the heap (brk and private writable mappings: where a parsed tree lives).
# RLIMIT_AS cannot be used: Saxon's GraalVM isolate reserves 32 GB of address space up front.
MEMORY_LIMIT = 1024 * 1024 * 1024
LAUNCH = ("import resource, runpy, sys; "
          f"resource.setrlimit(resource.RLIMIT_DATA, ({MEMORY_LIMIT}, {MEMORY_LIMIT})); "
          "runpy.run_module('tei_edition.cli', run_name='__main__', alter_sys=True)")
# the subprocess runs the code this test imported, installed or not
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(tei_edition.__file__).parents[1]),
                                                                  os.environ.get("PYTHONPATH")]))}


# -- traps: what a hostile document names outside the corpus ------------------------------------

class FifoTrap:
    """A FIFO outside the corpus: opening it to read would block, so a writer waits on it and
    records whoever opens it (then hands them the secret, so a reader cannot hang the test)."""

    def __init__(self, path: Path):
        self.path = path
        os.mkfifo(path)
        self.opened = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._wait, daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        fd = os.open(self.path, os.O_WRONLY)  # returns when a reader opens the FIFO
        if not self._closing:
            self.opened.set()
        try:
            os.write(fd, SECRET.encode())
        except OSError:
            pass
        os.close(fd)

    def close(self) -> None:
        self._closing = True
        os.close(os.open(self.path, os.O_RDONLY | os.O_NONBLOCK))  # lets the waiting writer go
        self._thread.join(5)


class NetTrap:
    """A loopback HTTP server that records every connection and answers with the secret."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.sendall(f"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n{SECRET}".encode())

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.server.close()


@dataclass
class Traps:
    fifo: FifoTrap
    net: NetTrap
    secret_file: Path  # a plain readable file: if anything read it, its text could leak

    def assert_untouched(self) -> None:
        assert not self.fifo.opened.is_set(), f"{self.fifo.path} was opened"
        assert self.net.connections == 0, f"{self.net.connections} connection(s) to {self.net.url}"


@pytest.fixture
def traps(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    found = Traps(FifoTrap(outside / "secret.fifo"), NetTrap(), outside / "secret.txt")
    yield found
    found.fifo.close()
    found.net.close()


# -- running the command line -------------------------------------------------------------------

def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(BASE, root)
    return root


def edition(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`edition ARGS` in `root`, bounded in time and memory; a traceback is a failure."""
    run = subprocess.run([sys.executable, "-c", LAUNCH, *args], cwd=root, env=ENV, capture_output=True,
                         text=True, timeout=TIMEOUT, check=False)
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run


def assert_no_secret(root: Path, *runs: subprocess.CompletedProcess) -> None:
    for run in runs:
        assert SECRET not in run.stdout + run.stderr
    for path in (root / "output").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# -- the hostile documents ----------------------------------------------------------------------

def tei(doctype: str = "", body: str = "Text.", encoding: str = "UTF-8") -> str:
    """A synthetic TEI document: its DOCTYPE (if any) on line 2, `body` in a <p> on line 7 at column 8."""
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            f"{doctype}\n"
            '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" xml:id="doc-evil">\n'
            "  <teiHeader><fileDesc><titleStmt><title>Synthetic hostile document</title></titleStmt>\n"
            "    <publicationStmt><p>Synthetic.</p></publicationStmt><sourceDesc><p>Synthetic.</p></sourceDesc></fileDesc></teiHeader>\n"
            "  <text><body>\n"
            f"    <p>{body}</p>\n"
            "  </body></text>\n"
            "</TEI>\n")


def utf7(markup: str) -> str:
    """Markup as UTF-7 writes it when it hides its ASCII: no '<' for a scanner to see."""
    return "".join({"<": "+ADw-", ">": "+AD4-", "!": "+ACE-", "%": "+ACU-", "[": "+AFs-", "]": "+AF0-"}.get(c, c)
                   for c in markup)


def billion_laughs() -> str:
    levels = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    return tei(f"<!DOCTYPE TEI [{''.join(levels)}]>", "&l9;")  # 3 × 10^9 characters if expanded


def quadratic_blowup() -> str:
    return tei(f'<!DOCTYPE TEI [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 50_000)  # 2.5 GB if expanded


def huge_document(path: Path) -> None:
    """100 MB of well-formed TEI (many paragraphs), written in a fraction of a second."""
    head, tail = tei(body="start").split("start")
    chunk = ("<p>" + "A synthetic paragraph of a far too large document. " * 20 + "</p>\n").encode() * 1000
    with path.open("wb") as out:
        out.write(head.encode())
        for _ in range(100 * 2**20 // len(chunk) + 1):
            out.write(chunk)
        out.write(tail.encode())


def deep_document(path: Path) -> None:
    """100,000 nested <div>s, one per line from line 5 (<TEI> is level 1 on line 2)."""
    path.write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text>\n<body>\n'
                    + "<div>\n" * 100_000 + "</div>" * 100_000 + "\n</body>\n</text>\n</TEI>\n")


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")  # a PNG's first bytes


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path, Traps], None]  # writes the hostile file at the path given
    line: int
    col: int
    rule: str
    words: str  # what the message must say

    def __str__(self):
        return self.name


def text(make: Callable[[Traps], str], encoding: str = "utf-8") -> Callable[[Path, Traps], None]:
    return lambda path, traps: path.write_bytes(make(traps).encode(encoding))


DOCTYPE = "DOCTYPE declaration refused"
CASES = [
    Case("external entity: local file", text(lambda t: tei(f'<!DOCTYPE TEI [<!ENTITY s SYSTEM "file://{t.fifo.path}">]>', "&s;")),
         2, 1, "xml-doctype", DOCTYPE),
    Case("external entity: readable secret file", text(lambda t: tei(f'<!DOCTYPE TEI [<!ENTITY s SYSTEM "{t.secret_file}">]>', "&s;")),
         2, 1, "xml-doctype", DOCTYPE),
    Case("external entity: URL", text(lambda t: tei(f'<!DOCTYPE TEI [<!ENTITY s SYSTEM "{t.net.url}s.xml">]>', "&s;")),
         2, 1, "xml-doctype", DOCTYPE),
    Case("parameter entity: local file", text(lambda t: tei(f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file://{t.fifo.path}"> %p;]>')),
         2, 1, "xml-doctype", DOCTYPE),
    Case("parameter entity: URL", text(lambda t: tei(f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{t.net.url}p.dtd"> %p;]>')),
         2, 1, "xml-doctype", DOCTYPE),
    Case("billion laughs", text(lambda t: billion_laughs()), 2, 1, "xml-doctype", DOCTYPE),
    Case("quadratic blow-up", text(lambda t: quadratic_blowup()), 2, 1, "xml-doctype", DOCTYPE),
    Case("external DTD: local file", text(lambda t: tei(f'<!DOCTYPE TEI SYSTEM "{t.fifo.path}">')),
         2, 1, "xml-doctype", DOCTYPE),
    Case("external DTD: URL", text(lambda t: tei(f'<!DOCTYPE TEI PUBLIC "-//Synthetic//DTD TEI//EN" "{t.net.url}tei.dtd">')),
         2, 1, "xml-doctype", DOCTYPE),
    # with collect_ids=False libxml2 opens a local external DTD or parameter entity even though
    # load_dtd=False: these prologs must not get past the scan, and the parser must not open them
    Case("UTF-16 with an external DTD", text(lambda t: tei(f'<!DOCTYPE TEI SYSTEM "{t.fifo.path}">', encoding="UTF-16"), "utf-16"),
         2, 1, "xml-doctype", DOCTYPE),
    Case("UTF-16 without BOM, parameter entity",
         text(lambda t: tei(f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file://{t.fifo.path}"> %p;]>', encoding="UTF-16"), "utf-16-be"),
         2, 1, "xml-doctype", DOCTYPE),
    Case("UTF-7 hiding an external DTD",
         text(lambda t: tei(utf7(f'<!DOCTYPE TEI SYSTEM "{t.fifo.path}">'), "Text.", "UTF-7")), 2, 1, "xml-doctype", DOCTYPE),
    Case("XInclude of a local file", text(lambda t: tei(body=f'<xi:include href="{t.fifo.path}" parse="text"/>')),
         7, 8, "xml-xinclude", "XInclude is not processed"),
    Case("XInclude of a readable secret file", text(lambda t: tei(body=f'<xi:include href="{t.secret_file}" parse="text"/>')),
         7, 8, "xml-xinclude", "XInclude is not processed"),
    Case("XInclude of a URL", text(lambda t: tei(body=f'<xi:include href="{t.net.url}x.xml"/>')),
         7, 8, "xml-xinclude", "XInclude is not processed"),
    Case("100 MB document", lambda path, t: huge_document(path), 1, 1, "xml-too-large", "the limit is 16,777,216 bytes"),
    Case("100,000 levels of nesting", lambda path, t: deep_document(path), 258, 5, "xml-wellformed",
         "nested more than 256 levels deep"),
    Case("invalid UTF-8", lambda path, t: path.write_bytes(tei(body="caf@ au lait").encode().replace(b"@", b"\xe9")),
         7, 11, "xml-wellformed", "not valid in the file's encoding"),
    Case("a PNG image", lambda path, t: path.write_bytes(PNG), 1, 1, "xml-wellformed", "not XML"),
    Case("plain text", lambda path, t: path.write_text("Minutes of a synthetic meeting.\nNothing else.\n"),
         1, 1, "xml-wellformed", "not XML"),
    Case("empty file", lambda path, t: path.write_bytes(b""), 1, 1, "xml-wellformed", "the file is empty"),
    Case("whitespace only", lambda path, t: path.write_text("\n  \t\n\n"), 1, 1, "xml-wellformed", "only whitespace"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_hostile_file_gets_a_clear_diagnostic_and_reads_nothing_outside(tmp_path, traps, case):
    root = corpus(tmp_path)
    case.write(root / "docs" / "evil.xml", traps)
    checked = edition(root, "validate", "--format", "json")
    built = edition(root, "build", "--jobs", "1")
    assert (checked.returncode, built.returncode) == (1, 1), checked.stdout + built.stdout
    found = [d for d in json.loads(checked.stdout) if d["severity"] == "error"]
    assert [(d["path"], d["line"], d["col"], d["rule"]) for d in found] == [("docs/evil.xml", case.line, case.col, case.rule)]
    assert case.words in found[0]["message"] and found[0]["hint"]
    assert f"docs/evil.xml:{case.line}:{case.col}: error: {found[0]['message']} [{case.rule}]\n    hint: " in built.stdout
    traps.assert_untouched()
    assert_no_secret(root, checked, built)


def test_a_build_that_keeps_going_leaves_every_hostile_file_out_and_leaks_nothing(tmp_path, traps):
    """All hostile files in one corpus, built anyway: the good document is published, the
    others are reported, and no output file holds anything a trap could have given."""
    root = corpus(tmp_path)
    for i, case in enumerate(CASES):
        case.write(root / "docs" / f"evil-{i:02d}.xml", traps)
    built = edition(root, "build", "--jobs", "1", "--keep-going", "--only", "html")
    assert built.returncode == 1, built.stdout + built.stderr
    for i, case in enumerate(CASES):
        assert f"docs/evil-{i:02d}.xml:{case.line}:{case.col}: error: " in built.stdout, case
    pages = [p.read_text(encoding="utf-8") for p in (root / "output" / "html").rglob("*.html")]
    assert any("A valid synthetic document" in page for page in pages)
    traps.assert_untouched()
    assert_no_secret(root, built)


# -- a byte-order mark is legal XML ------------------------------------------------------------

def test_a_utf8_bom_is_accepted_and_columns_stay_right(tmp_path):
    root = corpus(tmp_path)
    good = root / "docs" / "good.xml"
    good.write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    assert edition(root, "validate").returncode == 0
    built = edition(root, "build", "--jobs", "1", "--only", "html")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "A valid synthetic document" in (root / "output" / "html" / "index.html").read_text(encoding="utf-8")

    # a broken reference on line 1 of a BOM file (no XML declaration): the BOM is not a column
    one_line = " ".join(good.read_text(encoding="utf-8-sig").splitlines()[1:]).replace('"#ada"', '"#nobody"')
    good.write_bytes(b"\xef\xbb\xbf" + one_line.encode())
    found = json.loads(edition(root, "validate", "--format", "json").stdout)
    assert [(d["line"], d["col"], d["rule"]) for d in found] == [(1, one_line.index('ref="#nobody"') + 1, "ref-id")]


# -- files that are not plain files -------------------------------------------------------------

def test_a_fifo_matched_by_the_sources_is_never_opened(tmp_path):
    root = corpus(tmp_path)
    fifo = FifoTrap(root / "docs" / "pipe.xml")
    try:
        whole = edition(root, "validate")
        named = edition(root, "validate", "--format", "json", "docs/pipe.xml")
        built = edition(root, "build", "--jobs", "1", "--only", "html")
        assert not fifo.opened.is_set()
    finally:
        fifo.close()
    assert whole.returncode == 0 and built.returncode == 0, whole.stdout + built.stdout + built.stderr
    assert named.returncode == 1
    [problem] = json.loads(named.stdout)
    assert (problem["path"], problem["line"], problem["col"], problem["rule"]) == ("docs/pipe.xml", 1, 1, "io")
    assert "named pipe" in problem["message"] and problem["hint"]


def test_a_directory_matched_by_the_sources_is_passed_over(tmp_path):
    root = corpus(tmp_path)
    (root / "docs" / "folder.xml").mkdir()
    assert edition(root, "validate").returncode == 0
    named = edition(root, "validate", "docs/folder.xml")
    assert named.returncode == 2 and "is a directory" in named.stderr  # a usage error, not a crash
    tree, [problem] = xmlparse.parse_file(root / "docs" / "folder.xml", "docs/folder.xml")
    assert tree is None and (problem.rule, problem.line, problem.col) == ("io", 1, 1)
    assert "directory" in problem.message


def test_an_unreadable_file_is_reported(tmp_path, monkeypatch):
    # Running as root reads any file whatever its mode, so the refusal is the operating system's,
    # simulated: opening this one file fails as it does for a user without read permission.
    root = corpus(tmp_path)
    locked = root / "docs" / "locked.xml"
    shutil.copy(root / "docs" / "good.xml", locked)
    real_open = os.open

    def refuse_locked(path, flags, *args, **kwargs):
        if Path(path).name == "locked.xml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(xmlparse.os, "open", refuse_locked)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["validate", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    assert [(d["path"], d["line"], d["col"], d["rule"], d["message"]) for d in json.loads(result.output)] == [
        ("docs/locked.xml", 1, 1, "io", "cannot read file: Permission denied")]


# -- the size limit and the three locks, one at a time -----------------------------------------

def test_the_size_limit_lies_exactly_at_max_file_bytes(tmp_path):
    paragraph = b"<p>" + b"x" * 1000 + b"</p>"
    for size, refused in ((xmlparse.MAX_FILE_BYTES, False), (xmlparse.MAX_FILE_BYTES + 1, True)):
        head, tail = b"<TEI>", b"</TEI>"
        fill = size - len(head) - len(tail)
        path = tmp_path / f"{size}.xml"
        path.write_bytes(head + paragraph * (fill // len(paragraph)) + b" " * (fill % len(paragraph)) + tail)
        assert path.stat().st_size == size
        tree, problems = xmlparse.parse_file(path, path.name)
        assert ([p.rule for p in problems] == ["xml-too-large"]) is refused and (tree is None) is refused


def test_the_parser_itself_opens_no_file_and_no_socket(traps):
    """Lock 2 alone: fed straight to the parser (no prolog scan), DTDs and parameter entities
    naming a local file or a URL are answered with empty text, unopened and unfetched."""
    prologs = [f'<!DOCTYPE TEI SYSTEM "{traps.fifo.path}">',
               f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "file://{traps.fifo.path}"> %p;]>',
               f'<!DOCTYPE TEI SYSTEM "{traps.net.url}tei.dtd">',
               f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{traps.net.url}p.dtd"> %p;]>',
               f'<!DOCTYPE TEI [<!ENTITY s SYSTEM "{traps.secret_file}">]>']
    for prolog in prologs:
        document = tei(prolog, "&s;" if "ENTITY s" in prolog else "Text.", "UTF-16").encode("utf-16")
        root = etree.fromstring(document, xmlparse.secure_parser())
        assert SECRET not in etree.tostring(root, encoding="unicode")
    traps.assert_untouched()


def test_a_doctype_the_scan_misses_is_refused_after_parsing(monkeypatch):
    """Lock 3 alone: with the prolog scan blinded, the parsed document is refused all the same."""
    monkeypatch.setattr(xmlparse, "_doctype_position", lambda text: -1)
    tree, problems = xmlparse.parse_bytes(tei('<!DOCTYPE TEI [<!ENTITY e "x">]>', "&e;").encode(), "evil.xml")
    assert tree is None and [p.rule for p in problems] == ["xml-doctype"]


def test_a_symbolic_link_out_of_the_edition_is_not_followed(tmp_path):
    # a corpus from elsewhere could link docs/x.xml to any file of the machine; it is not read
    root = corpus(tmp_path)
    secret = tmp_path / "outside" / "private.xml"
    secret.parent.mkdir()
    secret.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>PRIVATE-WORDS</p></body></text></TEI>')
    (root / "docs" / "linked.xml").symlink_to(secret)
    for command in (["validate"], ["build", "--jobs", "1", "--only", "html"]):
        done = edition(root, *command)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "a symbolic link to" in done.stderr and "outside the edition's folder: not read" in done.stderr
    assert not [p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and b"PRIVATE-WORDS" in p.read_bytes()]
