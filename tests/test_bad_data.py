"""Bad data in some documents: a broken reference, a schema error, a duplicate id, a file that
is not well-formed. The build fails listing every problem and writes nothing; with
--keep-going the valid documents are published, the invalid ones are listed and left out of
every output, and nothing broken is written as if it were fine (no deposit package, exit 1).

The corpus is synthetic, made by benchmarks/generate_corpus.py (valid against the project
schema); the problems are put into four of its six documents here.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOOD = ["meeting-00000", "meeting-00005"]
BAD = {  # document → the rule its problem breaks
    "meeting-00001": "ref-id",
    "meeting-00002": "xsd",
    "meeting-00003": "id-duplicate",
    "meeting-00004": "xml-wellformed",
}


def edition(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tei_edition.cli", *args], cwd=root,
                          capture_output=True, text=True, timeout=600)


def corpus(root: Path) -> Path:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", "6",
                    "--persons", "10", "--seed", "1", "--out", str(root)], check=True, capture_output=True)
    return root


def source(root: Path, name: str) -> Path:
    return root / "tei" / "meetings" / f"{name}.xml"


def break_documents(root: Path) -> None:
    def change(name: str, old: str, new: str) -> None:
        path = source(root, name)
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    change("meeting-00001", 'ref="#person-', 'ref="#person-9')  # an id no register has
    change("meeting-00002", "<body>", "<body><bogus>not in the schema</bogus>")
    change("meeting-00003", "<body>", '<body><p xml:id="twice">a</p><p xml:id="twice">b</p>')
    text = source(root, "meeting-00004").read_text(encoding="utf-8")
    source(root, "meeting-00004").write_text(text[: len(text) // 2], encoding="utf-8")


def title(root: Path, name: str) -> str:
    return re.search(r'<title type="main">([^<]+)</title>', source(root, name).read_text(encoding="utf-8"))[1]


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_titles(tmp_path_factory) -> dict[str, str]:
    root = corpus(tmp_path_factory.mktemp("titles") / "c")
    return {name: title(root, name) for name in GOOD + list(BAD)}


def test_every_problem_is_listed_and_nothing_is_written(tmp_path):
    root = corpus(tmp_path / "c")
    break_documents(root)
    done = edition(root, "build", "--jobs", "2")
    assert done.returncode == 1
    log = done.stdout + done.stderr
    for name, rule in BAD.items():
        assert re.search(rf"tei/meetings/{name}\.xml:\d+:\d+: error: .*\[{rule}\]", log), (name, rule, log)
    assert "Traceback" not in log
    assert "build stopped: " in log
    assert not (root / "output" / "html").exists() and not (root / "output" / "pdf").exists()


def test_a_failed_build_keeps_the_last_good_output(tmp_path):
    root = corpus(tmp_path / "c")
    assert edition(root, "build", "--jobs", "2", "--only", "html").returncode == 0
    before = tree(root / "output" / "html")
    break_documents(root)
    assert edition(root, "build", "--jobs", "2", "--only", "html").returncode == 1
    assert tree(root / "output" / "html") == before


def test_keep_going_publishes_every_readable_document_and_lists_the_problems(tmp_path, good_titles):
    """--keep-going publishes every document that can be read, errors and all (a pointer that
    leads nowhere shows as marked text); only the file that is not well-formed is left out."""
    root = corpus(tmp_path / "c")
    break_documents(root)
    done = edition(root, "build", "--jobs", "2", "--keep-going")
    log = done.stdout + done.stderr
    assert done.returncode == 1, log  # a build over sources with errors never reports success
    for name, rule in BAD.items():  # every problem is listed
        assert re.search(rf"tei/meetings/{name}\.xml:\d+:\d+: error: .*\[{rule}\]", log), (name, log)
    listed = re.search(r"left out of the outputs \((\d+) document\(s\) that could not be read.*?\): (.*)", log)
    assert listed and listed[2].split(", ") == ["tei/meetings/meeting-00004.xml"], log
    assert "not built: deposit" in log and not (root / "output" / "deposit").exists()

    published = sorted(GOOD + [name for name in BAD if name != "meeting-00004"])
    site, pdf = root / "output" / "html", root / "output" / "pdf"
    assert sorted(p.stem for p in (site / "documents").glob("*.html")) == published
    assert sorted(p.stem for p in (pdf / "documents").glob("*.pdf")) == published
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    for name in published:
        assert good_titles[name] in pages[site / "index.html"]
    assert good_titles["meeting-00004"] not in pages[site / "index.html"]
    dangling = pages[site / "documents" / "meeting-00001.html"]
    assert 'class="unresolved' in dangling and "[?]" in dangling  # shown, marked, not linked
    volume = subprocess.run(["pdftotext", str(pdf / "volume.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout
    volume = " ".join(volume.split())
    assert all(good_titles[name] in volume for name in published)
    assert good_titles["meeting-00004"] not in volume


def test_keep_going_with_errors_only_in_a_register_still_fails_and_makes_no_package(tmp_path):
    root = corpus(tmp_path / "c")
    persons = root / "tei" / "registers" / "persons.xml"
    text, changed = re.subn(r"(<listPerson[^>]*>)", r"\1<bogus/>", persons.read_text(encoding="utf-8"), count=1)
    assert changed
    persons.write_text(text, encoding="utf-8")
    done = edition(root, "build", "--jobs", "2", "--keep-going")
    log = done.stdout + done.stderr
    assert done.returncode == 1, log
    assert re.search(r"tei/registers/persons\.xml:\d+:\d+: error: .*\[xsd\]", log)
    assert "left out of the outputs" not in log  # the documents are fine: all are published
    assert len(list((root / "output" / "html" / "documents").glob("*.html"))) == 6
    assert not (root / "output" / "deposit").exists()
