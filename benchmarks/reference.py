"""The reference rows of the benchmark: the TEI Consortium's stylesheets on Java Saxon-HE (HTML)
and TEI's fo/ stylesheets + Apache FOP (PDF), run on the same synthetic documents.

Both run as a user of those tools would run them, with what `benchmarks/setup.sh` installs:

- TEIC: `html/html.xsl` over every document of the corpus in ONE JVM (Saxon's `-s:` given a
  folder transforms each file in it with the stylesheet compiled once), pages only: no
  validation, registers, lists or search;
- FOP: `fo/fo.xsl` → XSL-FO with Saxon, then Debian's `fop` → PDF; once for the volume (a
  teiCorpus of the sample documents, one FOP run) and once per document (one FOP run each, a
  JVM each, as FOP's command line takes one file). Pages are counted in the PDFs.

Where Java, Saxon-HE, FOP or the stylesheets are missing the row is skipped with the reason,
printed loudly: a table without its reference rows is not comparable across machines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SAXON_JARS = ("/usr/share/java/Saxon-HE.jar", "/usr/share/java/saxon9he.jar")
TEI_STYLESHEET_DIRS = ("/usr/share/xml/tei/stylesheet", "/usr/share/xml/tei/stylesheets")
JAVA_HEAP = "-Xmx2g"


class Skipped(Exception):
    """A reference row cannot be measured here; the message says why and what to install."""


def tei_stylesheets(given: Path | None) -> Path:
    candidates = [given] if given else [Path(p) for p in filter(None, [os.environ.get("TEI_STYLESHEETS")])]
    candidates += [Path(p) for p in TEI_STYLESHEET_DIRS]
    for folder in candidates:
        if folder and (folder / "html" / "html.xsl").is_file():
            return folder
    raise Skipped("the TEI Consortium stylesheets are not installed (no html/html.xsl in "
                  f"{', '.join(str(c) for c in candidates if c)}): run benchmarks/setup.sh, or unpack a "
                  "TEI Stylesheets release and pass --tei-stylesheets DIR (or set TEI_STYLESHEETS)")


def saxon_command() -> list[str]:
    if shutil.which("java") is None:
        raise Skipped("Java is not installed (apt-get install default-jre-headless; see benchmarks/setup.sh)")
    jar = next((j for j in SAXON_JARS if Path(j).is_file()), None)
    if jar is None:
        raise Skipped("Saxon-HE for Java is not installed (apt-get install libsaxonhe-java)")
    return ["java", JAVA_HEAP, "-cp", jar, "net.sf.saxon.Transform"]


def _run(command: list[str], timeout: float) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise Skipped(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()[-600:]}")
    return time.perf_counter() - start


def teic_html(documents: Path, stylesheets: Path | None, timeout: float = 3600) -> dict:
    """The TEIC row: every TEI file in `documents` → HTML in one JVM; seconds and pages."""
    xsl = tei_stylesheets(stylesheets) / "html" / "html.xsl"
    saxon = saxon_command()
    with tempfile.TemporaryDirectory(prefix="teic-html-") as out:
        seconds = _run(saxon + [f"-s:{documents}", f"-o:{out}", f"-xsl:{xsl}"], timeout)
        pages = sum(1 for p in Path(out).rglob("*") if p.is_file())  # named as the sources
    return {"seconds": seconds, "pages": pages, "documents": len(list(documents.glob("*.xml")))}


def pdf_pages(pdf: Path) -> int:
    from pypdf import PdfReader  # a [test] dependency of the project

    return len(PdfReader(pdf).pages)


def tei_corpus(documents: list[Path], target: Path) -> Path:
    """The sample as one teiCorpus (the volume FOP lays out); the documents' own TEI roots inside."""
    parts = ['<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
             '<title>Benchmark volume</title></titleStmt><publicationStmt><p>benchmark</p>'
             '</publicationStmt><sourceDesc><p>synthetic</p></sourceDesc></fileDesc></teiHeader>']
    for doc in documents:
        text = doc.read_text(encoding="utf-8")
        parts.append(text[text.index("<TEI"):])
    parts.append("</teiCorpus>")
    target.write_text("".join(parts), encoding="utf-8")
    return target


def fop_pdf(documents: list[Path], stylesheets: Path | None, timeout: float = 3600) -> dict:
    """The FOP row: the volume (one teiCorpus) and each document's PDF, TEI fo/ + FOP."""
    xsl = tei_stylesheets(stylesheets) / "fo" / "fo.xsl"
    if not xsl.is_file():
        raise Skipped(f"{xsl} is missing: the TEI stylesheets' fo/ folder is needed for the FOP row")
    saxon = saxon_command()
    if shutil.which("fop") is None:
        raise Skipped("Apache FOP is not installed (apt-get install fop)")
    with tempfile.TemporaryDirectory(prefix="teic-fo-") as tmp:
        tmp = Path(tmp)
        volume = tei_corpus(documents, tmp / "volume.xml")
        start = time.perf_counter()
        _run(saxon + [f"-s:{volume}", f"-o:{tmp / 'volume.fo'}", f"-xsl:{xsl}"], timeout)
        _run(["fop", "-fo", str(tmp / "volume.fo"), "-pdf", str(tmp / "volume.pdf")], timeout)
        volume_seconds = time.perf_counter() - start
        (tmp / "docs").mkdir()
        (tmp / "fo").mkdir()
        for doc in documents:
            shutil.copy(doc, tmp / "docs" / doc.name)
        start = time.perf_counter()
        _run(saxon + [f"-s:{tmp / 'docs'}", f"-o:{tmp / 'fo'}", f"-xsl:{xsl}"], timeout)
        for fo in sorted((tmp / "fo").iterdir()):
            _run(["fop", "-fo", str(fo), "-pdf", str(fo.with_suffix(".pdf"))], timeout)
        documents_seconds = time.perf_counter() - start
        return {"volume_seconds": volume_seconds, "volume_pages": pdf_pages(tmp / "volume.pdf"),
                "documents_seconds": documents_seconds,
                "documents_pages": sum(pdf_pages(p) for p in (tmp / "fo").glob("*.pdf"))}
