#!/usr/bin/env python3
"""The performance table: how fast the pipeline builds synthetic editions of growing size.

    python3 benchmarks/run.py                      # 100, 2,000 and 10,000 documents
    python3 benchmarks/run.py --sizes 100 2000     # fewer sizes
    python3 benchmarks/run.py --jobs 2 --work /tmp/bench

For each size it generates a synthetic corpus (benchmarks/generate_corpus.py, deterministic),
then measures, each step in its own process as a user would run it:

- yardstick: lxml parsing and serializing every TEI file of the corpus (the floor: any
  pipeline must at least read and write the XML);
- validate: well-formedness, XSD, Schematron, dates, references (`validate(config, jobs)`);
- HTML: a clean `edition build --only html --only search` (validation + document pages +
  register pages + site pages + Pagefind index), with its peak memory (RSS, summed over the
  build and its worker processes, sampled every 0.1 s);
- rebuild: the same build again after one document was edited (incremental);
- edition serve: the preview's rebuild after a save, in its running process (state kept between
  rebuilds): the time until the edit's pages are published, until the search index has the
  new words, and until the machine interfaces (DTS, OAI-PMH, linked data) are up to date too (the
  preview publishes the pages first, then re-indexes the changed shard, then the interfaces);
- PDF: `edition build --only pdf` on a fixed sample of the first 50 documents (PDF for 10,000
  documents would take hours on 2 cores): the volume, its PDF/A and one PDF per document, as
  pages per second (pages counted in the PDFs written);
- TEIC and FOP, the reference rows (benchmarks/reference.py): the TEI Consortium's HTML
  stylesheets on Java Saxon-HE over the same documents in one JVM, pages only; TEI's fo/
  stylesheets + Apache FOP on the same sample (the volume and one PDF per document).

Every time is also shown as a multiple of the yardstick of the same corpus and of the reference
row (TEIC for HTML, FOP for print), which makes the figures comparable across machines. Where a
reference tool is missing its row says so and why, and the reason is printed on stderr. The
table is printed as Markdown (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference  # noqa: E402 (the sibling module: TEIC and FOP)

REPO = Path(__file__).resolve().parents[1]
PDF_SAMPLE = 50
PDF_TIMEOUT = 900  # seconds; the sample's volume prints the whole registers, which grow with the corpus


def generate(size: int, folder: Path) -> Path:
    if not (folder / "edition.toml").is_file():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_corpus.py"), "--docs", str(size),
                        "--persons", str(max(50, size // 4)), "--seed", "1", "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def run_measured(command: list[str], cwd: Path, timeout: float | None = None) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB of it and its children, output).
    Past `timeout` seconds the command is stopped and the time returned is None."""
    try:
        import psutil
    except ImportError:  # without psutil: the largest single process (getrusage), not the sum
        psutil = None
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    if psutil is not None:
        watched = psutil.Process(process.pid)
        while process.poll() is None:
            if timeout and time.perf_counter() - start > timeout:
                break
            try:
                tree = [watched] + watched.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
    if timeout and process.poll() is None:
        for p in watched.children(recursive=True):
            p.kill()
        process.kill()
        process.communicate()
        return None, peak / 2**20, ""
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    if psutil is None:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if process.returncode not in (0, 1):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{output[-3000:]}")
    return seconds, peak / 2**20, output


YARDSTICK = """
import sys, time
from pathlib import Path
from lxml import etree
files = sorted(Path(sys.argv[1]).rglob("*.xml"))
start = time.perf_counter()
for f in files:
    etree.tostring(etree.fromstring(f.read_bytes()))
print(time.perf_counter() - start)
"""

VALIDATE = """
import sys, time
from tei_edition.config import load_config
from tei_edition.validate import validate
config = load_config(sys.argv[1])
start = time.perf_counter()
result = validate(config, jobs=int(sys.argv[2]))
print(time.perf_counter() - start, len(result.errors))
"""

# edition serve's rebuild, as an editor sees it: the preview process is running (its first build
# done), a document is saved; the time until the new pages are published, until the search index
# has the new words, and until the machine interfaces are updated (the steps follow each other)
SERVE = """
import re, sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from run import edit_one_document
from tei_edition.commands.serve import Preview
from tei_edition.config import load_config
if __name__ == "__main__":
    log = []
    preview = Preview(load_config("edition.toml"), port=0, log=log.append)
    preview.rebuild("first build")
    for n in range(int(sys.argv[1])):
        del log[:]
        edited = edit_one_document(Path("."))
        start = time.perf_counter()
        preview.rebuild("benchmark edit", [edited.resolve()])  # as the file watcher reports a save
        total = time.perf_counter() - start
        pages = next(float(m[1]) for line in log if (m := re.search(r"rebuilt html in ([0-9.]+) s", line)))
        search = next(float(m[1]) for line in log if (m := re.search(r"search index updated in ([0-9.]+) s", line)))
        print(pages, pages + search, total, flush=True)
    preview.httpd.server_close()
"""


EDIT = '<div type="benchmark-edit"><p>An edited paragraph (benchmark).</p></div>'  # the rebuild's edit


def edit_one_document(corpus: Path) -> Path:
    """A small edit in the first document's text, as an editor would make it; the file edited."""
    first = sorted((corpus / "tei" / "meetings").glob("*.xml"))[0]
    text = first.read_text(encoding="utf-8")
    marker = "</body>"
    first.write_text(text.replace(marker, EDIT + marker, 1), encoding="utf-8")
    return first


def pdf_sample_config(corpus: Path) -> Path:
    sample = sorted((corpus / "tei" / "meetings").glob("*.xml"))[:PDF_SAMPLE]
    text = (corpus / "edition.toml").read_text(encoding="utf-8")
    listed = ", ".join(json.dumps(str(p.relative_to(corpus))) for p in sample)
    text = text.replace('sources = ["tei/meetings/*.xml"]', f"sources = [{listed}]")
    text = text.replace('output = "output"', 'output = "output-pdf-sample"')
    path = corpus / "edition-pdf-sample.toml"
    path.write_text(text, encoding="utf-8")
    return path


def pages_in(folder: Path) -> int:
    """Pages of the print output as a reader gets them: the volume and each document's PDF
    (the PDF/A is the same layout again, not counted)."""
    pdfs = [folder / "volume.pdf", *sorted((folder / "documents").glob("*.pdf"))]
    return sum(reference.pdf_pages(p) for p in pdfs if p.is_file())


def loudly(row: dict, name: str, measure) -> None:
    try:
        row[name] = measure()
    except (reference.Skipped, subprocess.TimeoutExpired) as exc:
        row[name] = {"skipped": str(exc)}
        print(f"\n*** {name.upper()} ROW SKIPPED: {exc}\n", file=sys.stderr, flush=True)


def measure(size: int, work: Path, jobs: int, pdf: bool, tei: Path | None) -> dict:
    corpus = generate(size, work / f"corpus-{size}")
    shutil.rmtree(corpus / "output", ignore_errors=True)
    files = list((corpus / "tei").rglob("*.xml"))
    row = {"size": size, "files": len(files), "mb": sum(f.stat().st_size for f in files) / 2**20}
    py = sys.executable
    row["yardstick"] = float(subprocess.run([py, "-c", YARDSTICK, str(corpus / "tei")], capture_output=True,
                                            text=True, check=True).stdout.split()[0])
    meetings = corpus / "tei" / "meetings"
    loudly(row, "teic", lambda: reference.teic_html(meetings, tei))
    out = subprocess.run([py, "-c", VALIDATE, str(corpus / "edition.toml"), str(jobs)], capture_output=True,
                         text=True, check=True, cwd=corpus).stdout.split()
    row["validate"] = float(out[0])
    edition = [py, "-m", "tei_edition.cli", "build", "--config", "edition.toml", "--jobs", str(jobs),
               "--only", "html", "--only", "search"]
    row["html"], row["rss"], log = run_measured(edition, corpus)
    edit_one_document(corpus)
    row["rebuild"], row["rebuild_rss"], log = run_measured(edition, corpus)
    row["rebuild_log"] = [line for line in log.splitlines() if line.startswith(("html:", "  "))][:6]
    warm = subprocess.run([py, "-c", SERVE, "3", str(REPO / "benchmarks")], capture_output=True, text=True,
                          cwd=corpus, check=True).stdout.split("\n")
    runs = sorted(tuple(map(float, line.split())) for line in warm if line.strip())
    row["serve_pages"], row["serve_search"], row["serve_all"] = runs[len(runs) // 2]  # the median of three edits
    if pdf:
        config = pdf_sample_config(corpus)
        shutil.rmtree(corpus / "output-pdf-sample", ignore_errors=True)
        seconds, _, log = run_measured([py, "-m", "tei_edition.cli", "build", "--config", config.name, "--jobs",
                                        str(jobs), "--only", "pdf"], corpus, timeout=PDF_TIMEOUT)
        row["pdf"] = seconds
        row["pdf_pages"] = pages_in(corpus / "output-pdf-sample" / "pdf") if seconds else 0
        sample = sorted(meetings.glob("*.xml"))[:PDF_SAMPLE]
        loudly(row, "fop", lambda: reference.fop_pdf(sample, tei, timeout=PDF_TIMEOUT))
    return row


def machine() -> str:
    import lxml.etree
    import saxonche

    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = next(int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        ram = 0
    try:
        from importlib.metadata import version
        saxon = version("saxonche")
    except Exception:
        saxon = getattr(saxonche, "__version__", "?")
    return (f"{os.cpu_count()} cores, {ram / 1024:.1f} GB RAM, {cpu}; Python {platform.python_version()}, "
            f"lxml {lxml.etree.__version__}, saxonche {saxon}, {platform.system()} {platform.release()}")


def _times(seconds: float, yard: float, ref: float | None = None, ref_name: str = "") -> str:
    """`seconds` as the multiple of the yardstick and, where measured, of the reference row."""
    out = f"{seconds:.1f} s, {seconds / yard:.0f}× yardstick"
    if ref:
        out += f", {seconds / ref:.2f}× {ref_name}"
    return out


def _reference(row: dict, name: str) -> dict | None:
    measured = row.get(name)
    return measured if measured and "skipped" not in measured else None


def _print_cells(r: dict) -> tuple[str, str]:
    fop = _reference(r, "fop")
    if "fop" in r and fop is None:
        fop_cell = "skipped (reason below)"
    elif fop:
        seconds = fop["volume_seconds"] + fop["documents_seconds"]
        pages = fop["volume_pages"] + fop["documents_pages"]
        fop_cell = (f"{pages / seconds:.1f} pages/s ({pages} pages, {seconds:.1f} s; volume "
                    f"{fop['volume_pages'] / fop['volume_seconds']:.1f} pages/s)")
    else:
        fop_cell = "not measured"
    if "pdf" not in r:
        return fop_cell, "not measured"
    if r["pdf"] is None:
        return fop_cell, f"stopped after {PDF_TIMEOUT} s"
    ours = f"{r['pdf_pages'] / r['pdf']:.1f} pages/s ({r['pdf_pages']} pages, {r['pdf']:.1f} s"
    if fop:
        ours += f"; {(r['pdf_pages'] / r['pdf']) / (pages / seconds):.2f}× FOP's pages/s"
    return fop_cell, ours + ")"


def table(rows: list[dict], jobs: int) -> str:
    lines = ["| documents (files, MB) | yardstick: lxml parse + serialize | TEIC: html.xsl on Java Saxon, pages "
             "only | validate | HTML: validate + pages + registers + search | rebuild after editing one document "
             "| edition serve: the edit's pages published; search updated; interfaces updated "
             f"| print, TEI fo/ + FOP (sample of {PDF_SAMPLE}) | print, ours: volume + PDF/A + per document "
             f"(sample of {PDF_SAMPLE}) | peak memory (RSS, all processes): clean build; rebuild |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        yard, teic = r["yardstick"], _reference(r, "teic")
        tref = teic["seconds"] if teic else None
        teic_cell = (f"{r['size'] / tref:,.0f} docs/s ({_times(tref, yard)})" if teic
                     else "skipped (reason below)" if "teic" in r else "not measured")
        fop_cell, ours_cell = _print_cells(r)
        lines.append(f"| {r['size']:,} ({r['files']:,}, {r['mb']:.0f} MB) "
                     f"| {r['size'] / yard:,.0f} docs/s ({yard:.2f} s, 1×) "
                     f"| {teic_cell} "
                     f"| {r['size'] / r['validate']:,.0f} docs/s ({_times(r['validate'], yard, tref, 'TEIC')}) "
                     f"| {r['size'] / r['html']:,.0f} docs/s ({_times(r['html'], yard, tref, 'TEIC')}) "
                     f"| {_times(r['rebuild'], yard, tref, 'TEIC')} "
                     f"| {r['serve_pages']:.2f} s; {r['serve_search']:.1f} s; {r.get('serve_all', 0):.1f} s "
                     f"| {fop_cell} | {ours_cell} | {r['rss']:,.0f} MB; {r.get('rebuild_rss', 0):,.0f} MB |")
    lines.append("")
    lines.append(f"`--jobs {jobs}`; times in seconds of wall-clock time, each step a fresh process (the HTML "
                 "and rebuild times include starting Python and the worker processes; TEIC's includes starting "
                 "its JVM). × yardstick = multiple of the lxml time of the same corpus; × TEIC = multiple of the "
                 "TEI stylesheets' time on the same documents. Print is measured on the first "
                 f"{PDF_SAMPLE} documents of each corpus, as pages per second (pages counted in the PDFs).")
    skipped: dict[str, list[str]] = {}  # reason → the rows it left out
    for r in rows:
        for name in ("teic", "fop"):
            if "skipped" in r.get(name, {}):
                skipped.setdefault(r[name]["skipped"], []).append(f"{name.upper()} at {r['size']:,}")
    lines += [f"\n**Skipped**: {', '.join(where)}: {reason}." for reason, where in skipped.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 2000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=None, help="where corpora are generated (kept; default: a temp folder)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF sample")
    parser.add_argument("--tei-stylesheets", type=Path, default=None,
                        help="the TEI Consortium stylesheets (default: $TEI_STYLESHEETS or Debian's tei-xsl)")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    args = parser.parse_args()
    # the steps run `python -m tei_edition.cli` from this checkout, installed or not
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
    work = args.work or Path(tempfile.mkdtemp(prefix="edition-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        print(f"measuring {size:,} documents in {work} ...", file=sys.stderr, flush=True)
        rows.append(measure(size, work, args.jobs, not args.no_pdf, args.tei_stylesheets))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    for name in ("teic", "fop"):  # once more at the end, where it is not lost in the progress output
        for r in rows:
            if "skipped" in r.get(name, {}):
                print(f"*** {name.upper()} ROW SKIPPED ({r['size']:,} documents): {r[name]['skipped']}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"Machine: {machine()}\n")
    print(table(rows, args.jobs))


if __name__ == "__main__":
    main()
